import { patched, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  MAX_VERDICT_WAIT_MS,
  registrationWorkflowId,
  startRegistrationOptions,
  type CarrierRegistrationState,
  type RegistrationReason,
  type RegistrationTimings,
} from '../carrier-registration/definitions';
import { carrierRegistration } from '../carrier-registration/workflow';
import { Refusal } from '../shared-definitions';
import { refuse, staffActionProblem } from '../staff-decision-updates';
import {
  DECISION_NOT_AUDITED,
  registrationDetailsGivenSignal,
  restartRegistrationUpdate,
  type LifecycleRegistrationView,
  type StaffAction,
} from './definitions';
import { persevere } from './held-steps';
import { needs, waitUntil, type LifecycleRun } from './run';
import { confirmed } from './staff-decisions';

/** Patch: lifecycles that ran before it went from the number straight to active. */
export const CARRIER_REGISTRATION = 'carrier-registration';
/** Patch: runs recorded before it took a staff restart as sent, without its audit entry. */
const RESTART_AUDITED = 'registration-restart-audited';

/** Production polling for runs whose timings predate the registration step. */
const DEFAULT_REGISTRATION_TIMINGS: RegistrationTimings = {
  pollInitialMs: 60_000,
  pollMaxMs: 3_600_000,
  giveUpAfterMs: MAX_VERDICT_WAIT_MS,
  activityTimeoutMs: 60_000,
};
const FINAL_PHASES = new Set(['approved', 'rejected', 'timed_out']);

/** Twilio's reasons in the lifecycle's words (its `reasons` are plain strings). */
export const reasonText = (r: RegistrationReason) => (r.code ? `Twilio ${r.code}: ${r.description}` : r.description);

/** The tenant's registration details arriving, and staff restarting a registration that timed out. */
export function handleRegistrationMessages(run: LifecycleRun): void {
  setHandler(registrationDetailsGivenSignal, () => {
    run.registrationDetailsGiven += 1;
  });
  const misfit = () => (!run.state.registration?.held || run.registrationRestart ? 'No timed-out registration waits for staff.' : undefined);
  setHandler(
    restartRegistrationUpdate,
    async (sent) => {
      let action: StaffAction | undefined = sent;
      // Like a staff decision, a restart counts only through the audit entry the API wrote first.
      if (patched(RESTART_AUDITED)) {
        action = await confirmed(run, 'restart_registration', sent, 'update');
        if (!action) throw refuse(DECISION_NOT_AUDITED, `The restart names no valid audit entry (${sent.auditId ?? 'none'}).`);
        const late = misfit();
        if (late) throw refuse(Refusal.NotInStep, late);
      }
      run.registrationRestart = action;
      return run.state;
    },
    {
      validator: (sent) => {
        const invalid = staffActionProblem(sent, { auditId: false });
        if (invalid) throw refuse(Refusal.InvalidInput, invalid);
        const why = misfit();
        if (why) throw refuse(Refusal.NotInStep, why);
      },
    },
  );
}

/** What registration needs: the stored details' kind and brand type, waiting (durably) until the tenant gives them. */
async function detailsGiven(run: LifecycleRun, view: LifecycleRegistrationView) {
  const { tenantId } = run;
  for (;;) {
    const seen = run.registrationDetailsGiven;
    const plan = await persevere(run, 'registrationPlan', (a) => a.registrationPlan(tenantId));
    if (plan) return plan;
    view.phase = 'details_missing';
    view.openRequirements = [
      `Give your carrier registration details (PUT /v1/tenants/${tenantId}/registration-details): number type, brand type, EIN, address and representative.`,
    ];
    needs(run, ...view.openRequirements);
    await waitUntil(run, () => run.registrationDetailsGiven !== seen);
    view.openRequirements = [];
    needs(run);
  }
}

/**
 * The registration's end: the child this run started (or started before a rejection and
 * still running), or, when another start already holds the id, its phase as PostgreSQL
 * records it, read on timers. A staff rejection or suspension interrupts the wait, not the child.
 */
async function registrationEnded(run: LifecycleRun, plan: Awaited<ReturnType<typeof detailsGiven>>): Promise<CarrierRegistrationState> {
  const { tenantId } = run;
  const timings = run.input.timings.registration ?? DEFAULT_REGISTRATION_TIMINGS;
  if (!run.registrationRun || run.registrationRun.outcome || run.registrationRun.failure) {
    const pending: NonNullable<LifecycleRun['registrationRun']> = {};
    run.registrationRun = pending;
    const input = { tenantId, kind: plan.kind, ...(plan.brandType ? { brandType: plan.brandType } : {}), timings };
    try {
      const child = await startChild(carrierRegistration, startRegistrationOptions(input, workflowInfo().taskQueue));
      child.result().then(
        (outcome) => void (pending.outcome = outcome),
        (err: unknown) => void (pending.failure = err instanceof Error ? err.message : String(err)),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      return startedElsewhereEnded(run, timings.pollMaxMs);
    }
  }
  const awaited = run.registrationRun;
  await waitUntil(run, () => awaited.outcome !== undefined || awaited.failure !== undefined);
  if (awaited.outcome) return awaited.outcome;
  return { ...emptyState(tenantId, plan.kind), phase: 'timed_out', reasons: [{ description: `The registration workflow failed: ${awaited.failure}` }] };
}

const emptyState = (tenantId: string, kind: CarrierRegistrationState['kind']): CarrierRegistrationState => ({
  tenantId,
  kind,
  phase: 'starting',
  submissions: {},
  reasons: [],
  openRequirements: [],
  history: [],
});

async function startedElsewhereEnded(run: LifecycleRun, pollMs: number): Promise<CarrierRegistrationState> {
  for (;;) {
    const standing = await persevere(run, 'registrationStanding', (a) => a.registrationStanding(run.tenantId));
    if (standing && FINAL_PHASES.has(standing.phase)) return { ...emptyState(run.tenantId, standing.kind), phase: standing.phase, reasons: standing.reasons };
    await waitUntil(run, () => false, pollMs);
  }
}

/** A registration Twilio never decided: a staff case, and the step waits for staff to restart it. */
async function heldForStaff(run: LifecycleRun, view: LifecycleRegistrationView): Promise<void> {
  const { tenantId, acts } = run;
  const { workflowId, runId } = workflowInfo();
  const error = view.reasons.map(reasonText).join(' ') || 'the registration ended without a verdict';
  const caseId = await acts.recordInfrastructureFault({
    key: `${runId}:registration:${++run.faultCalls}`,
    tenantId,
    workflowId,
    activity: 'carrierRegistration',
    step: 'registration',
    error,
    summary: `Carrier registration timed out (${error}); check the submission at Twilio and restart it (POST /v1/compliance/tenants/${tenantId}/registration/restart)`,
  });
  run.registrationRestart = undefined;
  view.held = { caseId, since: new Date().toISOString() };
  needs(run, 'Compliance staff check the registration at Twilio and restart it.');
  await waitUntil(run, () => run.registrationRestart !== undefined);
  const action = run.registrationRestart!;
  run.registrationRestart = undefined;
  view.held = undefined;
  needs(run);
  await acts.closeStaffCase({ caseId, resolution: `registration restarted by ${action.by}: ${action.reason}` });
}

/**
 * The registration step (issue 14): carrierRegistration as a child workflow, id
 * `carrier-registration/<tenantId>`. Approved: the tenant may go live. Rejected for good: the
 * lifecycle ends rejected. Timed out (or the child failed): held for staff, who restart it.
 */
export async function carrierRegistered(run: LifecycleRun): Promise<'approved' | 'rejected'> {
  const view: LifecycleRegistrationView = { workflowId: registrationWorkflowId(run.tenantId), phase: 'starting', reasons: [], openRequirements: [] };
  run.state.registration = view;
  const plan = await detailsGiven(run, view);
  for (;;) {
    view.phase = 'starting';
    view.reasons = [];
    const ended = await registrationEnded(run, plan);
    Object.assign(view, { phase: ended.phase, reasons: ended.reasons, openRequirements: ended.openRequirements });
    if (ended.phase === 'approved' || ended.phase === 'rejected') return ended.phase;
    await heldForStaff(run, view);
  }
}
