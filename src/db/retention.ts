import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

/**
 * Data retention in PostgreSQL: purging message and reply bodies, and the queue of Twilio
 * messages whose copy at Twilio is to be redacted. A purge sets the body column to NULL (or ''
 * where it is NOT NULL) and stamps `body_purged_at`, whatever the column held (plain text or
 * ciphertext); counts, SIDs and statuses stay for reports.
 */

/** Outbound rows a purge may touch: ones no relay will send again. */
const SETTLED = ['sent', 'failed', 'dropped'];

/** Puts Twilio messages on the redaction queue; one already queued stays as it is. */
export async function queueRedactions(db: Q, tenantId: string, messageSids: string[], cause: string): Promise<number> {
  const sids = [...new Set(messageSids.filter(Boolean))];
  if (!sids.length) return 0;
  const inserted = await db('twilio_redactions')
    .insert(sids.map((message_sid) => ({ tenant_id: tenantId, message_sid, cause })))
    .onConflict('message_sid')
    .ignore()
    .returning('id');
  return inserted.length;
}

/**
 * One page of the tenant's message and reply bodies older than `cutoff`: purged, and their
 * Twilio copies queued for redaction, in one transaction (a retried page finds them purged).
 * Returns how many of each it purged (counted in the pass's report in the same transaction);
 * fewer than `limit` of both means none is left.
 */
export async function purgeExpiredBodies(
  db: Knex,
  q: { tenantId: string; cutoff: Date; limit: number; /** The retention pass whose report counts them. */ runId: string },
): Promise<{ outbound: number; inbound: number; campaigns: number }> {
  return db.transaction(async (trx) => {
    const { rows: outbound } = await trx.raw<{ rows: Array<{ message_sid: string | null }> }>(
      `WITH picked AS (
         SELECT o.id FROM outbox o JOIN campaigns c ON c.id = o.campaign_id
         WHERE o.tenant_id = ? AND o.body_purged_at IS NULL AND o.status = ANY(?)
           AND coalesce(o.sent_at, o.claimed_at, c.created_at) < ?
         ORDER BY o.id LIMIT ? FOR UPDATE OF o SKIP LOCKED)
       UPDATE outbox SET body = NULL, body_purged_at = now() FROM picked WHERE outbox.id = picked.id
       RETURNING outbox.message_sid`,
      [q.tenantId, SETTLED, q.cutoff, q.limit],
    );
    const { rows: inbound } = await trx.raw<{ rows: Array<{ message_sid: string }> }>(
      `WITH picked AS (
         SELECT message_sid FROM inbound_messages
         WHERE tenant_id = ? AND body_purged_at IS NULL AND received_at < ?
         ORDER BY received_at, message_sid LIMIT ? FOR UPDATE SKIP LOCKED)
       UPDATE inbound_messages m SET body = '', body_purged_at = now() FROM picked WHERE m.message_sid = picked.message_sid
       RETURNING m.message_sid`,
      [q.tenantId, q.cutoff, q.limit],
    );
    // The phrase an opt-out request quotes from its reply goes with the reply's body.
    if (inbound.length)
      await trx('opt_out_requests')
        .whereIn(
          'inbound_message_sid',
          inbound.map((r) => r.message_sid),
        )
        .whereNotNull('phrase')
        .update({ phrase: null });
    await queueRedactions(
      trx,
      q.tenantId,
      [...outbound.map((r) => r.message_sid), ...inbound.map((r) => r.message_sid)].filter((s): s is string => !!s),
      'retention',
    );
    const campaigns = await purgeExpiredCampaigns(trx, q);
    if (outbound.length || inbound.length || campaigns)
      await trx('retention_runs')
        .where({ run_id: q.runId, tenant_id: q.tenantId })
        .update({
          outbound_purged: trx.raw('outbound_purged + ?', [outbound.length]),
          inbound_purged: trx.raw('inbound_purged + ?', [inbound.length]),
          campaigns_purged: trx.raw('campaigns_purged + ?', [campaigns]),
        });
    return { outbound: outbound.length, inbound: inbound.length, campaigns };
  });
}

/** Campaigns whose text a purge may take: finished ones (none of their rows will be sent again). */
const FINISHED = ['completed', 'canceled', 'refused'];

/**
 * One page of the tenant's finished campaigns whose last send (or, without any, whose end) is
 * older than `cutoff`: the text goes (`body` NULL, `body_purged_at` stamped), and so do the
 * scan's quotes of it (each finding's `span` and `suggestedFix`); name, figures, status,
 * times and the verdicts stay. Each recipient's message could otherwise be rebuilt from its
 * campaign's body long after the message's own body was purged.
 */
async function purgeExpiredCampaigns(trx: Knex.Transaction, q: { tenantId: string; cutoff: Date; limit: number }): Promise<number> {
  const { rows } = await trx.raw<{ rows: Array<{ id: string }> }>(
    `WITH picked AS (
       SELECT c.id FROM campaigns c
       WHERE c.tenant_id = ? AND c.body_purged_at IS NULL AND c.status = ANY(?)
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.campaign_id = c.id AND o.status IN ('pending', 'sending'))
         AND coalesce((SELECT max(coalesce(o.sent_at, o.claimed_at)) FROM outbox o WHERE o.campaign_id = c.id), c.finished_at, c.created_at) < ?
       ORDER BY c.id LIMIT ? FOR UPDATE OF c SKIP LOCKED)
     UPDATE campaigns SET body = NULL, body_purged_at = now(),
       scan = campaigns.scan || jsonb_build_object('findings', coalesce(
         (SELECT jsonb_agg((f - 'span' - 'suggestedFix') || '{"span": null}'::jsonb) FROM jsonb_array_elements(campaigns.scan -> 'findings') f),
         '[]'::jsonb))
     FROM picked WHERE campaigns.id = picked.id
     RETURNING campaigns.id`,
    [q.tenantId, FINISHED, q.cutoff, q.limit],
  );
  return rows.length;
}

/**
 * Where the tenant's next listing of its Twilio messages may start: the cutoff of its last
 * pass whose listing finished (everything sent before it was queued then), or undefined when
 * none has (list everything older than the cutoff).
 */
export async function lastListedCutoff(db: Q, tenantId: string): Promise<Date | undefined> {
  const row = await db('retention_runs')
    .where({ tenant_id: tenantId })
    .whereNotNull('twilio_listed_at')
    .max<{ cutoff: Date | null }>('cutoff as cutoff')
    .first();
  return row?.cutoff ?? undefined;
}

/** Messages found at Twilio are queued for redaction and counted in the pass's report, together. */
export async function queueListedMessages(db: Knex, q: { tenantId: string; runId: string; sids: string[] }): Promise<number> {
  return db.transaction(async (trx) => {
    const queued = await queueRedactions(trx, q.tenantId, q.sids, 'retention-listing');
    if (queued)
      await trx('retention_runs')
        .where({ run_id: q.runId, tenant_id: q.tenantId })
        .update({ twilio_found: trx.raw('twilio_found + ?', [queued]) });
    return queued;
  });
}

export interface PendingRedaction {
  id: string;
  message_sid: string;
  attempts: number;
}

/** The tenant's queued redactions after `afterId` (only those of `cause` when given), oldest first. */
export function pendingRedactions(db: Q, q: { tenantId: string; afterId: string; limit: number; cause?: string }): Promise<PendingRedaction[]> {
  return db('twilio_redactions')
    .where({ tenant_id: q.tenantId })
    .whereNull('redacted_at')
    .whereNull('gave_up_at')
    .andWhere('id', '>', q.afterId)
    .modify((b) => {
      if (q.cause) void b.andWhere({ cause: q.cause });
    })
    .orderBy('id')
    .limit(q.limit)
    .select<PendingRedaction[]>('id', 'message_sid', 'attempts');
}

/**
 * Marks a queued redaction done. Returns whether this call did it (1) or found it done already
 * (0): an attempt Temporal gave up on may still be running beside its retry, both redacting the
 * same message at Twilio, and only the one that marks it counts it.
 */
export async function markRedacted(db: Q, id: string): Promise<number> {
  return db('twilio_redactions')
    .where({ id })
    .whereNull('redacted_at')
    .update({ redacted_at: db.fn.now(), attempts: db.raw('attempts + 1'), last_error: null });
}

/**
 * A refused redaction: tried again by the next run unless `giveUp`. Returns 0, changing nothing,
 * when the row is settled already (redacted or given up by another attempt).
 */
export async function markRedactionFailed(db: Q, id: string, error: string, giveUp: boolean): Promise<number> {
  return db('twilio_redactions')
    .where({ id })
    .whereNull('redacted_at')
    .whereNull('gave_up_at')
    .update({ attempts: db.raw('attempts + 1'), last_error: error.slice(0, 500), gave_up_at: giveUp ? db.fn.now() : null });
}

/** Gives up every queued redaction of the tenant (its subaccount is closed or never existed). */
export async function giveUpRedactions(db: Q, tenantId: string, why: string): Promise<number> {
  return db('twilio_redactions')
    .where({ tenant_id: tenantId })
    .whereNull('redacted_at')
    .whereNull('gave_up_at')
    .update({ gave_up_at: db.fn.now(), last_error: why });
}

/** What a tenant's report row for one retention pass counted (`retention_runs`). */
export interface RetentionRunCounts {
  outboundPurged: number;
  inboundPurged: number;
  /** Finished campaigns whose text was purged. */
  campaignsPurged: number;
  /** Old messages with a body found by listing the subaccount's messages at Twilio (TwiML answers, say), queued for redaction. */
  twilioFound: number;
  twilioRedacted: number;
  twilioFailures: number;
}

const COUNT_COLUMNS = ['outbound_purged', 'inbound_purged', 'campaigns_purged', 'twilio_found', 'twilio_redacted', 'twilio_failures'] as const;
type CountRow = Record<(typeof COUNT_COLUMNS)[number], number>;

const countsOf = (r: CountRow): RetentionRunCounts => ({
  outboundPurged: r.outbound_purged,
  inboundPurged: r.inbound_purged,
  campaignsPurged: r.campaigns_purged,
  twilioFound: r.twilio_found,
  twilioRedacted: r.twilio_redacted,
  twilioFailures: r.twilio_failures,
});

/** Closes a tenant's report row for a pass (once) and answers what it counted; undefined when there is no such row. */
export async function closeRetentionRunRow(db: Q, runId: string, tenantId: string): Promise<RetentionRunCounts | undefined> {
  await db('retention_runs').where({ run_id: runId, tenant_id: tenantId }).whereNull('finished_at').update({ finished_at: db.fn.now() });
  const row = await db('retention_runs').where({ run_id: runId, tenant_id: tenantId }).first<CountRow | undefined>(COUNT_COLUMNS);
  return row && countsOf(row);
}

export interface RetentionRunView extends RetentionRunCounts {
  runId: string;
  tenantId: string;
  retentionDays: number;
  cutoff: Date;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Retention run reports, newest first: one tenant's, or every tenant's (staff). */
export async function retentionRuns(db: Q, q: { tenantId?: string; limit: number }): Promise<RetentionRunView[]> {
  const rows = await db('retention_runs')
    .modify((b) => {
      if (q.tenantId) void b.where({ tenant_id: q.tenantId });
    })
    .orderBy('started_at', 'desc')
    .limit(q.limit)
    .select<Array<CountRow & { run_id: string; tenant_id: string; retention_days: number; cutoff: Date; started_at: Date; finished_at: Date | null }>>();
  return rows.map((r) => ({
    runId: r.run_id,
    tenantId: r.tenant_id,
    retentionDays: r.retention_days,
    cutoff: r.cutoff,
    ...countsOf(r),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  }));
}
