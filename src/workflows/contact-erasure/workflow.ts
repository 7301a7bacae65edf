import { proxyActivities } from '@temporalio/workflow';
import type { DataProtectionActivities } from '../../activities/data-protection';
import { redactEveryQueuedPage } from '../redact-queued';
import { RETRY_UNTIL_IT_PASSES } from '../shared-definitions';
import type { ContactErasureInput } from './definitions';

const REDACT_PAGE = 50;

/**
 * The Twilio half of a contact's erasure: the API erased the contact in PostgreSQL and queued
 * its messages' SIDs; this redacts each at Twilio (an empty Body) through the tenant's
 * subaccount and records the outcome. A message Twilio will not redact yet stays queued and
 * the next retention pass tries it again.
 */
export async function contactErasure(input: ContactErasureInput): Promise<{ twilioRedacted: number; twilioFailures: number }> {
  const acts = proxyActivities<DataProtectionActivities>({
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: input.heartbeatTimeoutMs ?? '1 minute',
    retry: RETRY_UNTIL_IT_PASSES,
  });
  await redactEveryQueuedPage(acts.redactQueuedPage, {
    tenantId: input.tenantId,
    limit: REDACT_PAGE,
    cause: `erasure:${input.erasureId}`,
    report: { kind: 'erasure', erasureId: input.erasureId },
  });
  return acts.finishErasure({ erasureId: input.erasureId });
}
