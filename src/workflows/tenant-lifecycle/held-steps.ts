import { ActivityFailure, ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import type { TenantLifecycleActivities } from '../../activities/tenant-lifecycle';
import { show, waitUntil, type LifecycleActivityProxy, type LifecycleRun } from './run';

/** Patch: workflows that ran before it replay as they ran (a failed step ended the run). */
const INFRASTRUCTURE_FAULTS_HELD = 'infrastructure-faults-held';
const MAX_FAULT_WAIT_MS = 30 * 60_000;

/** What failed, for the staff case: the activity's own failure, not Temporal's wrapper. */
const describeFailure = (err: ActivityFailure) => {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause ? `${cause.name}: ${cause.message}` : err.message;
};

/**
 * Runs one onboarding step's activity until it goes through. A failure still standing after
 * Temporal's own retries is infrastructure (Twilio refusing the platform, the database, a
 * resource gone), not a verdict on the tenant, and must not end the lifecycle: the step
 * holds, a staff case opens (counting each further failure), the call is tried again after a
 * doubling wait, and the case closes once it goes through. A staff rejection still ends the
 * wait. Failures the step answers itself (`isAnswer`) go back to it.
 */
export async function persevere<T>(
  run: LifecycleRun,
  activity: keyof TenantLifecycleActivities,
  call: (a: LifecycleActivityProxy) => Promise<T>,
  isAnswer: (f: ApplicationFailure) => boolean = () => false,
): Promise<T> {
  const { acts, held, state, tenantId } = run;
  if (!patched(INFRASTRUCTURE_FAULTS_HELD)) return call(acts);
  const key = `${workflowInfo().runId}:${++run.faultCalls}`;
  let caseId: string | undefined;
  let resolution = 'the step went through';
  let waitMs = run.input.timings.faultRetryIntervalMs ?? 60_000;
  const since = new Date().toISOString();
  try {
    for (let failures = 1; ; failures++) {
      try {
        return await call(held);
      } catch (err) {
        if (!(err instanceof ActivityFailure) || (err.cause instanceof ApplicationFailure && isAnswer(err.cause))) throw err;
        caseId = await acts.recordInfrastructureFault({
          key,
          tenantId,
          workflowId: workflowInfo().workflowId,
          activity,
          step: state.step,
          error: describeFailure(err),
        });
        state.fault = { caseId, activity, since, failures, nextAttemptAt: new Date(Date.now() + waitMs).toISOString() };
        show(run);
        await waitUntil(run, () => false, waitMs);
        waitMs = Math.min(waitMs * 2, MAX_FAULT_WAIT_MS);
      }
    }
  } catch (err) {
    resolution = `the step ended otherwise: ${err instanceof Error ? err.message : String(err)}`;
    throw err;
  } finally {
    if (caseId) {
      state.fault = undefined;
      show(run);
      await acts.closeStaffCase({ caseId, resolution });
    }
  }
}
