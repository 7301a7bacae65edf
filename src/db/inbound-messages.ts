import type { Knex } from 'knex';
import { classifyInboundKeyword } from '../domain/keywords';
import { classifyReplyIntent, type ReplyJudgement } from '../domain/compliance/reply-intent';
import { recipientOf, type ReplyRouting } from '../domain/reply-routing';
import { confirmationSentFor, confirmOptIn, optInProgramFor, requestOptInConfirmation, requestSentFor } from './double-opt-in';
import type { DataKeys } from '../crypto/data-keys';

export interface InboundMessage {
  messageSid: string;
  tenantId: string;
  from: string;
  to: string;
  body: string;
}

export type InboundKind = 'opt_out' | 'opt_in' | 'help' | 'reply' | 'opt_in_request';

export interface InboundOutcome {
  kind: InboundKind;
  /** Twilio retried a webhook already recorded: nothing was counted or changed again. */
  duplicate: boolean;
  /** The tenant's answer to HELP / INFO. */
  helpText?: string;
  /** The one message confirming a free-text opt-out (Twilio confirms keyword opt-outs itself). */
  optOutConfirmation?: string;
  /** The reply's notification, when it should also be emailed (email_status pending). */
  emailNotificationId?: string;
  /** Free text the engine read as a request to stop: applied on arrival, or open for the tenant to decide. */
  optOutRequest?: { id: string; status: 'applied' | 'open' };
  /** The campaign that last messaged the sender, to which the reply is attributed. */
  campaignId?: string;
  /** Double opt-in: the confirmation request answering a tenant's opt-in keyword, or the answer to its YES. */
  optInReply?: string;
}

const KIND: Record<string, InboundKind> = { 'opt-out': 'opt_out', 'opt-in': 'opt_in', help: 'help' };

type TenantRow = { business_name: string; contact_email: string; help_text: string | null; default_user: string; reply_emails: boolean };

export const defaultHelpText = (t: Pick<TenantRow, 'business_name' | 'contact_email'>) =>
  `${t.business_name}: for help, contact ${t.contact_email || 'us'}. Msg & data rates may apply. Reply STOP to opt out.`;

export const optOutConfirmationText = (businessName: string) =>
  `${businessName}: you are unsubscribed and will receive no more messages. Reply START to resubscribe.`;

/**
 * Counts one opt-out, in the caller's transaction: for the campaign it is attributed to (if
 * any), then for the tenant, in the counters' lock order (campaign rows before traffic rows).
 */
export async function countOptOut(trx: Knex.Transaction, tenantId: string, campaignId: string | null): Promise<void> {
  if (campaignId) {
    await trx.raw(
      `INSERT INTO campaign_traffic_counters AS c (tenant_id, hour, campaign_id, shard, opt_outs) VALUES (?, date_trunc('hour', now()), ?, pg_backend_pid() % 8, 1)
       ON CONFLICT (tenant_id, hour, campaign_id, shard) DO UPDATE SET opt_outs = c.opt_outs + 1`,
      [tenantId, campaignId],
    );
  }
  await bumpTrafficCounter(trx, tenantId, 'opt_outs');
}

async function bumpTrafficCounter(trx: Knex.Transaction, tenantId: string, column: 'opt_outs' | 'opt_ins' | 'replies'): Promise<void> {
  await trx.raw(
    `INSERT INTO tenant_traffic_counters AS c (tenant_id, hour, shard, ${column}) VALUES (?, date_trunc('hour', now()), pg_backend_pid() % 8, 1)
     ON CONFLICT (tenant_id, hour, shard) DO UPDATE SET ${column} = c.${column} + 1`,
    [tenantId],
  );
}

/** Puts a number on the tenant's suppression list as an opt-out (START takes it off again). */
export async function suppressOptOut(trx: Knex.Transaction, tenantId: string, phone: string, source: string): Promise<void> {
  await trx('suppressions').insert({ tenant_id: tenantId, phone_e164: phone, reason: 'opt_out', source }).onConflict(['tenant_id', 'phone_e164']).ignore();
}

/**
 * Records one inbound message, once per MessageSid, in one transaction. Keywords act as
 * Twilio's do: opt-outs go on the suppression list and START takes the number off it. Free
 * text is read by the compliance engine: a confident request to stop is an opt-out like STOP
 * (source `inbound-free-text:<sid>`), an uncertain one is held for the tenant to confirm, and
 * anything but an opt-out becomes a notification for the contact's assigned user (the
 * tenant's default user otherwise). A tenant's opt-in keyword (JOIN) is answered with a
 * confirmation request, and a YES to one records the number's consent (src/db/double-opt-in.ts).
 * The reply is attributed to the campaign that last messaged the sender; every message counts
 * once toward the rolling counters.
 */
export async function recordInboundMessage(db: Knex, keys: DataKeys, msg: InboundMessage): Promise<InboundOutcome> {
  const keyword = classifyInboundKeyword(msg.body);
  let judgement: ReplyJudgement | undefined = keyword ? undefined : classifyReplyIntent(msg.body);
  let kind: InboundKind = keyword ? KIND[keyword] : judgement?.intent === 'opt_out' ? 'opt_out' : 'reply';
  // Sealed before the transaction: a tenant's first data key is made on its own connection.
  const seal = await keys.sealerFor(msg.tenantId);
  return db.transaction(async (trx) => {
    const tenant = await trx('tenants')
      .where({ id: msg.tenantId })
      .first<TenantRow>('business_name', 'contact_email', 'help_text', 'default_user', 'reply_emails');
    if (!tenant) throw new Error(`no tenant ${msg.tenantId}`);
    // A tenant's opt-in keyword (JOIN) asks for confirmation instead of reaching a user.
    const program = keyword ? undefined : await optInProgramFor(trx, msg.tenantId, msg.body, tenant.business_name);
    if (program) [kind, judgement] = ['opt_in_request', undefined];
    const helpText = kind === 'help' ? (tenant.help_text ?? defaultHelpText(tenant)) : undefined;
    const optOutConfirmation = judgement?.intent === 'opt_out' ? optOutConfirmationText(tenant.business_name) : undefined;
    const contact = await trx('contacts')
      .where({ tenant_id: msg.tenantId, phone_e164: msg.from })
      .orderBy('updated_at', 'desc')
      .first<{ id: string; assigned_user: string } | undefined>('id', 'assigned_user');
    // The last campaign that reached this number (outbox_sent_recipient: one index probe).
    const lastSent = await trx('outbox')
      .where({ tenant_id: msg.tenantId, to_e164: msg.from, status: 'sent' })
      .orderBy('sent_at', 'desc')
      .first<{ campaign_id: string } | undefined>('campaign_id');
    const campaignId = lastSent?.campaign_id ?? null;
    const routing: ReplyRouting | undefined = kind === 'reply' ? recipientOf(contact?.assigned_user, tenant.default_user) : undefined;
    const inserted = await trx('inbound_messages')
      .insert({
        message_sid: msg.messageSid,
        tenant_id: msg.tenantId,
        from_number: msg.from,
        to_number: msg.to,
        body: seal('inbound_messages.body', msg.body),
        kind,
        contact_id: contact?.id ?? null,
        routed_to: routing?.user ?? null,
        campaign_id: campaignId,
        intent: judgement?.intent ?? null,
      })
      .onConflict('message_sid')
      .ignore()
      .returning('message_sid');
    if (!inserted.length) {
      // The first delivery may have been answered with an error before its email was under way.
      const pending = await trx('notifications')
        .where({ inbound_message_sid: msg.messageSid, email_status: 'pending' })
        .first<{ id: string } | undefined>('id');
      const request = await trx('opt_out_requests')
        .where({ inbound_message_sid: msg.messageSid })
        .first<{ id: string; status: 'applied' | 'open' } | undefined>('id', 'status');
      return {
        kind,
        duplicate: true,
        helpText,
        optOutConfirmation,
        emailNotificationId: pending ? String(pending.id) : undefined,
        optOutRequest: request ? { id: String(request.id), status: request.status } : undefined,
        campaignId: campaignId ?? undefined,
        optInReply: program
          ? await requestSentFor(trx, msg.messageSid)
          : kind === 'opt_in'
            ? await confirmationSentFor(trx, msg.messageSid, tenant.business_name)
            : undefined,
      };
    }

    const outcome: InboundOutcome = { kind, duplicate: false, helpText, optOutConfirmation, campaignId: campaignId ?? undefined };
    if (judgement && judgement.intent !== 'other') {
      const status = judgement.intent === 'opt_out' ? 'applied' : 'open';
      const [{ id }] = await trx('opt_out_requests')
        .insert({
          tenant_id: msg.tenantId,
          inbound_message_sid: msg.messageSid,
          phone_e164: msg.from,
          status,
          log_odds: judgement.logOdds,
          phrase: judgement.phrase === null ? null : seal('opt_out_requests.phrase', judgement.phrase),
        })
        .returning<Array<{ id: string }>>('id');
      outcome.optOutRequest = { id: String(id), status };
    }
    if (kind === 'opt_out') {
      await countOptOut(trx, msg.tenantId, campaignId);
      await suppressOptOut(trx, msg.tenantId, msg.from, `${keyword ? 'inbound' : 'inbound-free-text'}:${msg.messageSid}`);
    } else if (program) {
      outcome.optInReply = await requestOptInConfirmation(trx, msg, program);
    } else if (kind === 'opt_in') {
      outcome.optInReply = await confirmOptIn(trx, msg, tenant);
      await bumpTrafficCounter(trx, msg.tenantId, 'opt_ins');
      // START undoes the handset's own opt-out (or Twilio's 21610 block); a manual suppression stays.
      await trx('suppressions').where({ tenant_id: msg.tenantId, phone_e164: msg.from }).whereIn('reason', ['opt_out', 'unsubscribed']).delete();
    } else {
      await bumpTrafficCounter(trx, msg.tenantId, 'replies');
    }
    if (routing) {
      const email = tenant.reply_emails ? (routing.email ?? (await emailOfUser(trx, msg.tenantId, routing.user, tenant))) : undefined;
      const [notification] = await trx('notifications')
        .insert({
          tenant_id: msg.tenantId,
          user_name: routing.user,
          inbound_message_sid: msg.messageSid,
          email_status: email ? 'pending' : 'none',
          email_to: email ?? null,
        })
        .returning<Array<{ id: string }>>('id');
      if (email) outcome.emailNotificationId = String(notification.id);
    }
    return outcome;
  });
}

/** A user's address: the tenant's user list, and for the default `owner` the tenant's contact. */
async function emailOfUser(trx: Knex.Transaction, tenantId: string, user: string, tenant: TenantRow): Promise<string | undefined> {
  const row = await trx('tenant_users').where({ tenant_id: tenantId, name: user }).first<{ email: string | null } | undefined>('email');
  if (row?.email) return row.email;
  return user === 'owner' && tenant.contact_email ? tenant.contact_email : undefined;
}
