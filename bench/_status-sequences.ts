/**
 * Twilio's status callbacks as they really arrive, for webhook-ingest: per message a first
 * status (queued or sent), then a final one (delivered, or undelivered / failed with an
 * ErrorCode); some callbacks retried (the same status twice), some out of order (the final
 * before sent). A message's later callbacks come `FOLLOW_UP_GAP` messages later in the stream,
 * as Twilio's come seconds later, and a retry right behind the first post.
 */
import { createHash } from 'node:crypto';
import { STATUS_RANK } from '../src/domain/delivery-status';

export interface PlannedCallback {
  messageSid: string;
  status: string;
  errorCode?: number;
}

export interface ExpectedRow {
  status: string;
  errorCode: number | null;
  callbacks: number;
}

const FOLLOW_UP_GAP = 150;
const FINALS: ReadonlyArray<{ status: string; errorCode?: number }> = [
  { status: 'delivered' },
  { status: 'delivered' },
  { status: 'undelivered', errorCode: 30003 },
  { status: 'delivered' },
  { status: 'failed', errorCode: 30008 },
  { status: 'undelivered', errorCode: 30005 },
  { status: 'delivered' },
  { status: 'failed', errorCode: 21610 },
  { status: 'undelivered', errorCode: 30007 },
];

/** Message j's callbacks, each with the slot (position in time) it is posted at. */
function sequenceOf(j: number): Array<PlannedCallback & { slot: number }> {
  const messageSid = `SM${createHash('md5').update(`webhook-ingest ${j} ${process.pid}`).digest('hex')}`;
  const final = { messageSid, ...FINALS[j % FINALS.length] };
  const first = (status: string) => ({ messageSid, status });
  const at = (slot: number, c: PlannedCallback) => ({ ...c, slot });
  const later = j + FOLLOW_UP_GAP;
  switch (j % 10) {
    case 6: // queued, then the final status (sent's callback never came)
      return [at(j, first('queued')), at(later, final)];
    case 7: // the final status retried
      return [at(j, first('sent')), at(later, final), at(later + 2, final)];
    case 8: // out of order: the final status before sent
      return [at(j, final), at(later, first('sent'))];
    case 9: // sent retried
      return [at(j, first('sent')), at(j + 2, first('sent')), at(later, final)];
    default:
      return [at(j, first('sent')), at(later, final)];
  }
}

/** `total` callbacks in posting order, and what each message's row must hold once all are in. */
export function statusCallbackPlan(total: number): { callbacks: PlannedCallback[]; expected: Map<string, ExpectedRow> } {
  const slotted: Array<PlannedCallback & { slot: number; order: number }> = [];
  for (let j = 0; slotted.length < total * 1.2 + FOLLOW_UP_GAP * 3; j++) slotted.push(...sequenceOf(j).map((c, k) => ({ ...c, order: k })));
  slotted.sort((a, b) => a.slot - b.slot || a.order - b.order);
  const callbacks = slotted.slice(0, total).map(({ messageSid, status, errorCode }) => ({ messageSid, status, ...(errorCode ? { errorCode } : {}) }));
  // Whatever order they land in, the furthest status wins (one final per message), every post counts.
  const expected = new Map<string, ExpectedRow>();
  for (const c of callbacks) {
    const row = expected.get(c.messageSid);
    if (!row) expected.set(c.messageSid, { status: c.status, errorCode: c.errorCode ?? null, callbacks: 1 });
    else {
      row.callbacks++;
      if (STATUS_RANK[c.status] > STATUS_RANK[row.status]) Object.assign(row, { status: c.status, errorCode: c.errorCode ?? null });
    }
  }
  return { callbacks, expected };
}

/** Each message whose row is missing or differs from what it must hold, described. */
export function unmetExpectations(
  expected: Map<string, ExpectedRow>,
  rows: ReadonlyArray<{ message_sid: string; status: string; error_code: number | null; callbacks: number }>,
): string[] {
  const bySid = new Map(rows.map((r) => [r.message_sid, r]));
  const unmet: string[] = [];
  for (const [sid, want] of expected) {
    const got = bySid.get(sid);
    if (!got) unmet.push(`${sid}: no row (want ${want.status})`);
    else if (got.status !== want.status || got.error_code !== want.errorCode || got.callbacks !== want.callbacks) {
      unmet.push(`${sid}: ${got.status}/${got.error_code}/${got.callbacks} callbacks, want ${want.status}/${want.errorCode}/${want.callbacks}`);
    }
  }
  return unmet;
}
