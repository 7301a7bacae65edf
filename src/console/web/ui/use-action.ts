import { useState } from 'preact/hooks';

export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>;
  busy: boolean;
  error: unknown;
  result: R | undefined;
}

/**
 * A button's or form's request: busy while it runs, its answer or its error (an ApiError, the
 * workflow's refusal) kept for the page to show. A new run clears the last answer, so a stale
 * success never stands beside a fresh error.
 */
export function useAction<A extends unknown[], R>(send: (...args: A) => Promise<R>): Action<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [result, setResult] = useState<R | undefined>(undefined);
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const answer = await send(...args);
      setResult(answer);
      return answer;
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, result };
}

/** The named fields of a submitted form, as strings. */
export function formFields(event: SubmitEvent): Record<string, string> {
  event.preventDefault();
  const data = new FormData(event.currentTarget as HTMLFormElement);
  return Object.fromEntries([...data.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}
