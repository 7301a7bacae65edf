import { log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AuditedStaffAction, StaffDecisionName } from '../../db/staff-decisions';
import { Refusal } from '../shared-definitions';
import { refuse, staffActionProblem } from '../staff-decision-updates';
import { approveSignal, DECISION_NOT_AUDITED, reinstateSignal, rejectSignal, staffDecisionUpdates, suspendSignal, type StaffAction } from './definitions';
import { persevere } from './held-steps';
import { needs, Rejection, show, waitUntil, type LifecycleRun } from './run';

/** Patch: workflows that ran before it replay as they ran (a Signal's decision taken as sent). */
const STAFF_DECISIONS_AUDITED = 'staff-decisions-audited';

/**
 * A staff decision counts only through the audit entry the API wrote before sending it:
 * anyone who reaches Temporal can send a Signal or an Update. Who decided and why come from
 * that entry; a decision without a valid, unused one is logged, recorded (by the activity) and
 * not taken. Updates came after the audit check, so they always make it (no patch to ask).
 */
export async function confirmed(
  run: LifecycleRun,
  decision: AuditedStaffAction,
  action: StaffAction,
  by: 'signal' | 'update',
): Promise<StaffAction | undefined> {
  if (by === 'signal' && !patched(STAFF_DECISIONS_AUDITED)) return action;
  const { workflowId, runId } = workflowInfo();
  const usedBy = `${workflowId}/${runId}#${++run.decisionsChecked}`;
  const check = await run.acts.confirmStaffDecision({ tenantId: run.tenantId, decision, auditId: action.auditId, claimedBy: action.by, usedBy });
  if (check.accepted) return { by: check.by, reason: check.reason, auditId: action.auditId };
  log.warn('staff decision ignored', { decision, auditId: action.auditId, claimedBy: action.by, why: check.why });
  return undefined;
}

interface StaffDecision {
  /** Why it does not fit the tenant as it stands (undefined: it fits). */
  misfit: () => string | undefined;
  take: (action: StaffAction) => Promise<void>;
}

/** Each staff decision: Signals and Updates share these; an Update's validator refuses a misfit. */
function staffDecisions(run: LifecycleRun): Record<StaffDecisionName, StaffDecision> {
  const { acts, state, tenantId } = run;
  const decisionAwaited = () => run.awaitingDecision && !run.decision;
  const rejectable = () => state.step !== 'rejected' && state.step !== 'active' && !run.staffRejection;
  const suspendable = () => !state.suspended && state.step !== 'active';
  return {
    approve: {
      misfit: () => (decisionAwaited() ? undefined : 'The tenant has no open review to approve.'),
      take: async (action) => {
        run.decision = { approve: true, action };
      },
    },
    reject: {
      misfit: () => (decisionAwaited() || rejectable() ? undefined : 'Only a tenant still onboarding can be rejected.'),
      take: async (action) => {
        if (decisionAwaited()) run.decision = { approve: false, action };
        else {
          run.staffRejection = action;
          await acts.recordStaffAction({ tenantId, action: 'tenant.rejected', by: action.by, reason: action.reason, step: state.step });
        }
      },
    },
    suspend: {
      misfit: () => (suspendable() ? undefined : 'Only an onboarding tenant that is not suspended can be suspended here.'),
      take: async (action) => {
        state.suspended = true;
        show(run);
        await acts.recordStaffAction({ tenantId, action: 'tenant.suspended', by: action.by, reason: action.reason, step: state.step });
      },
    },
    reinstate: {
      misfit: () => (state.suspended ? undefined : 'The tenant is not suspended.'),
      take: async (action) => {
        state.suspended = false;
        show(run);
        await acts.recordStaffAction({ tenantId, action: 'tenant.reinstated', by: action.by, reason: action.reason, step: state.step });
      },
    },
  };
}

/** Takes staff decisions as Updates, and as the Signals runs that started before the Updates may still be sent. */
export function handleStaffDecisions(run: LifecycleRun): void {
  const decisions = staffDecisions(run);
  for (const [name, signal] of [
    ['approve', approveSignal],
    ['reject', rejectSignal],
    ['suspend', suspendSignal],
    ['reinstate', reinstateSignal],
  ] as const) {
    const { misfit, take } = decisions[name];
    // A misfit or unaudited Signal is ignored.
    setHandler(signal, async (signalled) => {
      if (misfit()) return;
      const action = await confirmed(run, name, signalled, 'signal');
      if (!action || misfit()) return;
      await take(action);
    });
    setHandler(
      staffDecisionUpdates[name],
      async (sent) => {
        const action = await confirmed(run, name, sent, 'update');
        if (!action) throw refuse(DECISION_NOT_AUDITED, `The ${name} decision names no valid audit entry (${sent.auditId ?? 'none'}).`);
        // The audit check took an activity: another decision may have come first.
        const late = misfit();
        if (late) throw refuse(Refusal.NotInStep, late);
        await take(action);
        return run.state;
      },
      {
        validator: (sent) => {
          const invalid = staffActionProblem(sent, { auditId: true });
          if (invalid) throw refuse(Refusal.InvalidInput, invalid);
          const why = misfit();
          if (why) throw refuse(Refusal.NotInStep, why);
        },
      },
    );
  }
}

/** Opens a case, reminds while it waits, and returns only on approval. */
export async function reviewedByPerson(
  run: LifecycleRun,
  kind: 'kyc_review' | 'onboarding_review',
  summary: string,
  details: Record<string, unknown>,
): Promise<void> {
  const { tenantId, state } = run;
  const caseId = await persevere(run, 'openComplianceCase', (a) =>
    a.openComplianceCase({ tenantId, kind, key: `${tenantId}:${kind}:${run.attempt}`, summary, details }),
  );
  state.review = { caseId, kind, openedAt: new Date().toISOString() };
  run.awaitingDecision = true;
  needs(run, 'A compliance officer reviews your application.');
  while (!(await waitUntil(run, () => run.decision !== undefined, run.input.timings.reviewReminderIntervalMs))) {
    await persevere(run, 'recordReviewReminder', (a) => a.recordReviewReminder(caseId));
  }
  const { approve, action } = run.decision!;
  run.awaitingDecision = false;
  run.decision = undefined;
  state.review = undefined;
  await persevere(run, 'decideComplianceCase', (a) =>
    a.decideComplianceCase({ caseId, decision: approve ? 'approved' : 'rejected', by: action.by, reason: action.reason }),
  );
  if (!approve) throw new Rejection(`Rejected by compliance: ${action.reason}`, [action.reason], action);
}
