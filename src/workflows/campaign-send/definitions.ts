import { defineQuery, defineSignal } from '@temporalio/workflow';
import { CampaignIdAttribute, TenantIdAttribute } from '../search-attributes';

/** The campaign send's messages; the API imports these to start, read and cancel it. */

export type CampaignStatus = 'draft' | 'preparing' | 'relaying' | 'waiting' | 'completed' | 'canceled' | 'refused';

export interface CampaignTimings {
  /** Time between relay batches: the tenant's cadence (tests: seconds). */
  cadenceMs: number;
  batchSize: number;
  /** Relay batches per workflow run before continue-as-new (the server may suggest it sooner). */
  batchesPerRun: number;
  statusPollMs: number;
  statusWaitMaxMs: number;
  /** A sent message without a final status this long is fetched from Twilio. */
  statusRefreshAfterMs: number;
  lookupTtlMs: number;
  /** Rows deferred by quiet hours beyond this long after the start are dropped. */
  sendByMs: number;
  activityTimeoutMs: number;
  relayHeartbeatTimeoutMs: number;
}

export interface CampaignProgress {
  campaignId: string;
  phase: CampaignStatus;
  queued: number;
  dropped: number;
  sent: number;
  failed: number;
  deferred: number;
  batches: number;
  /** Rows a dead relay attempt left in `sending`, settled with Twilio's own record. */
  reconciled: number;
  /**
   * Every time the relay asked Twilio whether a message it could not be sure of exists (a dead
   * attempt's row, or a send answered with a 5xx or not at all; a row may be asked about more
   * than once): how many times Twilio had it, and how many it did not.
   */
  reconciledFound?: number;
  reconciledNotFound?: number;
  final: number;
  /** Sent messages whose status Twilio refused to tell for good (e.g. 20404: deleted there), as the status wait last counted. */
  unknown?: number;
  reason?: string;
  /** While waiting between batches: when the next one goes (the tenant's cadence, quiet hours' end, or the next Pacific day at a daily cap). */
  nextBatchAtMs?: number;
  /** Set while relays are held: the tenant is under review or suspended, or the sender's daily cap is reached. */
  held?: string;
  /** When the status wait began (its limit counts from here). */
  waitStartedAtMs?: number;
}

export interface CampaignSendInput {
  campaignId: string;
  tenantId: string;
  timings: CampaignTimings;
  /** When the send started (fixed across continue-as-new). */
  startedAtMs?: number;
  /** Carried across continue-as-new. */
  carried?: CampaignProgress;
  /** Where the relay's claims had got to (an outbox id), carried across continue-as-new. */
  relayAfterId?: string;
}

export const campaignProgressQuery = defineQuery<CampaignProgress>('campaignProgress');
export const cancelCampaignSignal = defineSignal<[{ by: string }]>('cancelCampaign');

export const campaignWorkflowId = (campaignId: string) => `campaign/${campaignId}`;

/**
 * How a campaign's send is started: one run per campaign (a start whose answer was lost finds
 * the run it started), its TenantId and CampaignId, a readable summary.
 */
export function startCampaignOptions(campaign: { id: string; tenantId: string; name: string }, timings: CampaignTimings, taskQueue: string) {
  return {
    workflowId: campaignWorkflowId(campaign.id),
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    taskQueue,
    args: [{ campaignId: campaign.id, tenantId: campaign.tenantId, timings }] as [CampaignSendInput],
    typedSearchAttributes: [
      { key: TenantIdAttribute, value: campaign.tenantId },
      { key: CampaignIdAttribute, value: campaign.id },
    ],
    staticSummary: `Campaign: ${campaign.name}`,
  };
}
