import { getExternalWorkflowHandle, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { DataProtectionActivities } from '../../activities/data-protection';
import type { TenantOffboardingActivities } from '../../activities/tenant-offboarding';
import { cancelCampaignSignal, campaignWorkflowId } from '../campaign-send/definitions';
import { monitorWorkflowId } from '../tenant-monitor/definitions';
import { redactEveryQueuedPage } from '../redact-queued';
import { RETRY_UNTIL_IT_PASSES } from '../shared-definitions';
import { DAY_MS } from '../data-retention/definitions';
import type { TenantOffboardingInput } from './definitions';

const REDACT_PAGE = 50;

/** Workflow versions: runs begun before these changes replay as they ran. */
const KEYS_REVOKED = 'offboarding-keys-revoked';
const REDACTIONS_RETRIED = 'offboarding-redactions-retried';
const FULL_PURGE = 'offboarding-full-purge';

/**
 * A tenant leaves: sending stops (running campaigns canceled, the monitor ended), its numbers
 * are released at Twilio, Twilio's copies of its messages are redacted while its subaccount
 * can still reach them, the subaccount is closed, and after the tenant's retention period its
 * personal data is purged here. Each step is recorded (GET …/offboarding) and audited; a
 * restart resumes at the step it was on, and every step is safe to repeat.
 *
 * Every API key of the tenant (its own and its users') is revoked first, before anything else
 * happens. A redaction Twilio refuses (a 4xx that is not "no such message") is tried again,
 * waiting longer each time (a retention minute, doubling), until it is done or has had its
 * attempts; only then is the subaccount closed. What could not be redacted is listed in the
 * `closing_subaccount` step's audit entry (staff read it at GET /v1/compliance/audit).
 */
export async function tenantOffboarding(input: TenantOffboardingInput): Promise<void> {
  const acts = proxyActivities<DataProtectionActivities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: '1 minute', retry: RETRY_UNTIL_IT_PASSES });
  const off = proxyActivities<TenantOffboardingActivities>({ startToCloseTimeout: '5 minutes', retry: RETRY_UNTIL_IT_PASSES });
  const { tenantId } = input;
  const dayMs = input.dayMs ?? DAY_MS;

  // No key of the tenant reads or sends from here on: not during the retention wait, not after.
  if (patched(KEYS_REVOKED)) await off.revokeOffboardedTenantKeys({ tenantId });
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
  const retried = patched(REDACTIONS_RETRIED);
  // A retention minute: a real minute, or a test's fraction of its shortened day.
  let retryMs = input.redactRetryMs ?? Math.max(1, Math.round(dayMs / 1440));
  for (;;) {
    const { failed } = await redactEveryQueuedPage(acts.redactQueuedPage, { tenantId, limit: REDACT_PAGE, report: { kind: 'offboarding' } });
    // Refused ones not given up are tried again before the subaccount closes (each try counts; a few are allowed).
    if (!retried || !failed || !(await off.offboardingRedactionsPending({ tenantId })).pending) break;
    await sleep(retryMs);
    retryMs *= 2;
  }
  const notRedacted = retried ? await off.offboardingNotRedacted({ tenantId }) : undefined;

  await acts.recordOffboardingStep({ tenantId, step: 'closing_subaccount', ...(notRedacted ? { details: { twilioNotRedacted: notRedacted } } : {}) });
  const { purgeAfter } = await acts.closeTenantSubaccount({ tenantId, dayMs });

  await acts.recordOffboardingStep({ tenantId, step: 'waiting_retention', details: { purgeAfter } });
  const wait = Date.parse(purgeAfter) - Date.now();
  if (wait > 0) await sleep(wait);

  await acts.recordOffboardingStep({ tenantId, step: 'purging' });
  let purged: Record<string, number>;
  if (patched(FULL_PURGE)) {
    // A run begun before keys were revoked at the start has its keys revoked here at the latest.
    await off.revokeOffboardedTenantKeys({ tenantId });
    purged = await off.purgeOffboardedTenantData({ tenantId });
  } else purged = await acts.purgeOffboardedTenant({ tenantId });
  await acts.recordOffboardingStep({ tenantId, step: 'done', details: { purged } });
}
