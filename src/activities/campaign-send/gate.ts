import type { ActivityDeps } from '../deps';
import { campaignOf } from './shared';
import type { GateVerdict } from './types';
import { setCampaignStatus } from '../../db/campaigns';
import { tenantStanding } from '../../db/tenant-sending';
import { contentClearance } from '../../domain/compliance/clearance';
import type { CampaignStatus } from '../../workflows/campaign-send/definitions';

/** The campaign's gate, and its status as the workflow moves it on. */
export function createCampaignGateActivities({ db }: ActivityDeps) {
  return {
    /** Gate: the tenant must be an active sender in good standing, and the content not blocked. */
    async checkCampaignGate(campaignId: string): Promise<GateVerdict> {
      const campaign = await campaignOf(db, campaignId);
      const tenant = await tenantStanding(db, campaign.tenant_id);
      if (tenant.status !== 'active') return { ok: false, reason: `The tenant is not an active sender yet (status: ${tenant.status}).` };
      if (tenant.sending_state === 'under_review') return { ok: false, reason: 'The tenant is under compliance review; sending is paused until staff decide.' };
      if (tenant.sending_state === 'suspended') return { ok: false, reason: 'The tenant is suspended; sending is blocked.' };
      const clearance = contentClearance(campaign.scan, { state: campaign.content_review, reason: campaign.content_review_reason });
      if (!clearance.cleared) return { ok: false, reason: clearance.reason };
      return { ok: true };
    },

    async setCampaignStatus(input: { campaignId: string; status: CampaignStatus; reason?: string }): Promise<void> {
      await setCampaignStatus(db, input);
    },
  };
}
