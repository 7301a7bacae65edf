import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import { campaignOf, heartbeat, PAGE, stopIfAbandoned } from './shared';
import { senderOf } from './sender';
import type { AudienceCounts } from './types';
import { freshLookups, type LookupAnswer } from '../../db/lookup-cache';
import {
  analyzeContacts,
  contactsAfter,
  contactsInOutbox,
  lockAudiencePage,
  queueRecipients,
  recordDroppedContacts,
  recordLookupVerdicts,
  rowsToLookUp,
  suppressedAmong,
  type DroppedContact,
} from '../../db/outbox-audience';
import { analyzeOutbox, audienceTally } from '../../db/outbox-tallies';
import { destinationCountries } from '../../db/tenant-sending';
import { cleanAudience } from '../../domain/audience-hygiene';
import { defaultCountryOf } from '../../domain/phone';
import { contactsWithoutConsent } from '../../db/contact-consents';
import { erasureHashKey } from '../../db/erased-numbers';
import type { CampaignRow } from '../../db/campaigns';
import type { Db } from '../../db/knex';

/**
 * Hygiene's eligible contacts less those whose consent does not allow this campaign's message
 * type (src/domain/consent.ts): they are dropped as `no_consent`, with why, like any other drop.
 */
async function withoutUnconsented(
  db: Db,
  campaign: CampaignRow,
  hygiene: ReturnType<typeof cleanAudience<string>>,
  phoneOf: Map<string, string>,
): Promise<{ eligible: typeof hygiene.eligible; dropped: DroppedContact[] }> {
  const refused = await contactsWithoutConsent(db, {
    tenantId: campaign.tenant_id,
    messageType: campaign.message_type,
    contactIds: hygiene.eligible.map((e) => e.id),
  });
  return {
    eligible: hygiene.eligible.filter((e) => !refused.has(e.id)),
    dropped: [...hygiene.dropped, ...[...refused].map(([id, detail]) => ({ id, phone: phoneOf.get(id)!, reason: 'no_consent', detail }))],
  };
}

/** Before the relay: the audience into the outbox, cleaned, and every number's line type known. */
export function createCampaignPrepareActivities({ db, twilio, clock, config }: ActivityDeps) {
  return {
    /**
     * Audience hygiene into the outbox, a page of contacts at a time: E.164, de-duplication
     * (the outbox's unique index), suppression list, allowed countries, consent for the campaign's
     * message type. Resumable: contacts
     * already in this campaign's outbox are skipped, so a retry never double-counts.
     */
    async prepareAudience(campaignId: string): Promise<AudienceCounts> {
      const campaign = await campaignOf(db, campaignId);
      const countries = await destinationCountries(db, campaign.tenant_id);
      // Numbers erased on request are held back like suppressed ones (only their keyed hash is kept).
      const erasureKey = erasureHashKey(config);
      const target = { id: campaignId, tenantId: campaign.tenant_id };
      const resumed = (Context.current().info.heartbeatDetails as { cursor?: string } | undefined)?.cursor;
      let cursor = resumed ?? '00000000-0000-0000-0000-000000000000';
      if (!resumed) await analyzeContacts(db);
      for (;;) {
        stopIfAbandoned();
        const contacts = await contactsAfter(db, { tenantId: campaign.tenant_id, audienceTag: campaign.audience_tag, afterId: cursor, limit: PAGE });
        if (!contacts.length) break;
        await db.transaction(async (trx) => {
          // Taken before reading which contacts are done: another attempt's page on the same
          // contacts is committed (and seen) or has not begun.
          await lockAudiencePage(trx, campaignId);
          const done = await contactsInOutbox(
            trx,
            campaignId,
            contacts.map((c) => c.id),
          );
          const todo = contacts.filter((c) => !done.has(c.id));
          const defaultCountry = defaultCountryOf(countries);
          const firstPass = cleanAudience(todo, { defaultCountry, allowedCountries: countries, suppressed: new Set() });
          const suppressed = await suppressedAmong(
            trx,
            campaign.tenant_id,
            firstPass.eligible.map((e) => e.e164),
            erasureKey,
          );
          const hygiene = cleanAudience(todo, { defaultCountry, allowedCountries: countries, suppressed });
          const phoneOf = new Map(todo.map((c) => [c.id, c.phone]));
          const clean = await withoutUnconsented(trx, campaign, hygiene, phoneOf);
          const duplicates: DroppedContact[] = [];
          if (clean.eligible.length) {
            const inserted = await queueRecipients(
              trx,
              target,
              clean.eligible.map((e) => ({ contact_id: e.id, phone_raw: phoneOf.get(e.id), to_e164: e.e164, country: e.country ?? null })),
            );
            // Already on an earlier page: the outbox's unique index said so.
            for (const e of clean.eligible)
              if (!inserted.has(e.id)) duplicates.push({ id: e.id, phone: phoneOf.get(e.id)!, reason: 'duplicate', detail: e.e164 });
          }
          await recordDroppedContacts(trx, target, [...clean.dropped, ...duplicates]);
        });
        cursor = contacts[contacts.length - 1].id;
        heartbeat({ cursor });
      }
      await analyzeOutbox(db);
      return audienceTally(db, campaignId);
    },

    /**
     * Twilio Lookup v2 line type for every queued number not in the cache (or older than the
     * TTL); landlines and invalid numbers are dropped with the reason. Pages by outbox id.
     */
    async lookupAudience(input: {
      campaignId: string;
      ttlMs: number;
      concurrency?: number;
    }): Promise<{ lookedUp: number; fromCache: number; dropped: number }> {
      const campaign = await campaignOf(db, input.campaignId);
      const sender = await senderOf({ db, twilio }, campaign.tenant_id);
      const freshSince = new Date(clock().getTime() - input.ttlMs);
      const totals = { lookedUp: 0, fromCache: 0, dropped: 0 };
      // A cursor by outbox id: filtering on looked_up alone re-read every row already looked up
      // for each page, quadratic in the audience. A retry resumes at its last heartbeat.
      let afterId = (Context.current().info.heartbeatDetails as { afterId?: string } | undefined)?.afterId ?? '0';
      for (;;) {
        // A replaced attempt stops here rather than paying for every Lookup again beside its retry.
        stopIfAbandoned();
        const rows = await rowsToLookUp(db, { campaignId: input.campaignId, afterId, limit: PAGE });
        if (!rows.length) {
          // The statistics of prepareAudience's ANALYZE say no row is looked up: the relay's
          // claims would read every row of the campaign until autovacuum analysed it again.
          await analyzeOutbox(db);
          return totals;
        }
        const numbers = [...new Set(rows.map((r) => r.to_e164))];
        const cached = await freshLookups(db, numbers, freshSince);
        const missing = numbers.filter((n) => !cached.has(n));
        const answers: LookupAnswer[] = [];
        let next = 0;
        const lookUp = async () => {
          while (next < missing.length) {
            const phone = missing[next++];
            const answer = await sender.client.lookups.v2.phoneNumbers(phone).fetch({ fields: 'line_type_intelligence' });
            const lineType = (answer.lineTypeIntelligence as { type?: string } | null)?.type ?? null;
            const entry = { phone_e164: phone, valid: answer.valid, line_type: lineType, country: answer.countryCode ?? null, looked_up_at: clock() };
            answers.push(entry);
            cached.set(phone, entry);
            totals.lookedUp++;
          }
        };
        await Promise.all(Array.from({ length: input.concurrency ?? 16 }, lookUp));
        totals.fromCache += numbers.length - missing.length;
        // A page's answers and verdicts in a few statements, not one round trip per number.
        const verdicts = new Map<string, string[]>();
        for (const row of rows) {
          const found = cached.get(row.to_e164)!;
          const reason = !found.valid ? 'invalid' : found.line_type === 'landline' ? 'landline' : undefined;
          const key = reason ? JSON.stringify([reason, `Lookup: ${found.valid ? `line type ${found.line_type}` : 'not a valid number'}`]) : '';
          verdicts.set(key, [...(verdicts.get(key) ?? []), row.id]);
          if (reason) totals.dropped++;
        }
        await recordLookupVerdicts(
          db,
          answers,
          [...verdicts].map(([key, ids]) => {
            if (!key) return { ids };
            const [reason, detail] = JSON.parse(key) as [string, string];
            return { ids, drop: { reason, detail } };
          }),
        );
        afterId = rows[rows.length - 1].id;
        heartbeat({ ...totals, afterId });
      }
    },
  };
}
