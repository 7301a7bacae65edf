import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './deps';
import { recordAudit } from '../db/audit';
import type { RetentionTotals } from '../workflows/data-retention/definitions';
import { purgeTenantPersonalData } from '../db/offboarding';
import { tenantSubaccount, credentialsOfTenant } from '../db/tenant-credentials';
import {
  closeRetentionRunRow,
  giveUpRedactions,
  lastListedCutoff,
  markRedacted,
  markRedactionFailed,
  pendingRedactions,
  purgeExpiredBodies,
  queueListedMessages,
  queueRedactions,
} from '../db/retention';
import { callTwilio, isTransientTwilioError, rethrowTwilioError, twilioErrorOf } from '../twilio/errors';

/** Where a redaction pass's counts are added up. */
export type RedactionReport = { kind: 'retention'; runId: string } | { kind: 'erasure'; erasureId: string } | { kind: 'offboarding' };

export interface RedactionPage {
  redacted: number;
  failed: number;
  /** The last queue row tried: the next page starts after it. */
  lastId: string;
  /** Whether a page after this one may hold more. */
  more: boolean;
}

/**
 * What a tenant's report row for one retention pass counted, as the workflow reads it: answers
 * recorded before campaigns were purged or subaccounts listed lack those two counts.
 */
export type RetentionRunCounts = Omit<RetentionTotals, 'tenants'>;

/** Offboarding's steps, in order, as GET …/offboarding shows them. */
export type OffboardingStep = 'stopping' | 'releasing_numbers' | 'redacting' | 'closing_subaccount' | 'waiting_retention' | 'purging' | 'done';

/**
 * How far before the last finished listing's cutoff the next listing starts: Twilio filters
 * DateSent at day granularity in places, so a day's overlap (re-queueing is a no-op).
 */
const LISTING_OVERLAP_MS = 86_400_000;

/** How many times a message Twilio will not redact yet (not final) is tried before it is given up. */
const MAX_REDACTION_ATTEMPTS = 5;
/** Twilio refusing a redaction for good: no such message (20404). Anything else is tried again next run. */
const GIVE_UP_CODES = new Set([20404]);

const SYSTEM = { actor: 'system:data-retention', actorKind: 'system' as const };

/**
 * Retention, erasure and offboarding: purging bodies in PostgreSQL, redacting Twilio's copies
 * (Messages update with an empty Body, through the tenant's subaccount), releasing numbers and
 * closing the subaccount. Every activity is idempotent: a retry finds its own work done.
 */
export function createDataProtectionActivities({ db, twilio, log }: ActivityDeps) {
  /** Counts a page's outcomes in its report, in the transaction that records them (a retry never counts twice). */
  const addToReport = async (trx: Knex.Transaction, tenantId: string, report: RedactionReport, redacted: number, failed: number) => {
    if (!redacted && !failed) return;
    const increments = { twilio_redacted: trx.raw('twilio_redacted + ?', [redacted]), twilio_failures: trx.raw('twilio_failures + ?', [failed]) };
    if (report.kind === 'retention') await trx('retention_runs').where({ run_id: report.runId, tenant_id: tenantId }).update(increments);
    else if (report.kind === 'erasure') await trx('contact_erasures').where({ id: report.erasureId, tenant_id: tenantId }).update(increments);
    else await trx('tenant_offboardings').where({ tenant_id: tenantId }).update(increments);
  };

  return {
    /** A page of tenants with their retention period, by id (`only`: these tenants alone, for tests). */
    async retentionTenants(input: { afterId: string; limit: number; only?: string[] }): Promise<Array<{ id: string; retentionDays: number }>> {
      const rows = await db('tenants')
        .where('id', '>', input.afterId)
        .modify((b) => {
          if (input.only) void b.whereIn('id', input.only);
        })
        .orderBy('id')
        .limit(input.limit)
        .select<Array<{ id: string; retention_days: number }>>('id', 'retention_days');
      return rows.map((r) => ({ id: r.id, retentionDays: r.retention_days }));
    },

    /** The tenant's report row for this run (made once). */
    async openRetentionRun(input: { runId: string; tenantId: string; retentionDays: number; cutoff: string }): Promise<void> {
      await db('retention_runs')
        .insert({ run_id: input.runId, tenant_id: input.tenantId, retention_days: input.retentionDays, cutoff: input.cutoff })
        .onConflict(['run_id', 'tenant_id'])
        .ignore();
    },

    /** One page of the tenant's bodies older than `cutoff`, purged and queued for redaction; counted in the run's report. */
    async purgeExpiredPage(input: {
      runId: string;
      tenantId: string;
      cutoff: string;
      limit: number;
    }): Promise<{ outbound: number; inbound: number; campaigns: number }> {
      return purgeExpiredBodies(db, { tenantId: input.tenantId, cutoff: new Date(input.cutoff), limit: input.limit, runId: input.runId });
    },

    /**
     * The tenant's part of the pass is done: its report row is closed, and what the row counted is
     * returned. The pass adds these to its totals rather than its pages' answers: a page whose
     * worker died after committing was counted here, but never answered the workflow.
     */
    async closeRetentionRun(input: { runId: string; tenantId: string }): Promise<RetentionRunCounts> {
      const counted = await closeRetentionRunRow(db, input.runId, input.tenantId);
      if (!counted) throw ApplicationFailure.nonRetryable(`no retention report for run ${input.runId}, tenant ${input.tenantId}`, 'NoRetentionRun');
      return counted;
    },

    /**
     * Lists the messages Twilio holds in the tenant's subaccount sent before `cutoff` (Messages
     * list with DateSent<, a page at a time; from a day before the last finished listing's
     * cutoff on) and queues each one still holding a body for redaction: the TwiML answers
     * (HELP, opt-out and opt-in confirmations), whose SIDs clearsend never learns, and anything
     * else clearsend did not record. Counted in the pass's report (`twilio_found`); the
     * redaction pages that follow redact them. Done once per pass and tenant; a retry lists
     * again (queueing a message twice is a no-op). Twilio refusing the listing is one failure,
     * and the next pass lists again.
     */
    async queueOldTwilioMessages(input: { runId: string; tenantId: string; cutoff: string; pageSize: number }): Promise<{ found: number }> {
      const where = { run_id: input.runId, tenant_id: input.tenantId };
      const run = await db('retention_runs')
        .where(where)
        .first<{ twilio_listed_at: Date | null; twilio_found: number } | undefined>('twilio_listed_at', 'twilio_found');
      if (!run) throw ApplicationFailure.nonRetryable(`no retention report for run ${input.runId}, tenant ${input.tenantId}`, 'NoRetentionRun');
      if (run.twilio_listed_at) return { found: 0 };
      const closed = await db('tenant_offboardings')
        .where({ tenant_id: input.tenantId })
        .whereNotNull('subaccount_closed_at')
        .first<{ tenant_id: string } | undefined>('tenant_id');
      const subaccount = closed ? undefined : await tenantSubaccount(db, twilio, input.tenantId);
      const cutoff = new Date(input.cutoff);
      let found = 0;
      if (subaccount) {
        const since = await lastListedCutoff(db, input.tenantId);
        const client = subaccount.client();
        try {
          type Listed = {
            instances: Array<{ sid: string; body: string; dateSent: Date | null }>;
            nextPageUrl?: string;
            nextPage(): Promise<Listed> | undefined;
          };
          let page: Listed | undefined = await client.messages.page({
            dateSentBefore: cutoff,
            ...(since ? { dateSentAfter: new Date(since.getTime() - LISTING_OVERLAP_MS) } : {}),
            pageSize: input.pageSize,
          });
          while (page) {
            // Twilio's DateSent filters may be coarser than the cutoff: the cutoff decides here.
            const sids = page.instances.filter((m) => m.body !== '' && m.dateSent !== null && m.dateSent < cutoff).map((m) => m.sid);
            found += await queueListedMessages(db, { tenantId: input.tenantId, runId: input.runId, sids });
            Context.current().heartbeat({ found });
            page = page.nextPageUrl ? await page.nextPage() : undefined;
          }
        } catch (err) {
          if (isTransientTwilioError(err)) throw err;
          const refusal = twilioErrorOf(err);
          if (!refusal) throw err;
          await db('retention_runs')
            .where(where)
            .update({ twilio_failures: db.raw('twilio_failures + 1') });
          log.warn({ tenantId: input.tenantId, code: refusal.code, status: refusal.status }, 'listing Twilio messages for retention refused');
          return { found };
        }
      }
      // Nothing to list without a subaccount (or once it is closed: its messages go with it at Twilio).
      await db('retention_runs').where(where).whereNull('twilio_listed_at').update({ twilio_listed_at: db.fn.now() });
      return { found };
    },

    /**
     * Redacts one page of the tenant's queued Twilio messages (only `cause`'s when given) with
     * an empty Body through its subaccount. Throttling, Twilio faults and network errors fail
     * the activity (retried; rows already redacted are not tried again); a refusal is counted
     * and the row tried again by the next run, up to a few times, or given up when Twilio says
     * the message does not exist.
     */
    async redactQueuedPage(input: { tenantId: string; afterId: string; limit: number; cause?: string; report: RedactionReport }): Promise<RedactionPage> {
      const rows = await pendingRedactions(db, input);
      const page: RedactionPage = { redacted: 0, failed: 0, lastId: input.afterId, more: rows.length === input.limit };
      if (!rows.length) return page;
      const closed = await db('tenant_offboardings')
        .where({ tenant_id: input.tenantId })
        .whereNotNull('subaccount_closed_at')
        .first<{ tenant_id: string } | undefined>('tenant_id');
      const subaccount = closed ? undefined : await tenantSubaccount(db, twilio, input.tenantId);
      if (!subaccount) {
        // Nothing to reach: a closed subaccount's messages go with it at Twilio; without one there were none.
        const given = await db.transaction(async (trx) => {
          const n = await giveUpRedactions(trx, input.tenantId, closed ? 'subaccount closed' : 'no subaccount');
          await addToReport(trx, input.tenantId, input.report, 0, n);
          return n;
        });
        return { redacted: 0, failed: given, lastId: rows[rows.length - 1].id, more: false };
      }
      const client = subaccount.client();
      for (const row of rows) {
        try {
          await client.messages(row.message_sid).update({ body: '' });
          // Counted by the attempt that marks it: one Temporal timed out may still run beside its retry.
          page.redacted += await db.transaction(async (trx) => {
            const marked = await markRedacted(trx, row.id);
            await addToReport(trx, input.tenantId, input.report, marked, 0);
            return marked;
          });
        } catch (err) {
          // Throttled, Twilio down, no answer: the activity is retried and takes up the rows not yet redacted.
          if (isTransientTwilioError(err)) throw err;
          const refusal = twilioErrorOf(err)!;
          const giveUp = GIVE_UP_CODES.has(refusal.code ?? 0) || row.attempts + 1 >= MAX_REDACTION_ATTEMPTS;
          page.failed += await db.transaction(async (trx) => {
            const marked = await markRedactionFailed(trx, row.id, `Twilio ${refusal.code ?? refusal.status}: ${refusal.message ?? ''}`, giveUp);
            await addToReport(trx, input.tenantId, input.report, 0, marked);
            return marked;
          });
        }
        page.lastId = row.id;
        Context.current().heartbeat({ lastId: row.id });
      }
      return page;
    },

    /** An erasure's redactions are done: its report says so, and the audit log. */
    async finishErasure(input: { erasureId: string }): Promise<{ twilioRedacted: number; twilioFailures: number }> {
      return db.transaction(async (trx) => {
        const [row] = await trx('contact_erasures')
          .where({ id: input.erasureId })
          .update({ finished_at: trx.raw('coalesce(finished_at, now())') })
          .returning<Array<{ tenant_id: string; twilio_redacted: number; twilio_failures: number; finished_at: Date }>>([
            'tenant_id',
            'twilio_redacted',
            'twilio_failures',
          ]);
        await recordAudit(trx, {
          ...SYSTEM,
          tenantId: row.tenant_id,
          action: 'contact.erasure_redacted',
          details: { erasureId: input.erasureId, twilioRedacted: row.twilio_redacted, twilioFailures: row.twilio_failures },
        });
        return { twilioRedacted: row.twilio_redacted, twilioFailures: row.twilio_failures };
      });
    },

    /** Offboarding moves to `step`; the audit log keeps each step. */
    async recordOffboardingStep(input: { tenantId: string; step: OffboardingStep; details?: Record<string, unknown> }): Promise<void> {
      await db.transaction(async (trx) => {
        const changed = await trx('tenant_offboardings')
          .where({ tenant_id: input.tenantId })
          .whereNot({ step: input.step })
          .update({ step: input.step, updated_at: trx.fn.now(), ...(input.step === 'done' ? { finished_at: trx.fn.now() } : {}) });
        if (changed) await recordAudit(trx, { ...SYSTEM, tenantId: input.tenantId, action: `tenant.offboarding_${input.step}`, details: input.details ?? {} });
      });
    },

    /**
     * Offboarding's first step: the tenant is no longer an active sender (new campaigns are
     * refused at the gate) and its running campaigns are asked to stop (the relay checks the
     * flag between pages). Returns the campaigns, whose workflows the caller then signals.
     */
    async stopTenantSending(input: { tenantId: string }): Promise<{ campaignIds: string[] }> {
      return db.transaction(async (trx) => {
        await trx('tenants').where({ id: input.tenantId }).update({ status: 'offboarding', updated_at: trx.fn.now() });
        const running = await trx('campaigns')
          .where({ tenant_id: input.tenantId })
          .whereIn('status', ['preparing', 'relaying', 'waiting'])
          .pluck<string[]>('id');
        await trx('campaigns').whereIn('id', running).whereNull('cancel_requested_at').update({ cancel_requested_at: trx.fn.now() });
        await trx('tenant_offboardings').where({ tenant_id: input.tenantId }).update({ campaigns_canceled: running.length });
        return { campaignIds: running };
      });
    },

    /** Releases each of the tenant's numbers at Twilio (IncomingPhoneNumbers remove); one already gone counts as released. */
    async releaseTenantNumbers(input: { tenantId: string }): Promise<{ released: number }> {
      const numbers = await db('tenant_phone_numbers')
        .where({ tenant_id: input.tenantId })
        .whereNull('released_at')
        .select<Array<{ phone_number_sid: string }>>('phone_number_sid');
      const subaccount = await tenantSubaccount(db, twilio, input.tenantId);
      let released = 0;
      for (const n of numbers) {
        if (subaccount) {
          try {
            await subaccount.client().incomingPhoneNumbers(n.phone_number_sid).remove();
          } catch (err) {
            if (twilioErrorOf(err)?.status !== 404) rethrowTwilioError(err, 'release number');
          }
        }
        await db('tenant_phone_numbers').where({ phone_number_sid: n.phone_number_sid }).update({ released_at: db.fn.now() });
        released++;
      }
      await db('tenant_offboardings')
        .where({ tenant_id: input.tenantId })
        .update({ numbers_released: db.raw('numbers_released + ?', [released]) });
      return { released };
    },

    /** Queues every message of the tenant that Twilio holds for redaction before its subaccount closes. */
    async queueTenantRedactions(input: { tenantId: string }): Promise<{ queued: number }> {
      const sids = [
        ...(await db('outbox').where({ tenant_id: input.tenantId }).whereNotNull('message_sid').pluck<string[]>('message_sid')),
        ...(await db('inbound_messages').where({ tenant_id: input.tenantId }).pluck<string[]>('message_sid')),
      ];
      let queued = 0;
      for (let i = 0; i < sids.length; i += 1000) queued += await queueRedactions(db, input.tenantId, sids.slice(i, i + 1000), 'offboarding');
      return { queued };
    },

    /** Closes the tenant's subaccount (status closed; Twilio never reopens it). Returns when the data purge is due. */
    async closeTenantSubaccount(input: { tenantId: string; dayMs: number }): Promise<{ purgeAfter: string }> {
      const creds = await credentialsOfTenant(db, input.tenantId);
      if (creds) {
        const account = twilio.platform().api.v2010.accounts(creds.subaccountSid);
        const current = await callTwilio('fetch subaccount', () => account.fetch());
        if (current.status !== 'closed') await callTwilio('close subaccount', () => account.update({ status: 'closed' }));
      }
      const tenant = await db('tenants').where({ id: input.tenantId }).first<{ retention_days: number }>('retention_days');
      if (!tenant) throw ApplicationFailure.nonRetryable(`no tenant ${input.tenantId}`, 'NoTenant');
      const existing = await db('tenant_offboardings').where({ tenant_id: input.tenantId }).first<{ purge_after: Date | null }>('purge_after');
      const purgeAfter = existing?.purge_after ?? new Date(Date.now() + tenant.retention_days * input.dayMs);
      await db('tenant_offboardings')
        .where({ tenant_id: input.tenantId })
        .update({ subaccount_closed_at: db.raw('coalesce(subaccount_closed_at, now())'), purge_after: purgeAfter });
      await db('tenants').where({ id: input.tenantId }).update({ status: 'offboarded', updated_at: db.fn.now() });
      return { purgeAfter: purgeAfter.toISOString() };
    },

    /**
     * The purge step of offboardings started before `purgeOffboardedTenantData` existed (their
     * histories still schedule this activity): the same whole purge (src/db/offboarding.ts).
     */
    async purgeOffboardedTenant(input: { tenantId: string }): Promise<Record<string, number>> {
      const purged = await purgeTenantPersonalData(db, input.tenantId);
      log.info({ tenantId: input.tenantId, purged }, 'offboarded tenant purged');
      return purged;
    },
  };
}

export type DataProtectionActivities = ReturnType<typeof createDataProtectionActivities>;
