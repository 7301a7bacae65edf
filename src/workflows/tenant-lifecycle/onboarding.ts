import { ActivityFailure, ApplicationFailure, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { Refusal } from '../shared-definitions';
import { refuse } from '../staff-decision-updates';
import { startMonitorOptions } from '../tenant-monitor/definitions';
import { tenantMonitor } from '../tenant-monitor/workflow';
import { isNoNumbersAvailable, MAGIC_TEST_NUMBER, sandboxSendUpdate, type LifecycleStepName, type SandboxSendRequest } from './definitions';
import { persevere } from './held-steps';
import { CARRIER_REGISTRATION, carrierRegistered, reasonText } from './registration';
import { checkpoint, needs, Rejection, show, waitUntil, type LifecycleRun } from './run';
import { reviewedByPerson } from './staff-decisions';
import { ownerPhoneVerified } from './verification';

/** Moves to `step`; what the last step asked for no longer applies, the new step's needs do. */
export async function enter(run: LifecycleRun, step: LifecycleStepName, note?: string, requirements: string[] = []): Promise<void> {
  const { state, tenantId } = run;
  state.step = step;
  state.openRequirements = requirements;
  state.history.push({ step, at: new Date().toISOString(), ...(note ? { note } : {}) });
  show(run);
  await persevere(run, 'recordLifecycleStep', (a) => a.recordLifecycleStep({ tenantId, step, note }));
}

/** The tenant's test sends of the sandbox step, to Twilio's magic numbers only. */
export function handleSandboxSends(run: LifecycleRun): void {
  const { state } = run;
  setHandler(
    sandboxSendUpdate,
    async (request) => {
      const result = await run.acts.sendSandboxTestMessage({ tenantId: run.tenantId, ...request });
      if (result.ok) state.sandbox.successfulSends += 1;
      return result;
    },
    {
      validator: (request: SandboxSendRequest) => {
        if (state.step !== 'sandbox' || state.suspended) throw refuse(Refusal.NotInStep, 'Sandbox test sends are only possible during the sandbox step.');
        // The refusal names the field, not the number: it reaches logs and error answers.
        if (!MAGIC_TEST_NUMBER.test(request.to)) throw refuse(Refusal.NotMagicNumber, 'to is not a Twilio magic test number (+15005550000 to +15005550009).');
        if (!MAGIC_TEST_NUMBER.test(request.from)) throw refuse(Refusal.NotMagicNumber, 'from is not a Twilio magic test number.');
      },
    },
  );
}

/** The number step's "no number for that" answer: the tenant picks another area code. */
const noNumbersAnswer = (failure: ApplicationFailure) => isNoNumbersAvailable(failure.type);

/** Buys the tenant's number, asking for another area code while Twilio has none for the one asked. */
async function numberGranted(run: LifecycleRun): Promise<string> {
  const { tenantId } = run;
  for (;;) {
    try {
      return (await persevere(run, 'grantPhoneNumber', (a) => a.grantPhoneNumber({ tenantId, areaCode: run.chosenAreaCode }), noNumbersAnswer)).phoneNumber;
    } catch (err) {
      const failure = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
      if (!failure || !noNumbersAnswer(failure)) throw err;
      run.chosenAreaCode = undefined;
      needs(run, `${failure.message}. Choose another area code (POST /v1/tenants/${tenantId}/number-preference).`);
      await waitUntil(run, () => run.chosenAreaCode !== undefined);
      needs(run);
    }
  }
}

/** Active: the tenant sends, and its monitor, which outlives this workflow, watches it for as long as it does. */
async function goLive(run: LifecycleRun): Promise<void> {
  await enter(run, 'active');
  needs(run);
  if (patched('start-tenant-monitor')) {
    try {
      await startChild(tenantMonitor, {
        ...startMonitorOptions({ id: run.tenantId, businessName: run.input.businessName }, run.input.timings.monitorIntervalMs ?? 15 * 60_000),
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}

/**
 * KYC → (manual KYC review when risk is medium) → Verify → magic-number sandbox → compliance
 * review → subaccount → number → carrier registration → active. What the tenant already proved (phone, sandbox sends)
 * is not asked again. Throws a Rejection when the risk rules or a person reject the tenant.
 */
export async function onboard(run: LifecycleRun): Promise<void> {
  const { state, tenantId, attempt } = run;
  await enter(run, 'kyc', attempt > 1 ? `resubmission ${attempt}` : undefined);
  const kyc = await persevere(run, 'assessKyc', (a) => a.assessKyc(tenantId));
  state.kyc = { score: kyc.score, level: kyc.level };
  state.reasons = kyc.reasons.map((r) => r.reason);
  await checkpoint(run);
  if (kyc.level === 'high') throw new Rejection(`KYC risk is high (score ${kyc.score})`, state.reasons);
  if (kyc.level === 'medium') {
    await enter(run, 'kyc_review', `risk score ${kyc.score}`);
    await reviewedByPerson(run, 'kyc_review', `Medium KYC risk (score ${kyc.score})`, { score: kyc.score, reasons: state.reasons });
  }

  if (!state.verification.verified) {
    await enter(run, 'verification');
    await ownerPhoneVerified(run);
  }

  if (state.sandbox.successfulSends < state.sandbox.required) {
    await enter(run, 'sandbox', undefined, [`Send ${state.sandbox.required} successful test messages to Twilio magic numbers (POST /v1/sandbox/messages).`]);
    await waitUntil(run, () => state.sandbox.successfulSends >= state.sandbox.required);
  }

  await enter(run, 'review');
  await reviewedByPerson(run, 'onboarding_review', `Onboarding review for ${run.input.businessName}`, {
    kyc: state.kyc,
    sandboxSends: state.sandbox.successfulSends,
    reasons: state.reasons,
  });

  await enter(run, 'provisioning');
  state.subaccountSid = (await persevere(run, 'provisionSubaccount', (a) => a.provisionSubaccount(tenantId))).subaccountSid;
  await checkpoint(run);

  await enter(run, 'number');
  state.phoneNumber = await numberGranted(run);

  if (patched(CARRIER_REGISTRATION)) {
    await enter(run, 'registration');
    if ((await carrierRegistered(run)) === 'rejected') {
      // Final: Twilio does not let this registration be resubmitted, so the lifecycle ends here.
      state.reasons = (state.registration?.reasons ?? []).map(reasonText);
      await enter(run, 'rejected', 'carrier registration rejected');
      return;
    }
  }
  await goLive(run);
}
