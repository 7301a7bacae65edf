/**
 * clearsend's own outcome for a sent message whose status Twilio will not tell: fetching it
 * answered 20404 (Twilio no longer has it: deleted) or another 4xx that asking again cannot
 * change. Nothing will ever say more, so it settles the message for the status wait, and the
 * report shows it apart from delivered / failed and from awaiting. Not a Twilio status: a
 * status callback cannot carry it, and a final status Twilio reports later still replaces it.
 */
export const UNKNOWN_OUTCOME = 'unknown';

/**
 * Message statuses in the order a message moves through them (Twilio's, and
 * `UNKNOWN_OUTCOME` between sent and the final ones). Callbacks can arrive late, twice, or
 * out of order; a recorded status only ever moves forward, and the first final status stands.
 */
export const STATUS_RANK: Readonly<Record<string, number>> = {
  accepted: 0,
  scheduled: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  [UNKNOWN_OUTCOME]: 4,
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
  read: 6,
};

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['delivered', 'undelivered', 'failed', 'canceled', 'read']);

/** Statuses that end the status wait for a message: Twilio's final ones and `UNKNOWN_OUTCOME`. */
export const SETTLED_STATUSES: ReadonlySet<string> = new Set([...FINAL_STATUSES, UNKNOWN_OUTCOME]);

/** A status that can be recorded (Twilio's, or clearsend's `UNKNOWN_OUTCOME`). */
export function isKnownStatus(status: string): boolean {
  return status in STATUS_RANK;
}

/** A status Twilio itself reports (what a status callback may carry). */
export function isTwilioStatus(status: string): boolean {
  return isKnownStatus(status) && status !== UNKNOWN_OUTCOME;
}

/** Whether `next` should replace `current` (undefined: nothing recorded yet). */
export function statusMovesForward(current: string | undefined, next: string): boolean {
  if (!isKnownStatus(next)) return false;
  if (current === undefined) return true;
  // `read` (after delivered) is the only move from one final status to another.
  if (FINAL_STATUSES.has(current)) return current === 'delivered' && next === 'read';
  return STATUS_RANK[next] > STATUS_RANK[current];
}
