/**
 * What more than one workflow's contract shares: the staff action every staff decision carries,
 * the names workflows refuse an Update under (and the HTTP status the API answers each with),
 * and the activity retry policy. Nothing here runs I/O, so workflows and the API both import it.
 */

/** A staff decision as sent to a workflow (Update or, for older runs, Signal). */
export interface StaffAction {
  /** Who, as shown in the audit log (e.g. `staff:alice`). */
  by: string;
  reason: string;
  /**
   * The audit entry the API wrote for this decision before sending it. The workflow checks it
   * (and takes who and why from it): a decision without a valid one is ignored (Signal) or
   * refused (Update).
   */
  auditId?: string;
}

/**
 * The failure types a workflow refuses an Update with (`refuse` in staff-decision-updates.ts).
 * Clients see them as the `type` of the Update's ApplicationFailure.
 */
export const Refusal = {
  /** The Update's argument is malformed (an Update reaches a workflow from any client, not only the API). */
  InvalidInput: 'InvalidInput',
  /** The workflow is not at a step where this fits. */
  NotInStep: 'NotInStep',
  /** A staff decision whose audit entry does not hold (the check already recorded why). */
  DecisionNotAudited: 'DecisionNotAudited',
  /** Lifecycle: a sandbox send to or from a number that is not a Twilio magic test number. */
  NotMagicNumber: 'NotMagicNumber',
  /** Lifecycle: the verification code has no attempts left. */
  AttemptsExhausted: 'AttemptsExhausted',
  /** Lifecycle: a new code was asked for before the resend cooldown ended. */
  Cooldown: 'Cooldown',
  /** Lifecycle: the day's verification cap for the tenant or its phone is reached. */
  TooManyVerifications: 'TooManyVerifications',
  /** Registration: a correction whose campaign text the compliance judgement blocks. */
  ContentBlocked: 'ContentBlocked',
} as const;
export type RefusalName = (typeof Refusal)[keyof typeof Refusal];

/** How each refusal reads over HTTP (src/api/workflow-errors.ts); a type not listed is a 422. */
export const REFUSAL_HTTP_STATUS: Record<RefusalName, number> = {
  InvalidInput: 400,
  NotMagicNumber: 400,
  NotInStep: 409,
  DecisionNotAudited: 409,
  AttemptsExhausted: 409,
  Cooldown: 429,
  TooManyVerifications: 429,
  ContentBlocked: 422,
};

/**
 * Activity retries for calls that must go through eventually (Twilio 429/5xx, database
 * hiccups): backoff to a minute, no limit. Business answers arrive as non-retryable failures.
 */
export const RETRY_UNTIL_IT_PASSES = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
