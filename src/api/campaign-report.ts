import type { Db } from '../db/knex';
import { estimateSegmentsCost } from '../domain/segments';
import { SETTLED_STATUSES, UNKNOWN_OUTCOME } from '../domain/delivery-status';
import type { CampaignReport } from './campaign-report-view';

export type { CampaignReport };

/** The campaign's dropped recipients by reason (`no_consent`, `suppressed`, `landline`, …). */
export async function droppedByReason(db: Db, campaignId: string): Promise<Record<string, number>> {
  const rows = await db('outbox')
    .where({ campaign_id: campaignId, status: 'dropped' })
    .groupBy('drop_reason')
    .select<Array<{ drop_reason: string; n: number }>>('drop_reason', db.raw('count(*)::int AS n'));
  return Object.fromEntries(rows.map((r) => [r.drop_reason, r.n]));
}

export async function campaignReport(db: Db, campaignId: string): Promise<CampaignReport | undefined> {
  const campaign = await db('campaigns').where({ id: campaignId }).first<{ id: string; status: string; encoding: string; segments: number } | undefined>();
  if (!campaign) return undefined;
  const byStatus = await db('outbox')
    .where({ campaign_id: campaignId })
    .groupBy('status')
    .select<Array<{ status: string; n: number }>>('status', db.raw('count(*)::int AS n'));
  const count = (status: string) => byStatus.find((r) => r.status === status)?.n ?? 0;
  const byReason = await droppedByReason(db, campaignId);
  const refused = await db('outbox')
    .where({ campaign_id: campaignId, status: 'failed' })
    .groupBy('error_code')
    .select<Array<{ error_code: number | null; n: number }>>('error_code', db.raw('count(*)::int AS n'));
  const delivery = await db('outbox as o')
    .leftJoin('delivery_statuses as d', 'd.message_sid', 'o.message_sid')
    .where({ 'o.campaign_id': campaignId, 'o.status': 'sent' })
    .groupBy('d.status', 'd.error_code')
    .select<Array<{ status: string | null; error_code: number | null; n: number }>>('d.status', 'd.error_code', db.raw('count(*)::int AS n'));
  const replies = await db('inbound_messages as m')
    .leftJoin('opt_out_requests as r', 'r.inbound_message_sid', 'm.message_sid')
    .where('m.campaign_id', campaignId)
    .first<{ total: number; opt_outs: number; open: number }>(
      db.raw('count(*)::int AS total'),
      db.raw(`count(*) FILTER (WHERE m.kind = 'opt_out')::int AS opt_outs`),
      db.raw(`count(*) FILTER (WHERE r.status = 'open')::int AS open`),
    );
  const sum = (rows: Array<{ n: number }>) => rows.reduce((a, r) => a + r.n, 0);
  const deliveredLike = (s: string | null) => s === 'delivered' || s === 'read';
  const byErrorCode = (rows: Array<{ error_code: number | null; n: number }>) =>
    rows
      .filter((r) => r.error_code !== null)
      .reduce<Record<string, number>>((acc, r) => ({ ...acc, [String(r.error_code)]: (acc[String(r.error_code)] ?? 0) + r.n }), {});
  const sent = count('sent');
  // Rows sent before message shaping have no body of their own: they went as the campaign's.
  const sentSegments = await db('outbox')
    .where({ campaign_id: campaignId, status: 'sent' })
    .first<{ segments: number; notices: number }>(
      db.raw('coalesce(sum(coalesce(segments, ?)), 0)::int AS segments, count(*) FILTER (WHERE opt_out_notice)::int AS notices', [campaign.segments]),
    );
  return {
    campaignId,
    status: campaign.status,
    recipients: sum(byStatus),
    dropped: { total: count('dropped'), byReason },
    pending: count('pending'),
    sending: count('sending'),
    refused: { total: count('failed'), byErrorCode: Object.fromEntries(refused.map((r) => [String(r.error_code ?? 'unknown'), r.n])) },
    sent,
    delivery: {
      delivered: sum(delivery.filter((r) => deliveredLike(r.status))),
      undelivered: sum(delivery.filter((r) => r.status === 'undelivered')),
      failed: sum(delivery.filter((r) => r.status === 'failed')),
      unknown: sum(delivery.filter((r) => r.status === UNKNOWN_OUTCOME)),
      unknownByErrorCode: byErrorCode(delivery.filter((r) => r.status === UNKNOWN_OUTCOME)),
      awaiting: sum(delivery.filter((r) => !SETTLED_STATUSES.has(r.status ?? ''))),
      failedByErrorCode: byErrorCode(delivery.filter((r) => r.status === 'undelivered' || r.status === 'failed')),
    },
    replies: replies.total,
    optOuts: { total: replies.opt_outs, sent, rate: sent ? replies.opt_outs / sent : null, openRequests: replies.open },
    encoding: campaign.encoding,
    segmentsPerMessage: campaign.segments,
    segmentsSent: sentSegments.segments,
    sentWithOptOutNotice: sentSegments.notices,
    costEstimateUsd: estimateSegmentsCost(sentSegments.segments),
  };
}

/** Every recipient's outcome, a page at a time by outbox id, for the CSV report. */
export async function* campaignRecipientRows(db: Db, campaignId: string, { pageSize = 2000, assignedUser = null as string | null } = {}) {
  let after = '0';
  for (;;) {
    const rows = await db('outbox as o')
      .leftJoin('delivery_statuses as d', 'd.message_sid', 'o.message_sid')
      .where('o.campaign_id', campaignId)
      .andWhere('o.id', '>', after)
      .modify((q) => {
        // A user restricted to their assigned contacts: only those contacts' lines.
        if (assignedUser) void q.whereIn('o.contact_id', db('contacts').where({ assigned_user: assignedUser }).select('id'));
      })
      .orderBy('o.id')
      .limit(pageSize)
      .select<
        Array<{
          id: string;
          contact_id: string | null;
          phone_raw: string;
          to_e164: string | null;
          status: string;
          drop_reason: string | null;
          drop_detail: string | null;
          message_sid: string | null;
          error_code: number | null;
          delivery_status: string | null;
          delivery_error_code: number | null;
        }>
      >(
        'o.id',
        'o.contact_id',
        'o.phone_raw',
        'o.to_e164',
        'o.status',
        'o.drop_reason',
        'o.drop_detail',
        'o.message_sid',
        'o.error_code',
        'd.status as delivery_status',
        'd.error_code as delivery_error_code',
      );
    if (!rows.length) return;
    yield* rows;
    after = rows[rows.length - 1].id;
  }
}
