import type { Knex } from 'knex';
import { isKnownStatus } from '../domain/delivery-status';
import { UPSERT_ON_CONFLICT, type DeliveryStatusOutcome, type DeliveryStatusReport } from './delivery-statuses';

/**
 * Many reports as one multi-row upsert with the same rule as `recordDeliveryStatus`. The rows
 * come as four parallel arrays, so the text is the same whatever the batch size and runs as a
 * named prepared statement: PostgreSQL parses it once per connection (and, after a few runs,
 * plans it once), and its ~2.7 KB text is not sent again with each batch. The arrays arrive
 * sorted by message SID and `ORDER BY ord` keeps that order, so concurrent batches lock rows in
 * one order (no deadlock between them). RETURNING names the rows written; a row the WHERE
 * refused (another tenant's SID) is absent.
 */
const BATCH_UPSERT = `
  INSERT INTO delivery_statuses AS d (message_sid, tenant_id, status, error_code)
  SELECT r.message_sid, r.tenant_id, r.status, r.error_code
  FROM unnest(?::text[], ?::uuid[], ?::text[], ?::integer[]) WITH ORDINALITY AS r(message_sid, tenant_id, status, error_code, ord)
  ORDER BY r.ord
  ${UPSERT_ON_CONFLICT}
  RETURNING d.message_sid`;

/**
 * node-pg keeps a statement prepared under this name on each connection that ran it. One name,
 * one text: it must never be reused for other SQL (node-pg refuses that on a connection).
 */
const BATCH_UPSERT_NAME = 'delivery_statuses_batch_upsert_v1';

/**
 * Indexes of the known reports in rounds: round k holds each SID's k-th report. ON CONFLICT
 * DO UPDATE cannot touch one row twice in a statement, and folding two statuses into one is not
 * the same as applying them in turn (after `delivered`, `failed` then `read` ends at `read`), so
 * a SID's later reports go in later statements, in the order they arrived.
 */
function rounds(reports: readonly DeliveryStatusReport[]): number[][] {
  const seen = new Map<string, number>();
  const out: number[][] = [];
  reports.forEach((r, i) => {
    if (!isKnownStatus(r.status)) return;
    const k = seen.get(r.messageSid) ?? 0;
    seen.set(r.messageSid, k + 1);
    (out[k] ??= []).push(i);
  });
  return out;
}

// Code-unit order: any total order does for locking, as long as every batch uses the same one.
const bySid = (reports: readonly DeliveryStatusReport[]) => (a: number, b: number) =>
  reports[a].messageSid < reports[b].messageSid ? -1 : reports[a].messageSid > reports[b].messageSid ? 1 : 0;

async function upsertRound(db: Knex, reports: readonly DeliveryStatusReport[], round: number[], outcomes: DeliveryStatusOutcome[]) {
  const ordered = [...round].sort(bySid(reports));
  const column = <T>(pick: (r: DeliveryStatusReport) => T) => ordered.map((i) => pick(reports[i]));
  // knex's binding type has no arrays with null elements; node-pg sends a null element as NULL.
  const errorCodes = column((r) => r.errorCode ?? null) as number[];
  const bindings = [column((r) => r.messageSid), column((r) => r.tenantId), column((r) => r.status), errorCodes];
  const { rows: written } = await db.raw<{ rows: Array<{ message_sid: string }> }>(BATCH_UPSERT, bindings).options({ name: BATCH_UPSERT_NAME });
  const recorded = new Set(written.map((w) => w.message_sid));
  for (const i of round) outcomes[i] = recorded.has(reports[i].messageSid) ? 'recorded' : 'other_tenant';
}

async function writeBatch(db: Knex, reports: readonly DeliveryStatusReport[]): Promise<DeliveryStatusOutcome[]> {
  const outcomes: DeliveryStatusOutcome[] = reports.map(() => 'unknown_status');
  const byRound = rounds(reports);
  if (byRound.length === 1) {
    // The common case, every SID once: one statement, its own transaction (no BEGIN/COMMIT round trips).
    await upsertRound(db, reports, byRound[0], outcomes);
  } else if (byRound.length > 1) {
    await db.transaction(async (trx) => {
      for (const round of byRound) await upsertRound(trx, reports, round, outcomes);
    });
  }
  return outcomes;
}

const DEADLOCK_DETECTED = '40P01';
const ATTEMPTS = 3;

/**
 * Records a batch of status reports, exactly as `recordDeliveryStatus` would one after another
 * (a status only moves forward, repeats are counted, another tenant's SID is left alone, an
 * unknown status ignored), and answers each report's outcome in order. All or nothing: when it
 * resolves every row is committed; when it throws none is.
 *
 * A deadlock is written again (up to 3 attempts): PostgreSQL rolled the victim back whole, and
 * the counter triggers on delivery_statuses can deadlock two batches on their counter rows (seen
 * in bench/webhook-ingest.ts runs: "while inserting index tuple in tenant_traffic_counters"),
 * which would otherwise fail every callback of the batch with a 500.
 */
export async function recordDeliveryStatuses(db: Knex, reports: readonly DeliveryStatusReport[]): Promise<DeliveryStatusOutcome[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeBatch(db, reports);
    } catch (err) {
      if (attempt >= ATTEMPTS || (err as { code?: unknown }).code !== DEADLOCK_DETECTED) throw err;
    }
  }
}
