import type { Knex } from 'knex';
import { FINAL_STATUSES, isKnownStatus, STATUS_RANK } from '../domain/delivery-status';

export interface DeliveryStatusReport {
  messageSid: string;
  tenantId: string;
  status: string;
  errorCode?: number | null;
}

/**
 * `statusMovesForward` (src/domain/delivery-status.ts) as SQL, generated from the same
 * tables, so the webhook's write is one statement (no transaction, no row lock round trips:
 * it has to keep up with Twilio's callbacks). test/integration/delivery-statuses.test.ts
 * checks the two agree on every pair of statuses.
 */
const rankOf = (column: string) =>
  `(CASE ${column} ${Object.entries(STATUS_RANK)
    .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
    .join(' ')} ELSE -1 END)`;
const FINAL_LIST = [...FINAL_STATUSES].map((s) => `'${s}'`).join(', ');
const MOVES_FORWARD = `(CASE WHEN d.status IN (${FINAL_LIST}) THEN d.status = 'delivered' AND EXCLUDED.status = 'read' ELSE ${rankOf('EXCLUDED.status')} > ${rankOf('d.status')} END)`;

/**
 * What a status does to a message's existing row (EXCLUDED is the incoming one): shared by the
 * one-row upsert here and the webhook's multi-row one (delivery-status-batches.ts). EXCLUDED.callbacks
 * is how many posts the incoming row stands for (1 here).
 */
export const UPSERT_ON_CONFLICT = `
  ON CONFLICT (message_sid) DO UPDATE SET
    callbacks = d.callbacks + EXCLUDED.callbacks,
    status = CASE WHEN ${MOVES_FORWARD} THEN EXCLUDED.status ELSE d.status END,
    error_code = CASE WHEN ${MOVES_FORWARD} THEN EXCLUDED.error_code ELSE d.error_code END,
    updated_at = CASE WHEN ${MOVES_FORWARD} THEN now() ELSE d.updated_at END
  WHERE d.tenant_id = EXCLUDED.tenant_id`;

const UPSERT = `
  INSERT INTO delivery_statuses AS d (message_sid, tenant_id, status, error_code) VALUES (?, ?, ?, ?)
  ${UPSERT_ON_CONFLICT}`;

/** `other_tenant`: the SID is another tenant's message, left alone (the upsert's WHERE wrote no row). */
export type DeliveryStatusOutcome = 'recorded' | 'unknown_status' | 'other_tenant';

/**
 * Records what Twilio says of a message (a status callback, or a fetch when callbacks went
 * missing; or `UNKNOWN_OUTCOME` with Twilio's error code when that fetch was refused for
 * good): one row per message, a status only moves forward, repeats are counted and change
 * nothing. Another tenant's SID is left alone; a status not in STATUS_RANK is ignored.
 */
export async function recordDeliveryStatus(db: Knex, report: DeliveryStatusReport): Promise<DeliveryStatusOutcome> {
  if (!isKnownStatus(report.status)) return 'unknown_status';
  const { rowCount } = await db.raw<{ rowCount: number | null }>(UPSERT, [report.messageSid, report.tenantId, report.status, report.errorCode ?? null]);
  return rowCount === 0 ? 'other_tenant' : 'recorded';
}
