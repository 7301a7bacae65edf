import type { Knex } from 'knex';
import { isKnownStatus } from '../domain/delivery-status';
import { UPSERT_ON_CONFLICT, type DeliveryStatusOutcome, type DeliveryStatusReport } from './delivery-statuses';

/**
 * Many reports as one multi-row upsert with the same rule as `recordDeliveryStatus`. Rows go in
 * message SID order so concurrent batches lock rows in one order (no deadlock between them).
 * RETURNING names the rows written; a row the WHERE refused (another tenant's SID) is absent.
 */
const BATCH_UPSERT = `
  INSERT INTO delivery_statuses AS d (message_sid, tenant_id, status, error_code)
  SELECT r.message_sid, r.tenant_id, r.status, r.error_code
  FROM jsonb_to_recordset(?::jsonb) AS r(message_sid text, tenant_id uuid, status text, error_code integer)
  ORDER BY r.message_sid
  ${UPSERT_ON_CONFLICT}
  RETURNING d.message_sid`;

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

async function upsertRound(db: Knex, reports: readonly DeliveryStatusReport[], round: number[], outcomes: DeliveryStatusOutcome[]) {
  const rows = round.map((i) => {
    const r = reports[i];
    return { message_sid: r.messageSid, tenant_id: r.tenantId, status: r.status, error_code: r.errorCode ?? null };
  });
  const { rows: written } = await db.raw<{ rows: Array<{ message_sid: string }> }>(BATCH_UPSERT, [JSON.stringify(rows)]);
  const recorded = new Set(written.map((w) => w.message_sid));
  for (const i of round) outcomes[i] = recorded.has(reports[i].messageSid) ? 'recorded' : 'other_tenant';
}

/**
 * Records a batch of status reports, exactly as `recordDeliveryStatus` would one after another
 * (a status only moves forward, repeats are counted, another tenant's SID is left alone, an
 * unknown status ignored), and answers each report's outcome in order. All or nothing: when it
 * resolves every row is committed; when it throws none is.
 */
export async function recordDeliveryStatuses(db: Knex, reports: readonly DeliveryStatusReport[]): Promise<DeliveryStatusOutcome[]> {
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
