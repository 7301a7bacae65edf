import { allHandlersFinished, condition, continueAsNew, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CampaignSendActivities } from '../../activities/campaign-send';
import { RETRY_UNTIL_IT_PASSES } from '../shared-definitions';
import { campaignProgressQuery, cancelCampaignSignal, type CampaignProgress, type CampaignSendInput, type CampaignStatus } from './definitions';

const RETRY = RETRY_UNTIL_IT_PASSES;

/**
 * One campaign from start to report: gate → audience hygiene → Lookup → relay batches at the
 * tenant's cadence → status wait → completed. Everything bulk lives in PostgreSQL; this
 * history holds ids and counts, and long runs continue-as-new carrying only `progress`.
 */
export async function campaignSend(input: CampaignSendInput): Promise<CampaignProgress> {
  const { campaignId, timings } = input;
  const acts = proxyActivities<CampaignSendActivities>({ startToCloseTimeout: timings.activityTimeoutMs, retry: RETRY });
  // Page-by-page activities: no overall bound worth guessing; a silent one is dead.
  const paged = proxyActivities<CampaignSendActivities>({ startToCloseTimeout: '1 day', heartbeatTimeout: timings.relayHeartbeatTimeoutMs, retry: RETRY });
  const startedAtMs = input.startedAtMs ?? Date.now();
  const progress: CampaignProgress = input.carried ?? {
    campaignId,
    phase: 'preparing',
    queued: 0,
    dropped: 0,
    sent: 0,
    failed: 0,
    deferred: 0,
    batches: 0,
    reconciled: 0,
    final: 0,
  };
  let cancelRequested = false;
  let relayAfterId = input.relayAfterId;

  setHandler(campaignProgressQuery, () => progress);
  setHandler(cancelCampaignSignal, () => {
    cancelRequested = true;
  });

  const enter = async (phase: CampaignStatus, reason?: string) => {
    progress.phase = phase;
    if (reason) progress.reason = reason;
    setCurrentDetails(`campaign ${campaignId}: ${phase}${reason ? ` (${reason})` : ''}`);
    await acts.setCampaignStatus({ campaignId, status: phase, reason });
  };
  let batchesThisRun = 0;
  const continueIfLong = async () => {
    if (!workflowInfo().continueAsNewSuggested && batchesThisRun < timings.batchesPerRun) return;
    await condition(allHandlersFinished);
    await continueAsNew<typeof campaignSend>({ ...input, startedAtMs, carried: progress, relayAfterId });
  };

  if (!input.carried) {
    const gate = await acts.checkCampaignGate(campaignId);
    if (!gate.ok) {
      await enter('refused', gate.reason);
      return progress;
    }
    await enter('preparing');
    const audience = await paged.prepareAudience(campaignId);
    const lookup = await paged.lookupAudience({ campaignId, ttlMs: timings.lookupTtlMs });
    progress.queued = audience.queued - lookup.dropped;
    progress.dropped = audience.dropped + lookup.dropped;
    await enter('relaying');
  }

  while (progress.phase === 'relaying' && !cancelRequested) {
    const batch = await paged.relayBatch({
      campaignId,
      batchSize: timings.batchSize,
      claimLeaseMs: timings.relayHeartbeatTimeoutMs,
      sendByIso: new Date(startedAtMs + timings.sendByMs).toISOString(),
      afterId: relayAfterId,
    });
    relayAfterId = batch.lastClaimedId ?? relayAfterId;
    progress.sent = batch.totalSent;
    progress.failed = batch.totalFailed;
    progress.deferred = batch.deferred;
    progress.reconciled = batch.totalReconciled;
    progress.reconciledFound = batch.totalReconciledFound;
    progress.reconciledNotFound = batch.totalReconciledNotFound;
    progress.held = batch.held;
    progress.batches++;
    batchesThisRun++;
    if (batch.canceled) cancelRequested = true;
    else if (batch.pending === 0) await enter('waiting');
    else {
      // Next batch at the cadence; if everything left waits for quiet hours to end, then.
      const untilOpen = batch.nextNotBeforeIso && batch.sent + batch.failed === 0 ? Date.parse(batch.nextNotBeforeIso) - Date.now() : 0;
      const waitMs = Math.max(timings.cadenceMs, untilOpen);
      progress.nextBatchAtMs = Date.now() + waitMs;
      await condition(() => cancelRequested, waitMs);
      progress.nextBatchAtMs = undefined;
      await continueIfLong();
    }
  }

  if (cancelRequested) {
    await enter('canceled');
    return progress;
  }

  progress.waitStartedAtMs ??= Date.now();
  for (;;) {
    const deliveries = await acts.countDeliveries(campaignId);
    progress.final = deliveries.final;
    progress.unknown = deliveries.unknown;
    // Done when every sent message is settled (final, or unknown to Twilio), or its validity window has surely ended.
    if (deliveries.outstanding === 0 || Date.now() - progress.waitStartedAtMs >= timings.statusWaitMaxMs) break;
    // Callbacks that never came: ask Twilio about messages that have been quiet too long.
    if (Date.now() - progress.waitStartedAtMs >= timings.statusRefreshAfterMs) {
      await acts.refreshOutstandingDeliveries({ campaignId, olderThanMs: timings.statusRefreshAfterMs, limit: 500 });
    }
    if (await condition(() => cancelRequested, timings.statusPollMs)) break;
    await continueIfLong();
  }
  await enter('completed');
  return progress;
}
