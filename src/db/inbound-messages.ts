import type { Knex } from 'knex';
import { classifyInboundKeyword } from '../domain/keywords';
import { recipientOf, type ReplyRouting } from '../domain/reply-routing';

export interface InboundMessage {
  messageSid: string;
  tenantId: string;
  from: string;
  to: string;
  body: string;
}

export type InboundKind = 'opt_out' | 'opt_in' | 'help' | 'reply';

export interface InboundOutcome {
  kind: InboundKind;
  /** Twilio retried a webhook already recorded: nothing was counted or changed again. */
  duplicate: boolean;
  /** The tenant's answer to HELP / INFO. */
  helpText?: string;
  /** The reply's notification, when it should also be emailed (email_status pending). */
  emailNotificationId?: string;
}

const KIND: Record<string, InboundKind> = { 'opt-out': 'opt_out', 'opt-in': 'opt_in', help: 'help' };
const COUNTER: Record<InboundKind, string> = { opt_out: 'opt_outs', opt_in: 'opt_ins', help: 'replies', reply: 'replies' };

type TenantRow = { business_name: string; contact_email: string; help_text: string | null; default_user: string; reply_emails: boolean };

export const defaultHelpText = (t: Pick<TenantRow, 'business_name' | 'contact_email'>) =>
  `${t.business_name}: for help, contact ${t.contact_email || 'us'}. Msg & data rates may apply. Reply STOP to opt out.`;

/**
 * Records one inbound message, once per MessageSid, in one transaction: opt-outs go on the
 * suppression list and START takes the number off it (as Twilio's own handling does), every
 * message counts toward the tenant's rolling counters, and a free-text reply becomes a
 * notification for the contact's assigned user (the tenant's default user otherwise).
 */
export async function recordInboundMessage(db: Knex, msg: InboundMessage): Promise<InboundOutcome> {
  const keyword = classifyInboundKeyword(msg.body);
  const kind: InboundKind = keyword ? KIND[keyword] : 'reply';
  return db.transaction(async (trx) => {
    const tenant = await trx('tenants').where({ id: msg.tenantId }).first<TenantRow>('business_name', 'contact_email', 'help_text', 'default_user', 'reply_emails');
    if (!tenant) throw new Error(`no tenant ${msg.tenantId}`);
    const helpText = kind === 'help' ? (tenant.help_text ?? defaultHelpText(tenant)) : undefined;
    const contact = await trx('contacts')
      .where({ tenant_id: msg.tenantId, phone_e164: msg.from })
      .orderBy('updated_at', 'desc')
      .first<{ id: string; assigned_user: string } | undefined>('id', 'assigned_user');
    const routing: ReplyRouting | undefined = kind === 'reply' ? recipientOf(contact?.assigned_user, tenant.default_user) : undefined;
    const inserted = await trx('inbound_messages')
      .insert({ message_sid: msg.messageSid, tenant_id: msg.tenantId, from_number: msg.from, to_number: msg.to, body: msg.body, kind, contact_id: contact?.id ?? null, routed_to: routing?.user ?? null })
      .onConflict('message_sid')
      .ignore()
      .returning('message_sid');
    if (!inserted.length) {
      // The first delivery may have been answered with an error before its email was under way.
      const pending = await trx('notifications').where({ inbound_message_sid: msg.messageSid, email_status: 'pending' }).first<{ id: string } | undefined>('id');
      return { kind, duplicate: true, helpText, emailNotificationId: pending ? String(pending.id) : undefined };
    }

    await trx.raw(
      `INSERT INTO tenant_traffic_counters AS c (tenant_id, hour, shard, ${COUNTER[kind]}) VALUES (?, date_trunc('hour', now()), pg_backend_pid() % 8, 1)
       ON CONFLICT (tenant_id, hour, shard) DO UPDATE SET ${COUNTER[kind]} = c.${COUNTER[kind]} + 1`,
      [msg.tenantId],
    );
    if (kind === 'opt_out') {
      await trx('suppressions').insert({ tenant_id: msg.tenantId, phone_e164: msg.from, reason: 'opt_out', source: `inbound:${msg.messageSid}` }).onConflict(['tenant_id', 'phone_e164']).ignore();
    } else if (kind === 'opt_in') {
      // START undoes the handset's own opt-out (or Twilio's 21610 block); a manual suppression stays.
      await trx('suppressions').where({ tenant_id: msg.tenantId, phone_e164: msg.from }).whereIn('reason', ['opt_out', 'unsubscribed']).delete();
    } else if (routing) {
      const email = tenant.reply_emails ? (routing.email ?? (await emailOfUser(trx, msg.tenantId, routing.user, tenant))) : undefined;
      const [notification] = await trx('notifications')
        .insert({ tenant_id: msg.tenantId, user_name: routing.user, inbound_message_sid: msg.messageSid, email_status: email ? 'pending' : 'none', email_to: email ?? null })
        .returning<Array<{ id: string }>>('id');
      return { kind, duplicate: false, emailNotificationId: email ? String(notification.id) : undefined };
    }
    return { kind, duplicate: false, helpText };
  });
}

/** A user's address: the tenant's user list, and for the default `owner` the tenant's contact. */
async function emailOfUser(trx: Knex.Transaction, tenantId: string, user: string, tenant: TenantRow): Promise<string | undefined> {
  const row = await trx('tenant_users').where({ tenant_id: tenantId, name: user }).first<{ email: string | null } | undefined>('email');
  if (row?.email) return row.email;
  return user === 'owner' && tenant.contact_email ? tenant.contact_email : undefined;
}
