import type { Knex } from 'knex';
import { statusMovesForward } from '../domain/delivery-status';

export interface DeliveryStatusReport {
  messageSid: string;
  tenantId: string;
  status: string;
  errorCode?: number | null;
}

/**
 * Records what Twilio says of a message (a status callback, or a fetch when callbacks went
 * missing): one row per message, a status only moves forward, repeats are counted and
 * change nothing. Another tenant's SID is ignored.
 */
export async function recordDeliveryStatus(db: Knex, report: DeliveryStatusReport): Promise<void> {
  await db.transaction(async (trx) => {
    const inserted = await trx('delivery_statuses')
      .insert({ message_sid: report.messageSid, tenant_id: report.tenantId, status: report.status, error_code: report.errorCode ?? null })
      .onConflict('message_sid')
      .ignore()
      .returning<{ message_sid: string }[]>('message_sid');
    if (inserted.length) return;
    const current = await trx('delivery_statuses').where({ message_sid: report.messageSid, tenant_id: report.tenantId }).forUpdate().first<{ status: string; callbacks: number } | undefined>();
    if (!current) return;
    const moves = statusMovesForward(current.status, report.status);
    await trx('delivery_statuses')
      .where({ message_sid: report.messageSid })
      .update({ callbacks: current.callbacks + 1, ...(moves ? { status: report.status, error_code: report.errorCode ?? null, updated_at: trx.fn.now() } : {}) });
  });
}
