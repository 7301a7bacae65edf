import type { Knex } from 'knex';
import { recordAudit } from './audit';

type Q = Knex | Knex.Transaction;

/** Who revokes an offboarded tenant's keys and purges its data, in the audit log. */
export const OFFBOARDING_ACTOR = { actor: 'system:offboarding', actorKind: 'system' as const };

/**
 * Revokes every API key of the tenant at once: the tenant's own keys and every user's, a key
 * still in a rotation's grace included (its grace ends now). One `api_key.revoked` audit entry
 * per key, in the same transaction. Safe to repeat: a revoked key is not touched again.
 */
export async function revokeTenantKeys(db: Knex, tenantId: string): Promise<{ revoked: number }> {
  return db.transaction(async (trx) => {
    const keys = await trx('api_keys')
      .where({ tenant_id: tenantId })
      .andWhere((w) => void w.whereNull('revoked_at').orWhere('revoked_at', '>', trx.fn.now()))
      .update({ revoked_at: trx.fn.now(), revoked_by: OFFBOARDING_ACTOR.actor })
      .returning<Array<{ id: string; key_prefix: string; user_name: string | null }>>(['id', 'key_prefix', 'user_name']);
    for (const k of keys)
      await recordAudit(trx, {
        ...OFFBOARDING_ACTOR,
        tenantId,
        action: 'api_key.revoked',
        reason: 'tenant offboarding',
        details: { keyId: k.id, prefix: `cs_tenant_${k.key_prefix}`, role: 'tenant', user: k.user_name },
      });
    return { revoked: keys.length };
  });
}

/** How many of the tenant's queued Twilio redactions are neither done nor given up. */
export async function pendingRedactionCount(db: Q, tenantId: string): Promise<number> {
  const [{ n }] = await db('twilio_redactions')
    .where({ tenant_id: tenantId })
    .whereNull('redacted_at')
    .whereNull('gave_up_at')
    .count<Array<{ n: string }>>('* as n');
  return Number(n);
}

/** At most this many not-redacted messages are listed one by one in the report (all are counted). */
const NOT_REDACTED_LISTED = 500;

/**
 * The tenant's messages Twilio could not be made to redact (given up: no such message, or
 * refused every attempt): their SIDs and Twilio's error code, for the offboarding report.
 * The error's text is left out (Twilio's messages may quote a number).
 */
export async function notRedacted(db: Q, tenantId: string): Promise<{ count: number; messages: Array<{ messageSid: string; error: string }> }> {
  const rows = await db('twilio_redactions')
    .where({ tenant_id: tenantId })
    .whereNull('redacted_at')
    .whereNotNull('gave_up_at')
    .orderBy('id')
    .select<Array<{ message_sid: string; last_error: string | null }>>('message_sid', 'last_error');
  const codeOf = (e: string | null) => /^Twilio (\d+)/.exec(e ?? '')?.[1];
  return {
    count: rows.length,
    messages: rows
      .slice(0, NOT_REDACTED_LISTED)
      .map((r) => ({ messageSid: r.message_sid, error: codeOf(r.last_error) ? `Twilio ${codeOf(r.last_error)}` : (r.last_error ?? 'unknown') })),
  };
}

/**
 * After the retention period: every piece of the offboarded tenant's personal data goes, in one
 * transaction. What stays is what an auditor needs: the audit log, counts (campaign figures,
 * traffic counters, outbox and reply rows without number or body), the offboarding record, the
 * tenant row with its business name, and users' names (the audit log attributes actions to them).
 *
 * - contacts with their consent history; suppressions, opt-out requests and notices, double
 *   opt-in confirmations, erased-number hashes, the redaction queue;
 * - message bodies and recipients (outbox), replies (inbound_messages body and sender);
 * - campaigns' bodies (sealed or, from before encryption, plain) and the matched spans of their
 *   content scan; message templates;
 * - the Lookup cache rows of the tenant's numbers, unless another tenant has a contact with that
 *   number (the cache is keyed by number alone and shared);
 * - users' emails, the addresses reply emails went to (notifications.email_to);
 * - the owner's contact details (tenants, KYC submissions), the help text, the carrier
 *   registration's representative (name, email, phone, title), a sole proprietor's mobile and
 *   address, sandbox test sends (to the owner's phone);
 * - last, the tenant's data keys (crypto-shredding): a sealed value anything above missed can no
 *   longer be opened.
 */
export async function purgeTenantPersonalData(db: Knex, tenantId: string): Promise<Record<string, number>> {
  return db.transaction(async (trx) => {
    const counts: Record<string, number> = {};
    // While the contacts and messages still say which numbers were the tenant's.
    counts.lookups = (
      await trx.raw<{ rowCount: number }>(
        `DELETE FROM lookup_cache l
         WHERE l.phone_e164 IN (
             SELECT phone_e164 FROM contacts WHERE tenant_id = :t AND phone_e164 IS NOT NULL
             UNION SELECT phone FROM contacts WHERE tenant_id = :t
             UNION SELECT to_e164 FROM outbox WHERE tenant_id = :t AND to_e164 IS NOT NULL
             UNION SELECT from_number FROM inbound_messages WHERE tenant_id = :t AND from_number <> '')
           AND NOT EXISTS (
             SELECT 1 FROM contacts c WHERE c.tenant_id <> :t AND (c.phone_e164 = l.phone_e164 OR c.phone = l.phone_e164))`,
        { t: tenantId },
      )
    ).rowCount;
    counts.outbound = await trx('outbox')
      .where({ tenant_id: tenantId })
      .update({ body: null, phone_raw: '', to_e164: null, contact_id: null, body_purged_at: trx.raw('coalesce(body_purged_at, now())') });
    counts.inbound = await trx('inbound_messages')
      .where({ tenant_id: tenantId })
      .update({ body: '', from_number: '', contact_id: null, body_purged_at: trx.raw('coalesce(body_purged_at, now())') });
    counts.notifications = await trx('notifications').where({ tenant_id: tenantId }).whereNotNull('email_to').update({ email_to: null });
    counts.campaigns = await trx('campaigns')
      .where({ tenant_id: tenantId })
      .update({
        body: '',
        // The scan keeps its verdicts and counts; what it matched in the text goes.
        scan: trx.raw(
          `jsonb_set(scan, '{findings}', coalesce((
             SELECT jsonb_agg(CASE WHEN jsonb_typeof(f) = 'object' THEN f || '{"span": null, "suggestedFix": ""}'::jsonb ELSE f END)
             FROM jsonb_array_elements(CASE WHEN jsonb_typeof(scan->'findings') = 'array' THEN scan->'findings' ELSE '[]'::jsonb END) f), '[]'::jsonb))`,
        ),
      });
    counts.consents = await trx('contact_consents').where({ tenant_id: tenantId }).delete();
    counts.contacts = await trx('contacts').where({ tenant_id: tenantId }).delete();
    for (const table of [
      'suppressions',
      'opt_out_requests',
      'opt_out_notices',
      'opt_in_confirmations',
      'erased_numbers',
      'twilio_redactions',
      'sandbox_test_sends',
      'message_templates',
    ])
      counts[table] = await trx(table).where({ tenant_id: tenantId }).delete();
    counts.users = await trx('tenant_users').where({ tenant_id: tenantId }).update({ email: null });
    counts.kycSubmissions = await trx('kyc_submissions')
      .where({ tenant_id: tenantId })
      .update({ submission: trx.raw(`submission || '{"contactName": "", "contactEmail": ""}'::jsonb`) });
    counts.carrierRegistrations = await trx('carrier_registrations')
      .where({ tenant_id: tenantId })
      .update({
        details: trx.raw(
          `CASE WHEN brand_type = 'SOLE_PROPRIETOR' THEN details #- '{business,representative}' #- '{business,mobile}' #- '{business,address}'
                ELSE details #- '{business,representative}' #- '{business,mobile}' END`,
        ),
      });
    await trx('tenants').where({ id: tenantId }).update({ owner_phone: '', contact_name: '', contact_email: '', help_text: null, updated_at: trx.fn.now() });
    // Crypto-shredding, last: whatever sealed value is left anywhere cannot be opened any more.
    counts.dataKeys = await trx('tenant_data_keys').where({ tenant_id: tenantId }).delete();
    await trx('tenant_offboardings')
      .where({ tenant_id: tenantId })
      .update({ purged: JSON.stringify(counts) });
    return counts;
  });
}
