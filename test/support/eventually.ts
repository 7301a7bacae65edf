import { inspect } from 'node:util';

export interface EventuallyOptions {
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
  /** Between checks (default 100 ms). */
  intervalMs?: number;
  /** What the wait is for, said on a time-out ("campaign 42 to complete"); the check's source otherwise. */
  describe?: string;
  /** Where things stood, asked once on a time-out (e.g. the last state a query returned). */
  detail?: () => unknown;
}

/** Thrown by a check that knows waiting longer is pointless (the process it watches exited): it fails the wait at once. */
export class StopWaiting extends Error {
  override name = 'StopWaiting';
}

type Falsy = undefined | null | false | '' | 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const shown = (value: unknown, max = 500) => {
  const text = typeof value === 'string' ? value : inspect(value, { depth: 4, breakLength: Infinity });
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

/** The check as written, on one line: what a time-out without `describe` says it waited for. */
const sourceOf = (check: () => unknown) => shown(check.toString().replace(/\s+/g, ' '), 300);

/**
 * Waits for something that happens asynchronously (a workflow's state, a row, a ledger entry):
 * asks `check` at once and then every `intervalMs` until it answers something truthy, and returns
 * that answer. A check that throws is asked again (a service restarting answers errors for a
 * while); one that throws StopWaiting ends the wait. A check that hangs is not waited for past the
 * time-out. On a time-out it fails saying what it waited for, how many times it asked, its last
 * answer, its last error (also the error's `cause`) and `detail`, so a red test says why.
 *
 * `eventually(check, timeoutMs, intervalMs)` is the short form of the options.
 *
 * Hand-written: p-wait-for is ESM-only (these tests run as CommonJS under jest), and
 * wait-for-expect neither returns the check's answer nor says what it waited for.
 */
export async function eventually<T>(check: () => T | Falsy | Promise<T | Falsy>, options: EventuallyOptions | number = {}, intervalMs?: number): Promise<T> {
  const opts: EventuallyOptions = typeof options === 'number' ? { timeoutMs: options, intervalMs } : options;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const interval = opts.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let checks = 0;
  let answered = false;
  let lastAnswer: unknown;
  let lastError: unknown;
  for (;;) {
    checks += 1;
    let hung: NodeJS.Timeout | undefined;
    try {
      // A check may hang (a call to a stopped server): it gets the time left, plus up to a second to answer.
      const allowedMs = Math.max(0, deadline - Date.now()) + Math.min(1000, timeoutMs);
      const stillWaiting = new Promise<never>((_, reject) => {
        hung = setTimeout(() => reject(new Error(`the check itself did not answer within ${allowedMs} ms`)), allowedMs);
      });
      const answer = await Promise.race([Promise.resolve(check()), stillWaiting]);
      if (answer) return answer;
      answered = true;
      lastAnswer = answer;
    } catch (err) {
      if (err instanceof StopWaiting) throw err;
      lastError = err;
    } finally {
      clearTimeout(hung);
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
  const lines = [`timed out after ${timeoutMs} ms (${checks} checks) waiting for ${opts.describe ?? sourceOf(check)}`];
  if (answered) lines.push(`last answer: ${shown(lastAnswer)}`);
  if (lastError !== undefined) lines.push(`last error: ${lastError instanceof Error ? `${lastError.name}: ${lastError.message}` : shown(lastError)}`);
  if (opts.detail) {
    try {
      lines.push(`where things stood: ${shown(await opts.detail(), 20_000)}`);
    } catch (err) {
      lines.push(`where things stood: unknown (${String(err)})`);
    }
  }
  throw new Error(lines.join('\n  '), lastError === undefined ? undefined : { cause: lastError });
}
