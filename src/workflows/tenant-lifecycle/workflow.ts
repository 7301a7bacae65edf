import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { areaCodeChosenSignal, kycResubmittedSignal, tenantStateQuery, type TenantLifecycleInput, type TenantLifecycleState } from './definitions';
import { enter, handleSandboxSends, onboard } from './onboarding';
import { handleRegistrationMessages } from './registration';
import { Rejection, startRun } from './run';
import { handleStaffDecisions } from './staff-decisions';
import { handleVerificationUpdates } from './verification';

/**
 * One tenant from sign-up to active sender (the steps: see `onboard`).
 * A rejection (by the risk rules or a person) waits for the tenant to resubmit KYC and then
 * starts over from KYC; what the tenant already proved (phone, sandbox sends) is kept.
 * Staff may reject or suspend at any step; a suspended tenant makes no progress until reinstated.
 */
export async function tenantLifecycle(input: TenantLifecycleInput): Promise<TenantLifecycleState> {
  const run = startRun(input);
  const { state, tenantId } = run;

  // Every handler before the first await: nothing sent with the start waits unanswered.
  setHandler(tenantStateQuery, () => state);
  handleStaffDecisions(run);
  setHandler(kycResubmittedSignal, () => {
    if (state.step === 'rejected') run.kycResubmitted = true;
  });
  setHandler(areaCodeChosenSignal, ({ areaCode }) => {
    run.chosenAreaCode = areaCode;
  });
  handleVerificationUpdates(run);
  handleSandboxSends(run);
  handleRegistrationMessages(run);

  for (;;) {
    try {
      await onboard(run);
      break;
    } catch (err) {
      if (!(err instanceof Rejection)) throw err;
      run.staffRejection = undefined;
      run.awaitingDecision = false;
      run.decision = undefined;
      state.review = undefined;
      state.reasons = err.reasons;
      // Cleared before the step shows as rejected: a resubmission that arrives while the step
      // is being recorded must not be forgotten.
      run.kycResubmitted = false;
      await enter(run, 'rejected', err.message, [`Address the reasons and resubmit your KYC details (POST /v1/tenants/${tenantId}/kyc).`]);
      await condition(() => run.kycResubmitted);
      run.attempt += 1;
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof tenantLifecycle>({
          ...input,
          carried: {
            history: state.history,
            attempt: run.attempt,
            verified: state.verification.verified,
            successfulSandboxSends: state.sandbox.successfulSends,
          },
        });
      }
    }
  }
  await condition(allHandlersFinished);
  return state;
}
