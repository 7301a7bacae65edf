import { getExternalWorkflowHandle, proxyActivities, sleep } from '@temporalio/workflow';
import type { DataProtectionActivities } from '../../activities/data-protection';
import { cancelCampaignSignal, campaignWorkflowId } from '../campaign-send/definitions';
import { monitorWorkflowId } from '../tenant-monitor/definitions';
import { RETRY_UNTIL_IT_PASSES } from '../shared-definitions';
import { DAY_MS } from '../data-retention/definitions';
import type { TenantOffboardingInput } from './definitions';

const REDACT_PAGE = 50;

/**
 * A tenant leaves: sending stops (running campaigns canceled, the monitor ended), its numbers
 * are released at Twilio, Twilio's copies of its messages are redacted while its subaccount
 * can still reach them, the subaccount is closed, and after the tenant's retention period its
 * personal data is purged here. Each step is recorded (GET …/offboarding) and audited; a
 * restart resumes at the step it was on, and every step is safe to repeat.
 */
export async function tenantOffboarding(input: TenantOffboardingInput): Promise<void> {
  const acts = proxyActivities<DataProtectionActivities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: '1 minute', retry: RETRY_UNTIL_IT_PASSES });
  const { tenantId } = input;

  const { campaignIds } = await acts.stopTenantSending({ tenantId });
  // The flag stops each relay between pages; the Signal wakes a campaign from its waits. One already ended needs neither.
  for (const id of campaignIds)
    await getExternalWorkflowHandle(campaignWorkflowId(id))
      .signal(cancelCampaignSignal, { by: 'system:offboarding' })
      .catch(() => undefined);
  // The monitor would otherwise go on judging (and suspending) a closed subaccount.
  await getExternalWorkflowHandle(monitorWorkflowId(tenantId))
    .cancel()
    .catch(() => undefined);

  await acts.recordOffboardingStep({ tenantId, step: 'releasing_numbers', details: { campaignsCanceled: campaignIds.length } });
  const { released } = await acts.releaseTenantNumbers({ tenantId });

  await acts.recordOffboardingStep({ tenantId, step: 'redacting', details: { numbersReleased: released } });
  await acts.queueTenantRedactions({ tenantId });
  let afterId = '0';
  for (;;) {
    const page = await acts.redactQueuedPage({ tenantId, afterId, limit: REDACT_PAGE, report: { kind: 'offboarding' } });
    afterId = page.lastId;
    if (!page.more) break;
  }

  await acts.recordOffboardingStep({ tenantId, step: 'closing_subaccount' });
  const { purgeAfter } = await acts.closeTenantSubaccount({ tenantId, dayMs: input.dayMs ?? DAY_MS });

  await acts.recordOffboardingStep({ tenantId, step: 'waiting_retention', details: { purgeAfter } });
  const wait = Date.parse(purgeAfter) - Date.now();
  if (wait > 0) await sleep(wait);

  await acts.recordOffboardingStep({ tenantId, step: 'purging' });
  const purged = await acts.purgeOffboardedTenant({ tenantId });
  await acts.recordOffboardingStep({ tenantId, step: 'done', details: { purged } });
}
