import type { Db } from './knex';
import { storeLookups, type LookupAnswer } from './lookup-cache';
import { erasedAmong } from './erased-numbers';

/** How audience hygiene ends for one contact: dropped with a reason, before any send. */
export interface DroppedContact {
  id: string;
  phone: string;
  reason: string;
  detail: string;
}

/**
 * The planner's statistics for contacts, before an audience is paged: on a table it has not
 * analysed since a bulk upload it estimates a few dozen rows for a tenant and plans each page of
 * `contactsAfter` as a bitmap scan of every contact after the cursor, sorted for the first page's
 * worth (quadratic in the audience: 10,000 rows read for a page of 500 halfway through 20,000).
 */
export async function analyzeContacts(db: Db): Promise<void> {
  await db.raw('ANALYZE contacts');
}

/** The tenant's contacts after `afterId` in id order (only those tagged `audienceTag`, when set). */
export function contactsAfter(
  db: Db,
  q: { tenantId: string; audienceTag: string | null; afterId: string; limit: number },
): Promise<Array<{ id: string; phone: string }>> {
  return db('contacts')
    .where({ tenant_id: q.tenantId })
    .andWhere('id', '>', q.afterId)
    .modify((query) => {
      if (q.audienceTag) void query.whereRaw('? = ANY(tags)', [q.audienceTag]);
    })
    .orderBy('id')
    .limit(q.limit)
    .select<Array<{ id: string; phone: string }>>('id', 'phone');
}

/** Advisory lock class of a campaign's audience pages (migration 008's counters use 8008). */
const AUDIENCE_PAGE_LOCK = 8025;

/**
 * Holds the campaign's audience to this transaction until it ends. A retry of prepareAudience
 * can run beside the attempt it replaced (that one missed a heartbeat but is still writing until
 * it notices): without this, both would page the same contacts at once, each would miss the
 * other's uncommitted rows, and the loser of the outbox's unique index would record the contact
 * again as a `duplicate` of itself (610,500 such rows in a million-recipient bench run).
 */
export async function lockAudiencePage(trx: Db, campaignId: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [AUDIENCE_PAGE_LOCK, campaignId]);
}

/** Which of `contactIds` already have a row in the campaign's outbox (an earlier try's page). */
export async function contactsInOutbox(db: Db, campaignId: string, contactIds: string[]): Promise<Set<string>> {
  return new Set(await db('outbox').where({ campaign_id: campaignId }).whereIn('contact_id', contactIds).pluck<string[]>('contact_id'));
}

/**
 * Which of `phones` are on the tenant's suppression list, or (given the erasure hash key) were
 * erased on the person's request, which leaves only a keyed hash of the number.
 */
export async function suppressedAmong(db: Db, tenantId: string, phones: string[], erasureKey?: Buffer): Promise<Set<string>> {
  const listed = await db('suppressions').where({ tenant_id: tenantId }).whereIn('phone_e164', phones).pluck<string[]>('phone_e164');
  const erased = erasureKey ? await erasedAmong(db, tenantId, phones, erasureKey) : new Set<string>();
  return new Set([...listed, ...erased]);
}

/**
 * Queues recipients as pending outbox rows; one already queued for the campaign under the
 * same number is left out (the outbox's unique index). Returns the contacts that got a row.
 */
export async function queueRecipients(
  db: Db,
  campaign: { id: string; tenantId: string },
  recipients: Array<{ contact_id: string; phone_raw: string | undefined; to_e164: string; country: string | null }>,
): Promise<Set<string>> {
  const { rows } = await db.raw<{ rows: Array<{ contact_id: string }> }>(
    `INSERT INTO outbox (campaign_id, tenant_id, contact_id, phone_raw, to_e164, country)
     SELECT ?::uuid, ?::uuid, x.contact_id, x.phone_raw, x.to_e164, x.country
     FROM jsonb_to_recordset(?::jsonb) AS x(contact_id uuid, phone_raw text, to_e164 text, country text)
     ON CONFLICT (campaign_id, to_e164) WHERE to_e164 IS NOT NULL DO NOTHING RETURNING contact_id`,
    [campaign.id, campaign.tenantId, JSON.stringify(recipients)],
  );
  return new Set(rows.map((r) => r.contact_id));
}

/** Contacts hygiene dropped get an outbox row too, `dropped` with the reason, so the report shows them. */
export async function recordDroppedContacts(db: Db, campaign: { id: string; tenantId: string }, dropped: DroppedContact[]): Promise<void> {
  if (!dropped.length) return;
  await db('outbox').insert(
    dropped.map((d) => ({
      campaign_id: campaign.id,
      tenant_id: campaign.tenantId,
      contact_id: d.id,
      phone_raw: d.phone,
      status: 'dropped',
      drop_reason: d.reason,
      drop_detail: d.detail,
      looked_up: true,
    })),
  );
}

/** The campaign's pending rows not looked up yet, after `afterId` in id order. */
export function rowsToLookUp(db: Db, q: { campaignId: string; afterId: string; limit: number }): Promise<Array<{ id: string; to_e164: string }>> {
  return db('outbox')
    .where({ campaign_id: q.campaignId, status: 'pending', looked_up: false })
    .andWhere('id', '>', q.afterId)
    .orderBy('id')
    .limit(q.limit)
    .select<Array<{ id: string; to_e164: string }>>('id', 'to_e164');
}

/**
 * A page's Lookup results in one transaction: the new answers cached, and each row marked
 * looked up, dropped with its reason and detail when Lookup disqualified it.
 */
export async function recordLookupVerdicts(
  db: Db,
  answers: LookupAnswer[],
  verdicts: Array<{ ids: string[]; drop?: { reason: string; detail: string } }>,
): Promise<void> {
  await db.transaction(async (trx) => {
    await storeLookups(trx, answers);
    for (const { ids, drop } of verdicts) {
      await trx('outbox')
        .whereIn('id', ids)
        .update(drop ? { looked_up: true, status: 'dropped', drop_reason: drop.reason, drop_detail: drop.detail } : { looked_up: true });
    }
  });
}
