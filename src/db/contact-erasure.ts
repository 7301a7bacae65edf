import type { Knex } from 'knex';
import { recordAudit } from './audit';
import { recordErasedNumber } from './erased-numbers';
import { queueRedactions } from './retention';

export interface ErasureRequest {
  tenantId: string;
  contactId: string;
  /** `api-key:<id>`: who asked. */
  requestedBy: string;
  reason: string | null;
  hashKey: Buffer;
  /** A user restricted to their assigned contacts erases only those: another's contact is not found. */
  assignedUser?: string | null;
}

export type ErasureOutcome =
  | { ok: true; erasureId: string; erased: Record<string, number>; twilioQueued: number }
  | { ok: false; problem: 'not_found' }
  | { ok: false; problem: 'sending'; messages: number };

/**
 * Erases one contact of one tenant, in one transaction: the contact (name, tags, numbers), its
 * consent history, its message and reply bodies and numbers, its suppression, opt-out and
 * double opt-in records, and the Lookup answer for its number. Left behind: a keyed hash of the
 * number (so this tenant never texts it again), the messages' SIDs queued for redaction at
 * Twilio, counts in the campaigns' figures, and an audit entry that names no number.
 *
 * contact_consents rows are history the database refuses to change (UPDATE); erasure is the
 * one path that deletes them, explicitly and counted, before the contact itself.
 */
export async function eraseContact(db: Knex, req: ErasureRequest): Promise<ErasureOutcome> {
  return db.transaction(async (trx) => {
    const contact = await trx('contacts')
      .where({ id: req.contactId, tenant_id: req.tenantId })
      .modify((q) => {
        if (req.assignedUser) void q.where('assigned_user', req.assignedUser);
      })
      .forUpdate()
      .first<{ id: string; phone: string; phone_e164: string | null } | undefined>('id', 'phone', 'phone_e164');
    if (!contact) return { ok: false, problem: 'not_found' };
    const number = contact.phone_e164 ?? contact.phone.trim();
    // The same number typed another way is another row of the same person.
    const contactIds = await trx('contacts')
      .where({ tenant_id: req.tenantId })
      .andWhere((w) => void w.where({ id: contact.id }).orWhere({ phone_e164: number }))
      .pluck<string[]>('id');
    const own = (q: Knex.QueryBuilder) =>
      q.where({ tenant_id: req.tenantId }).andWhere((w) => void w.whereIn('contact_id', contactIds).orWhere({ to_e164: number }));

    // A message being handed to Twilio right now still needs its number: ask again in a moment.
    const sending = await own(trx('outbox')).where({ status: 'sending' }).count<{ n: string }[]>('* as n');
    if (Number(sending[0].n) > 0) return { ok: false, problem: 'sending', messages: Number(sending[0].n) };

    const erased: Record<string, number> = {};
    // Not sent yet: it never will be.
    erased.pendingDropped = await own(trx('outbox'))
      .where({ status: 'pending' })
      .update({ status: 'dropped', drop_reason: 'erased', drop_detail: 'erased on request' });
    const outbound = await own(trx('outbox'))
      .update({ body: null, phone_raw: '', to_e164: null, contact_id: null, body_purged_at: trx.raw('coalesce(body_purged_at, now())') })
      .returning<Array<{ message_sid: string | null }>>('message_sid');
    erased.messages = outbound.length;
    const inbound = await trx('inbound_messages')
      .where({ tenant_id: req.tenantId })
      .andWhere((w) => void w.whereIn('contact_id', contactIds).orWhere({ from_number: number }))
      .update({ body: '', from_number: '', contact_id: null, body_purged_at: trx.raw('coalesce(body_purged_at, now())') })
      .returning<Array<{ message_sid: string }>>('message_sid');
    erased.replies = inbound.length;
    erased.consents = await trx('contact_consents').where({ tenant_id: req.tenantId }).whereIn('contact_id', contactIds).delete();
    for (const table of ['suppressions', 'opt_out_requests', 'opt_out_notices', 'opt_in_confirmations'])
      erased[table] = await trx(table).where({ tenant_id: req.tenantId, phone_e164: number }).delete();
    erased.lookups = await trx('lookup_cache').where({ phone_e164: number }).delete();
    erased.contacts = await trx('contacts').where({ tenant_id: req.tenantId }).whereIn('id', contactIds).delete();
    await recordErasedNumber(trx, req.tenantId, number, req.hashKey);

    const [row] = await trx('contact_erasures')
      .insert({ tenant_id: req.tenantId, contact_id: contact.id, requested_by: req.requestedBy, reason: req.reason, erased: JSON.stringify(erased) })
      .returning<Array<{ id: string }>>('id');
    const twilioQueued = await queueRedactions(
      trx,
      req.tenantId,
      [...outbound.map((o) => o.message_sid), ...inbound.map((i) => i.message_sid)].filter((s): s is string => !!s),
      `erasure:${row.id}`,
    );
    await trx('contact_erasures').where({ id: row.id }).update({ twilio_queued: twilioQueued });
    await recordAudit(trx, {
      actor: req.requestedBy,
      actorKind: 'tenant',
      tenantId: req.tenantId,
      action: 'contact.erased',
      reason: req.reason,
      details: { erasureId: row.id, contactId: contact.id, erased, twilioQueued },
    });
    return { ok: true, erasureId: row.id, erased, twilioQueued };
  });
}

export interface ErasureView {
  id: string;
  contactId: string;
  requestedAt: Date;
  finishedAt: Date | null;
  erased: Record<string, number>;
  twilio: { queued: number; redacted: number; failures: number };
}

/**
 * One of the tenant's erasures; undefined for another tenant's. With `requestedByUser` (a user
 * restricted to their assigned contacts), only an erasure one of that user's keys asked for: the
 * contact is gone, so whose it was is known by who erased it (a restricted user erases only their own).
 */
export async function erasureOf(db: Knex, tenantId: string, id: string, scope: { requestedByUser?: string | null } = {}): Promise<ErasureView | undefined> {
  const { requestedByUser } = scope;
  const r = await db('contact_erasures')
    .where({ id, tenant_id: tenantId })
    .modify((q) => {
      if (requestedByUser)
        void q.whereIn('requested_by', db('api_keys').where({ tenant_id: tenantId, user_name: requestedByUser }).select(db.raw(`'api-key:' || id::text`)));
    })
    .first<
      | {
          id: string;
          contact_id: string;
          requested_at: Date;
          finished_at: Date | null;
          erased: Record<string, number>;
          twilio_queued: number;
          twilio_redacted: number;
          twilio_failures: number;
        }
      | undefined
    >();
  return (
    r && {
      id: r.id,
      contactId: r.contact_id,
      requestedAt: r.requested_at,
      finishedAt: r.finished_at,
      erased: r.erased,
      twilio: { queued: r.twilio_queued, redacted: r.twilio_redacted, failures: r.twilio_failures },
    }
  );
}
