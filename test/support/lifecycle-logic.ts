import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TenantLifecycleActivities } from '../../src/activities/tenant-lifecycle';
import type { createTenantMonitorActivities } from '../../src/activities/tenant-monitor';
import { DEFAULT_LADDER_POLICY } from '../../src/domain/escalation-ladder';
import type { KycAssessment } from '../../src/domain/kyc-risk';
import { tenantLifecycle } from '../../src/workflows';
import {
  sandboxSendUpdate,
  startLifecycleOptions,
  tenantStateQuery,
  type LifecycleTimings,
  type StaffAction,
  type TenantLifecycleState,
} from '../../src/workflows/tenant-lifecycle/definitions';
import { registrationFakes } from './registration-logic';
import { eventually, type workflowLogicHarness } from './workflow-logic';

/**
 * The tenant lifecycle's workflow-logic tests (test/workflows): every activity a scripted fake
 * that logs what it was asked, the server and bundle real; and the moves those tests share.
 */

export const timings: LifecycleTimings = {
  verificationTtlMs: 60_000,
  resendCooldownMs: 800,
  maxVerificationAttempts: 3,
  minSuccessfulSandboxSends: 2,
  reviewReminderIntervalMs: 400,
  activityTimeoutMs: 10_000,
  monitorIntervalMs: 200,
  registration: { pollInitialMs: 100, pollMaxMs: 400, giveUpAfterMs: 60_000, activityTimeoutMs: 5_000 },
};
export const low: KycAssessment = { score: 0, level: 'low', reasons: [] };

export function fakes(kycResults: KycAssessment[] = [low], slowStep?: string) {
  const log = {
    steps: [] as string[],
    reminders: 0,
    decisions: [] as unknown[],
    staff: [] as unknown[],
    areaCodes: [] as (string | undefined)[],
    verificationsSent: 0,
    refused: [] as { decision: string; auditId?: string; why: string }[],
    /** Every audit check the workflow asked for, accepted or not. */
    confirmations: 0,
    faults: [] as { key: string; activity: string; step: string; error: string }[],
    closedCases: [] as { caseId: string; resolution: string }[],
  };
  let kycCall = 0;
  let numberFailures = 0;
  /** The audit entries "the API" wrote: a decision counts through one of them, once. */
  const audit = new Map<string, { decision: string; by: string; reason: string; usedBy?: string }>();
  /** A staff decision as the API sends it: its audit entry first, the Signal names it. */
  const decided = (decision: string, by: string, reason: string): StaffAction => {
    const auditId = String(audit.size + 1);
    audit.set(auditId, { decision, by, reason });
    return { by, reason, auditId };
  };
  /** While set, provisioning fails the way a revoked platform token does (not retryable inside the activity). */
  const outage = { provisioning: false };
  const { activities: registering, registration } = registrationFakes();
  const activities: Omit<TenantLifecycleActivities, 'registrationPlan' | 'registrationStanding'> = {
    assessKyc: async () => ({ ...kycResults[Math.min(kycCall++, kycResults.length - 1)], submissionId: String(kycCall) }),
    recordLifecycleStep: async ({ step }) => {
      if (step === slowStep) await new Promise((r) => setTimeout(r, 1500));
      log.steps.push(step);
    },
    startVerification: async () => {
      log.verificationsSent += 1;
      return { sentTo: '…2671' };
    },
    checkVerificationCode: async ({ code }) => (code === '123456' ? 'approved' : 'wrong_code'),
    sendSandboxTestMessage: async ({ from, to }) =>
      to === '+15005550006'
        ? { ok: true, sid: `SM${randomUUID().replace(/-/g, '')}`, status: 'queued', from, to }
        : { ok: false, errorCode: 21211, errorMessage: "The 'To' number is not a valid phone number.", from, to },
    openComplianceCase: async ({ key }) => `case:${key}`,
    recordReviewReminder: async () => ++log.reminders,
    decideComplianceCase: async (d) => void log.decisions.push(d),
    recordStaffAction: async (a) => void log.staff.push(a),
    provisionSubaccount: async () => {
      if (outage.provisioning) throw ApplicationFailure.nonRetryable('create subaccount: Twilio 20003: Authenticate', 'TwilioError20003');
      return { subaccountSid: `AC${'1'.repeat(32)}`, created: true };
    },
    confirmStaffDecision: async ({ decision, auditId, usedBy }) => {
      log.confirmations += 1;
      const entry = auditId === undefined ? undefined : audit.get(auditId);
      const why = !entry
        ? 'no such audit entry'
        : entry.decision !== decision
          ? 'another decision'
          : entry.usedBy && entry.usedBy !== usedBy
            ? 'already used'
            : undefined;
      if (why || !entry) {
        log.refused.push({ decision, auditId, why: why ?? '' });
        return { accepted: false, why: why ?? '' };
      }
      entry.usedBy = usedBy;
      return { accepted: true, by: entry.by, reason: entry.reason };
    },
    recordInfrastructureFault: async (fault) => {
      log.faults.push(fault);
      return `case:${fault.key}`;
    },
    closeStaffCase: async (closed) => void log.closedCases.push(closed),
    grantPhoneNumber: async ({ areaCode }) => {
      log.areaCodes.push(areaCode);
      if (numberFailures++ === 0 && areaCode === undefined)
        throw ApplicationFailure.nonRetryable('No SMS-capable numbers are available in area code 533', 'NoNumbersAvailable');
      return { phoneNumber: '+14155550100', phoneNumberSid: `PN${'2'.repeat(32)}` };
    },
    checkDatabase: undefined as never,
  } as Omit<TenantLifecycleActivities, 'registrationPlan' | 'registrationStanding'>;
  // The monitor the lifecycle starts on activation: policy, then nothing to judge.
  const monitor: Partial<ReturnType<typeof createTenantMonitorActivities>> = {
    monitorPolicy: async () => ({ ...DEFAULT_LADDER_POLICY, windowsHours: [168] }),
    measureTenantRates: async () => ({ measurements: [], errorCodes: [] }),
  };
  return { activities: { ...activities, ...registering, ...monitor }, log, decided, outage, registration };
}

export async function startTenant(h: Awaited<ReturnType<typeof workflowLogicHarness>>, t: LifecycleTimings = timings) {
  const tenantId = randomUUID();
  return h.client.workflow.start(tenantLifecycle, startLifecycleOptions({ id: tenantId, businessName: 'Acme Dental', signedUpAt: new Date() }, t, h.taskQueue));
}

export const stateOf = (handle: WorkflowHandle) => handle.query(tenantStateQuery);
export const atStep = (handle: WorkflowHandle, step: TenantLifecycleState['step']) =>
  eventually(async () => ((await stateOf(handle)).step === step ? stateOf(handle) : undefined));
/** In the verification step with a code sent (the step is entered a moment before the code goes out). */
export const codeSent = (handle: WorkflowHandle) =>
  eventually(async () => {
    const s = await stateOf(handle);
    return s.step === 'verification' && s.verification.sentTo ? s : undefined;
  });
export async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? undefined;
    throw err;
  }
  return undefined;
}

export async function throughSandbox(handle: WorkflowHandle) {
  await atStep(handle, 'sandbox');
  for (let i = 0; i < 2; i++) await handle.executeUpdate(sandboxSendUpdate, { args: [{ to: '+15005550006', from: '+15005550006', body: 'test' }] });
}
