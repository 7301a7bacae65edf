import type { Db } from './knex';
import { FINAL_STATUSES, SETTLED_STATUSES, UNKNOWN_OUTCOME } from '../domain/delivery-status';

/** A campaign's outbox by state, after audience hygiene. */
export async function audienceTally(db: Db, campaignId: string): Promise<{ queued: number; dropped: number }> {
  return db('outbox')
    .where({ campaign_id: campaignId })
    .select(db.raw(`count(*) FILTER (WHERE status = 'pending')::int AS queued, count(*) FILTER (WHERE status = 'dropped')::int AS dropped`))
    .first<{ queued: number; dropped: number }>();
}

/**
 * The planner's statistics for the outbox, after a campaign's rows arrived in bulk: until it
 * knows them it reads a whole campaign's pending rows for every page of Lookup and relay claims.
 */
export async function analyzeOutbox(db: Db): Promise<void> {
  await db.raw('ANALYZE outbox');
}

/** Pending rows are counted only this far: the workflow asks whether any are left, not how many. */
export const PENDING_COUNTED_UP_TO = 1_000;

export interface RelayTally {
  /** Rows still to send, counted up to PENDING_COUNTED_UP_TO (0: none left). */
  pending: number;
  sent: number;
  failed: number;
  reconciled: number;
  /** The earliest time a deferred pending row may go, if any. */
  next: Date | null;
  /** Times Twilio was asked about a message the relay could not be sure of, by answer (outbox_reconciliations). */
  found: number;
  notFound: number;
}

/**
 * The campaign's relay totals so far (every attempt's work included), read after every batch.
 * Nothing here reads the campaign's outbox as a whole, which made the tally's cost grow with
 * the campaign and a million-recipient relay quadratic: sent and failed are the sums of the
 * rows the outbox trigger keeps per campaign, hour and shard (campaign_traffic_counters: a row
 * moved to `sent`, or to `failed`, i.e. refused at create, counts in the transaction that moved
 * it), and the other figures read small partial indexes (migration 027). Pending rows are
 * counted in the pending index's order: with statistics from when every row was pending, the
 * planner would otherwise walk the table past every row already sent to find them.
 */
export async function relayTally(db: Db, campaignId: string): Promise<RelayTally> {
  const row = await db.first<{ pending: number; sent: number; failed: number; reconciled: number; next: Date | null; found: number; not_found: number }>(
    db.raw(
      `(SELECT count(*)::int FROM (SELECT 1 FROM outbox WHERE campaign_id = :campaignId AND status = 'pending' ORDER BY not_before LIMIT ${PENDING_COUNTED_UP_TO}) p) AS pending,
         (SELECT coalesce(sum(sent), 0)::int FROM campaign_traffic_counters WHERE campaign_id = :campaignId) AS sent,
         (SELECT coalesce(sum(refused), 0)::int FROM campaign_traffic_counters WHERE campaign_id = :campaignId) AS failed,
         (SELECT count(*)::int FROM outbox WHERE campaign_id = :campaignId AND reconciled) AS reconciled,
         (SELECT min(not_before) FROM outbox WHERE campaign_id = :campaignId AND status = 'pending') AS next,
         (SELECT count(*) FILTER (WHERE outcome = 'found')::int FROM outbox_reconciliations WHERE campaign_id = :campaignId) AS found,
         (SELECT count(*) FILTER (WHERE outcome = 'not_found')::int FROM outbox_reconciliations WHERE campaign_id = :campaignId) AS not_found`,
      { campaignId },
    ),
  );
  if (!row) throw new Error('relayTally: no row');
  return { pending: row.pending, sent: row.sent, failed: row.failed, reconciled: row.reconciled, next: row.next, found: row.found, notFound: row.not_found };
}

/** The campaign's sent messages, and how many of them have a final status or an unknown outcome. */
export async function deliveryTally(db: Db, campaignId: string): Promise<{ sent: number; final: number; unknown: number }> {
  return db('outbox as o')
    .leftJoin('delivery_statuses as d', 'd.message_sid', 'o.message_sid')
    .where({ 'o.campaign_id': campaignId, 'o.status': 'sent' })
    .select(
      db.raw('count(*)::int AS sent, count(*) FILTER (WHERE d.status = ANY(?))::int AS final, count(*) FILTER (WHERE d.status = ?)::int AS unknown', [
        [...FINAL_STATUSES],
        UNKNOWN_OUTCOME,
      ]),
    )
    .first<{ sent: number; final: number; unknown: number }>();
}

/** Sent messages of a campaign, sent before `sentBefore`, that are not settled yet (their callbacks got lost). */
export function outstandingMessageSids(db: Db, q: { campaignId: string; sentBefore: Date; limit: number }): Promise<string[]> {
  return db('outbox as o')
    .leftJoin('delivery_statuses as d', 'd.message_sid', 'o.message_sid')
    .where({ 'o.campaign_id': q.campaignId, 'o.status': 'sent' })
    .andWhere('o.sent_at', '<', q.sentBefore)
    .andWhere((w) => void w.whereNull('d.status').orWhereNotIn('d.status', [...SETTLED_STATUSES]))
    .orderBy('o.id')
    .limit(q.limit)
    .pluck<string[]>('o.message_sid');
}
