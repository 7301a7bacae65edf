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

export interface RelayTally {
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

/** The campaign's relay totals so far, from the outbox and its reconciliations (every attempt's work included). */
export async function relayTally(db: Db, campaignId: string): Promise<RelayTally> {
  const left = await db('outbox')
    .where({ campaign_id: campaignId })
    .select(
      db.raw(
        `count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE reconciled)::int AS reconciled`,
      ),
      db.raw(`min(not_before) FILTER (WHERE status = 'pending') AS next`),
    )
    .first<{ pending: number; sent: number; failed: number; reconciled: number; next: Date | null }>();
  const answers = await db('outbox_reconciliations')
    .where({ campaign_id: campaignId })
    .first<{ found: number; not_found: number }>(
      db.raw(`count(*) FILTER (WHERE outcome = 'found')::int AS found, count(*) FILTER (WHERE outcome = 'not_found')::int AS not_found`),
    );
  return { ...left, found: answers.found, notFound: answers.not_found };
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
