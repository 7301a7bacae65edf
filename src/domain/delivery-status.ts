/**
 * Twilio message statuses in the order a message moves through them. Callbacks can arrive
 * late, twice, or out of order; a recorded status only ever moves forward, and the first
 * final status stands.
 */
export const STATUS_RANK: Readonly<Record<string, number>> = {
  accepted: 0,
  scheduled: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  read: 5,
};

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['delivered', 'undelivered', 'failed', 'canceled', 'read']);

export function isKnownStatus(status: string): boolean {
  return status in STATUS_RANK;
}

/** Whether `next` should replace `current` (undefined: nothing recorded yet). */
export function statusMovesForward(current: string | undefined, next: string): boolean {
  if (!isKnownStatus(next)) return false;
  if (current === undefined) return true;
  // `read` (after delivered) is the only move from one final status to another.
  if (FINAL_STATUSES.has(current)) return current === 'delivered' && next === 'read';
  return STATUS_RANK[next] > STATUS_RANK[current];
}
