import type { Knex } from 'knex';
import { recordAudit } from './audit';
import { countOptOut, suppressOptOut } from './inbound-messages';
import type { DataKeys } from '../crypto/data-keys';

/**
 * Free-text replies the compliance engine read as requests to stop. A confident one was
 * applied on arrival; an uncertain one waits (`open`) until the tenant confirms it — then it
 * is an opt-out like STOP: suppressed, counted, and listed with the opt-outs — or dismisses it.
 */
export type OptOutRequestStatus = 'applied' | 'open' | 'confirmed' | 'dismissed';
export const OPT_OUT_REQUEST_STATUSES = ['applied', 'open', 'confirmed', 'dismissed'] as const;

export interface OptOutRequestView {
  id: string;
  status: OptOutRequestStatus;
  from: string;
  body: string;
  receivedAt: Date;
  messageSid: string;
  /** How sure the engine was (log2 odds of a request to stop) and the phrase that asked, if any. */
  logOdds: number;
  phrase: string | null;
  contactId: string | null;
  contactName: string | null;
  assignedUser: string | null;
  campaignId: string | null;
  campaignName: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

export async function listOptOutRequests(
  db: Knex,
  keys: DataKeys,
  tenantId: string,
  q: { status?: OptOutRequestStatus; before?: number; limit: number; id?: string; assignedUser?: string | null },
): Promise<OptOutRequestView[]> {
  const rows = await db('opt_out_requests as r')
    .join('inbound_messages as m', 'm.message_sid', 'r.inbound_message_sid')
    .leftJoin('contacts as c', 'c.id', 'm.contact_id')
    .leftJoin('campaigns as k', 'k.id', 'm.campaign_id')
    .where('r.tenant_id', tenantId)
    .modify((b) => {
      if (q.status) void b.where('r.status', q.status);
      if (q.before) void b.where('r.id', '<', q.before);
      if (q.id) void b.where('r.id', q.id);
      // A user restricted to their assigned contacts: requests from those contacts only.
      if (q.assignedUser) void b.where('c.assigned_user', q.assignedUser);
    })
    .orderBy('r.id', 'desc')
    .limit(q.limit)
    .select<Array<OptOutRequestView & { id: string | number }>>(
      'r.id',
      'r.status',
      'r.phone_e164 as from',
      'm.body',
      'm.received_at as receivedAt',
      'm.message_sid as messageSid',
      'r.log_odds as logOdds',
      'r.phrase',
      'c.id as contactId',
      'c.name as contactName',
      'c.assigned_user as assignedUser',
      'k.id as campaignId',
      'k.name as campaignName',
      'r.decided_at as decidedAt',
      'r.decided_by as decidedBy',
      'r.decision_reason as decisionReason',
    );
  await keys.openRows(rows, () => tenantId, { body: 'inbound_messages.body', phrase: 'opt_out_requests.phrase', contactName: 'contacts.name' });
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}

export type DecisionOutcome =
  { ok: true; request: OptOutRequestView } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'decided'; status: OptOutRequestStatus };

/**
 * A tenant's decision on an open request, once: `confirm` suppresses the number and counts an
 * opt-out (for the tenant and the campaign the reply is attributed to), `dismiss` leaves
 * everything as it was. Both are audited. Another tenant's request is `not_found`.
 */
export async function decideOptOutRequest(
  db: Knex,
  keys: DataKeys,
  input: { tenantId: string; id: string; decision: 'confirm' | 'dismiss'; actor: string; reason?: string },
): Promise<DecisionOutcome> {
  const outcome = await db.transaction(async (trx): Promise<DecisionOutcome | { ok: true }> => {
    const request = await trx('opt_out_requests')
      .where({ id: input.id, tenant_id: input.tenantId })
      .forUpdate()
      .first<{ id: string; status: OptOutRequestStatus; inbound_message_sid: string; phone_e164: string } | undefined>(
        'id',
        'status',
        'inbound_message_sid',
        'phone_e164',
      );
    if (!request) return { ok: false, reason: 'not_found' };
    if (request.status !== 'open') return { ok: false, reason: 'decided', status: request.status };
    const status: OptOutRequestStatus = input.decision === 'confirm' ? 'confirmed' : 'dismissed';
    await trx('opt_out_requests')
      .where({ id: request.id })
      .update({ status, decided_at: trx.fn.now(), decided_by: input.actor, decision_reason: input.reason ?? null });
    const message = await trx('inbound_messages').where({ message_sid: request.inbound_message_sid }).first<{ campaign_id: string | null }>('campaign_id');
    if (input.decision === 'confirm') {
      // From now on it is an opt-out like any other: in the opt-out report, the campaign's rate and the monitor's.
      await trx('inbound_messages').where({ message_sid: request.inbound_message_sid }).update({ kind: 'opt_out' });
      await countOptOut(trx, input.tenantId, message.campaign_id);
      await suppressOptOut(trx, input.tenantId, request.phone_e164, `inbound-free-text-confirmed:${request.inbound_message_sid}`);
    }
    await recordAudit(trx, {
      actor: input.actor,
      actorKind: 'tenant',
      tenantId: input.tenantId,
      action: `opt_out_request.${status}`,
      reason: input.reason ?? null,
      details: { requestId: String(request.id), messageSid: request.inbound_message_sid, campaignId: message.campaign_id },
    });
    return { ok: true };
  });
  if (!outcome.ok) return outcome;
  const [request] = await listOptOutRequests(db, keys, input.tenantId, { id: input.id, limit: 1 });
  return { ok: true, request };
}
