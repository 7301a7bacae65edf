import type { Db } from './knex';
import { recordAudit } from './audit';
import type { ContentReviewState, StoredJudgement } from '../domain/compliance/clearance';
import type { MessageType } from '../domain/message-shaping';
import type { CampaignStatus } from '../workflows/campaign-send/definitions';

export interface CampaignRow {
  id: string;
  tenant_id: string;
  body: string;
  message_type: MessageType;
  audience_tag: string | null;
  scan: StoredJudgement;
  content_review: ContentReviewState;
  content_review_reason: string | null;
  segments: number;
  /** The merge fields its body fills per recipient (migration 028); empty for a plain campaign. */
  merge_fields: string[];
  cancel_requested_at: Date | null;
}

export function campaignById(db: Db, campaignId: string): Promise<CampaignRow | undefined> {
  return db('campaigns').where({ id: campaignId }).first<CampaignRow | undefined>();
}

/** Whether the campaign may go on: cancel asked for, and where its tenant stands with the monitor. */
export function campaignStanding(db: Db, campaignId: string): Promise<{ cancel_requested_at: Date | null; sending_state: string }> {
  return db('campaigns as c')
    .join('tenants as t', 't.id', 'c.tenant_id')
    .where('c.id', campaignId)
    .first<{ cancel_requested_at: Date | null; sending_state: string }>('c.cancel_requested_at', 't.sending_state');
}

/**
 * The campaign's status, in one transaction: a final one stamps `finished_at` and is
 * audited; `canceled` drops every row still pending.
 */
export async function setCampaignStatus(db: Db, input: { campaignId: string; status: CampaignStatus; reason?: string }): Promise<void> {
  const final = input.status === 'completed' || input.status === 'canceled' || input.status === 'refused';
  await db.transaction(async (trx) => {
    const campaign = await trx('campaigns').where({ id: input.campaignId }).first<{ tenant_id: string }>('tenant_id');
    await trx('campaigns')
      .where({ id: input.campaignId })
      .update({ status: input.status, ...(input.reason ? { refusal_reason: input.reason } : {}), ...(final ? { finished_at: trx.fn.now() } : {}) });
    if (input.status === 'canceled') {
      await trx('outbox')
        .where({ campaign_id: input.campaignId, status: 'pending' })
        .update({ status: 'dropped', drop_reason: 'canceled', drop_detail: 'campaign canceled' });
    }
    if (final)
      await recordAudit(trx, {
        actor: 'system:campaign',
        actorKind: 'system',
        tenantId: campaign.tenant_id,
        action: `campaign.${input.status}`,
        reason: input.reason ?? null,
        details: { campaignId: input.campaignId },
      });
  });
}
