import { ApplicationFailure } from '@temporalio/common';
import { redactPhoneNumbersIn } from '../domain/redaction';

/**
 * How a failed Twilio call is treated inside an activity. Throttling (429), Twilio-side
 * faults (5xx) and network errors are transient: rethrown as they are, so Temporal retries
 * the activity with backoff. Any other Twilio error is a business answer (21452 no numbers,
 * 21610 unsubscribed recipient, …): retrying cannot change it, so it becomes a
 * non-retryable failure whose type names the code, for the workflow to act on.
 */
export interface TwilioErrorLike {
  status?: number;
  code?: number;
  message?: string;
  moreInfo?: string;
}

export function twilioErrorOf(err: unknown): TwilioErrorLike | undefined {
  if (err && typeof err === 'object' && 'status' in err && typeof (err as TwilioErrorLike).status === 'number') return err as TwilioErrorLike;
  return undefined;
}

export function isTransientTwilioError(err: unknown): boolean {
  const twilio = twilioErrorOf(err);
  if (!twilio) return true; // network errors, timeouts: no answer from Twilio at all
  return twilio.status === 429 || (twilio.status ?? 0) >= 500;
}

export const twilioFailureType = (code: number | undefined) => `TwilioError${code ?? ''}`;

/**
 * Twilio's words for a refusal, fit for logs, workflow histories and error answers: Twilio names
 * the number it refused ("The 'To' number +1415… is not a valid phone number"); that becomes `+1…71`.
 */
export function twilioMessageOf(twilio: TwilioErrorLike): string | undefined {
  return twilio.message === undefined ? undefined : redactPhoneNumbersIn(twilio.message);
}

export function rethrowTwilioError(err: unknown, doing: string): never {
  if (isTransientTwilioError(err)) throw err;
  const twilio = twilioErrorOf(err)!;
  const message = twilioMessageOf(twilio);
  throw ApplicationFailure.nonRetryable(`${doing}: Twilio ${twilio.code ?? twilio.status}: ${message ?? ''}`.trim(), twilioFailureType(twilio.code), {
    code: twilio.code,
    status: twilio.status,
    message,
  });
}

/** Runs a Twilio call, classifying its failure as above. */
export async function callTwilio<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    rethrowTwilioError(err, doing);
  }
}
