import type { Knex } from 'knex';
import { recordConsents } from './contact-consents';
import type { ConsentPurpose } from '../domain/consent';
import { CONFIRM_WORD, CONFIRMATION_TTL_MS, confirmationRequestText, normalizeKeyword, optInConfirmedText, type OptInProgram } from '../domain/double-opt-in';

type KeywordRow = { keyword: string; program_name: string; frequency: string; purposes: ConsentPurpose[] };

/** The tenant's opt-in program whose keyword is the whole of `body`, if any. */
export async function optInProgramFor(
  trx: Knex.Transaction,
  tenantId: string,
  body: string,
  brand: string,
): Promise<(OptInProgram & { keyword: string }) | undefined> {
  const row = await trx('opt_in_keywords')
    .where({ tenant_id: tenantId, keyword: normalizeKeyword(body) })
    .first<KeywordRow | undefined>('keyword', 'program_name', 'frequency', 'purposes');
  return row && { keyword: row.keyword, brand, programName: row.program_name, frequency: row.frequency, purposes: row.purposes };
}

/**
 * The handset texted a keyword: one confirmation request per MessageSid (a retried webhook gets
 * the same words back). Returns the request exactly as it is sent.
 */
export async function requestOptInConfirmation(
  trx: Knex.Transaction,
  msg: { tenantId: string; from: string; messageSid: string },
  program: OptInProgram & { keyword: string },
): Promise<string> {
  const wording = confirmationRequestText(program);
  await trx('opt_in_confirmations')
    .insert({
      tenant_id: msg.tenantId,
      keyword: program.keyword,
      phone_e164: msg.from,
      request_message_sid: msg.messageSid,
      wording,
      purposes: program.purposes,
      expires_at: trx.raw(`now() + make_interval(secs => ?)`, [CONFIRMATION_TTL_MS / 1000]),
    })
    .onConflict('request_message_sid')
    .ignore();
  return wording;
}

/** The stored request for a keyword text already answered (a retried webhook). */
export async function requestSentFor(trx: Knex.Transaction, messageSid: string): Promise<string | undefined> {
  return (await trx('opt_in_confirmations').where({ request_message_sid: messageSid }).first<{ wording: string } | undefined>('wording'))?.wording;
}

/**
 * A YES from a number with an unexpired, unconfirmed request: consent is recorded (method
 * keyword, source the keyword, the request's exact words, its purposes) for the number's contact,
 * made if the number is not one yet and tagged with the keyword. Returns the answer to send, or
 * undefined when no request waits (the YES is then Twilio's plain opt-in keyword).
 */
export async function confirmOptIn(
  trx: Knex.Transaction,
  msg: { tenantId: string; from: string; messageSid: string; body: string },
  tenant: { business_name: string; default_user: string },
): Promise<string | undefined> {
  if (normalizeKeyword(msg.body) !== CONFIRM_WORD) return undefined;
  const pending = await trx('opt_in_confirmations')
    .where({ tenant_id: msg.tenantId, phone_e164: msg.from })
    .whereNull('confirmed_at')
    .where('expires_at', '>', trx.fn.now())
    .orderBy('requested_at', 'desc')
    .forUpdate()
    .first<{ id: string; keyword: string; wording: string; purposes: ConsentPurpose[]; request_message_sid: string } | undefined>();
  if (!pending) return undefined;
  const program = await trx('opt_in_keywords').where({ tenant_id: msg.tenantId, keyword: pending.keyword }).first<KeywordRow | undefined>('program_name');
  let contactIds = await trx('contacts').where({ tenant_id: msg.tenantId, phone_e164: msg.from }).pluck<string[]>('id');
  if (!contactIds.length) {
    const made = await trx('contacts')
      .insert({ tenant_id: msg.tenantId, phone: msg.from, phone_e164: msg.from, assigned_user: tenant.default_user })
      .onConflict(['tenant_id', 'phone'])
      .merge({ phone_e164: msg.from })
      .returning<Array<{ id: string }>>('id');
    contactIds = made.map((c) => c.id);
  }
  // Tagged with the keyword, so a campaign can be aimed at the program's subscribers.
  await trx('contacts')
    .whereIn('id', contactIds)
    .whereRaw('NOT (? = ANY(tags))', [pending.keyword])
    .update({ tags: trx.raw('array_append(tags, ?)', [pending.keyword]), updated_at: trx.fn.now() });
  const [{ now }] = (await trx.raw<{ rows: Array<{ now: Date }> }>('SELECT now()')).rows;
  await recordConsents(
    trx,
    contactIds.map((contactId) => ({
      tenantId: msg.tenantId,
      contactId,
      status: 'granted' as const,
      purposes: pending.purposes,
      method: 'keyword' as const,
      source: pending.keyword,
      wording: pending.wording,
      occurredAt: now,
      recordedBy: `inbound:${msg.messageSid}`,
      evidence: { requestMessageSid: pending.request_message_sid, confirmationMessageSid: msg.messageSid },
    })),
  );
  await trx('opt_in_confirmations').where({ id: pending.id }).update({ confirmed_at: now, confirm_message_sid: msg.messageSid });
  return optInConfirmedText({ brand: tenant.business_name, programName: program?.program_name ?? pending.keyword });
}

/** The answer already given to a YES (a retried webhook). */
export async function confirmationSentFor(trx: Knex.Transaction, messageSid: string, brand: string): Promise<string | undefined> {
  const row = await trx('opt_in_confirmations as c')
    .leftJoin('opt_in_keywords as k', function () {
      this.on('k.tenant_id', 'c.tenant_id').andOn('k.keyword', 'c.keyword');
    })
    .where({ 'c.confirm_message_sid': messageSid })
    .first<{ keyword: string; program_name: string | null } | undefined>('c.keyword', 'k.program_name');
  return row && optInConfirmedText({ brand, programName: row.program_name ?? row.keyword });
}
