import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { notificationEmail, startEmailOptions } from '../notification-email';
import type { createTenantMonitorActivities } from '../../activities/tenant-monitor';
import {
  applyStaffDecision,
  INITIAL_LADDER,
  judgeRate,
  moveReason,
  overallBand,
  staffDecisionFits,
  stepLadder,
  type JudgedRate,
  type LadderMove,
  type StaffDecision,
} from '../../domain/escalation-ladder';
import type { EvaluationFigures } from '../../domain/monitor-advice';
import { Refusal, RETRY_UNTIL_IT_PASSES, type StaffAction } from '../shared-definitions';
import { ComplianceStateAttribute } from '../search-attributes';
import { refuse, staffActionProblem } from '../staff-decision-updates';
import {
  approveStandingSignal,
  monitorStateQuery,
  reinstateSendingSignal,
  staffStandingUpdates,
  suspendSendingSignal,
  type TenantMonitorInput,
  type TenantMonitorState,
} from './definitions';

type MonitorActivities = ReturnType<typeof createTenantMonitorActivities>;

const MOVES_KEPT = 50;
const DEFAULT_REMINDER_INTERVAL_MS = 3 * 24 * 3600_000;
/** Repeated reminders while warned: runs recorded before them replay without. */
export const WARNED_REMINDERS_PATCH = 'monitor-warned-reminders';
/** A staff decision's Update answers once the decision is taken, not once its effects are done. */
const UPDATES_ANSWERED_WHEN_TAKEN = 'monitor-updates-answered-when-taken';

/**
 * One per active tenant for its whole life: every `intervalMs` it reads the tenant's error
 * and opt-out rates (rolling counters in PostgreSQL) and moves it along the escalation
 * ladder (src/domain/escalation-ladder.ts); compliance staff's Signals move it too. Each
 * move's effects — sending state, audit, notice and email, compliance case, the Twilio
 * subaccount's status — happen through activities, once per move. While the tenant stays
 * warned, a reminder with the current figures and specific advice goes out every
 * `reminderIntervalMs`.
 */
export async function tenantMonitor(input: TenantMonitorInput): Promise<void> {
  const { tenantId } = input;
  const acts = proxyActivities<MonitorActivities>({ startToCloseTimeout: '1 minute', retry: RETRY_UNTIL_IT_PASSES });
  const carried = input.carried;
  const state: TenantMonitorState = {
    tenantId,
    state: carried?.memory.state ?? 'good',
    memory: carried?.memory ?? INITIAL_LADDER,
    evaluations: carried?.evaluations ?? 0,
    lastEvaluation: carried?.lastEvaluation,
    judgedSince: carried?.judgedSince,
    moves: carried?.moves ?? [],
    reminders: carried?.reminders,
  };
  let nextSeq = carried?.nextSeq ?? 1;
  /**
   * Staff decisions in the order they came. For one sent as an Update (`byUpdate`), `taken` tells
   * its handler what the loop made of it: the move, or null for none.
   */
  const decisions: Array<{ decision: StaffDecision; action: StaffAction; byUpdate?: true; taken?: LadderMove | null }> = [];

  setHandler(monitorStateQuery, () => state);
  setHandler(approveStandingSignal, (action) => void decisions.push({ decision: 'approve', action }));
  setHandler(suspendSendingSignal, (action) => void decisions.push({ decision: 'suspend', action }));
  setHandler(reinstateSendingSignal, (action) => void decisions.push({ decision: 'reinstate', action }));
  /** The rung once the decisions already waiting are taken: what a new one is judged against. */
  const rungAfterQueued = () => decisions.reduce((memory, d) => applyStaffDecision(memory, d.decision).memory, state.memory).state;
  for (const [decision, update] of Object.entries(staffStandingUpdates) as Array<[StaffDecision, (typeof staffStandingUpdates)[StaffDecision]]>) {
    setHandler(
      update,
      async (action) => {
        const queued: (typeof decisions)[number] = { decision, action, byUpdate: true };
        decisions.push(queued);
        // The loop takes decisions between its activities, one move at a time.
        await condition(() => queued.taken !== undefined);
        if (!queued.taken) throw refuse(Refusal.NotInStep, `The tenant is ${state.memory.state}; ${decision} does not apply.`);
        return { from: queued.taken.from, to: queued.taken.to };
      },
      {
        validator: (action) => {
          const invalid = staffActionProblem(action, { auditId: false });
          if (invalid) throw refuse(Refusal.InvalidInput, invalid);
          const rung = rungAfterQueued();
          if (!staffDecisionFits(rung, decision)) throw refuse(Refusal.NotInStep, `The tenant is ${rung}; ${decision} does not apply.`);
        },
      },
    );
  }

  let shownState: string | undefined;
  const show = () => {
    // Only a change is an event in the history; evaluations that change nothing add none.
    if (shownState !== state.state) upsertSearchAttributes([{ key: ComplianceStateAttribute, value: state.state }]);
    shownState = state.state;
    setCurrentDetails(`tenant ${tenantId}: ${state.state}${state.lastEvaluation ? `, last evaluation ${state.lastEvaluation.band}` : ''}`);
  };
  show();

  // The email goes on its own: an unreachable mail server never stalls the ladder.
  const emailNotice = async (noticeId: string) => {
    await startChild(notificationEmail, { ...startEmailOptions('notice', noticeId), parentClosePolicy: ParentClosePolicy.ABANDON }).catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
  };

  const policy = await acts.monitorPolicy();
  const reminderIntervalMs = input.reminderIntervalMs ?? policy.reminderIntervalMs ?? DEFAULT_REMINDER_INTERVAL_MS;
  const reminderDueAt = () => new Date(Date.now() + reminderIntervalMs).toISOString();

  const move = async (m: LadderMove, by: string, reason: string, rates: JudgedRate[]) => {
    const seq = nextSeq++;
    const { noticeId } = await acts.recordLadderMove({ tenantId, seq, move: m, actor: by, reason, rates });
    if (m.to === 'suspended') await acts.setSubaccountStatus({ tenantId, status: 'suspended' });
    else if (m.from === 'suspended') await acts.setSubaccountStatus({ tenantId, status: 'active' });
    state.state = m.to;
    state.moves = [...state.moves, { ...m, by, reason, at: new Date().toISOString() }].slice(-MOVES_KEPT);
    // Each warned period counts its own reminders, the first one interval after the warning.
    state.reminders = m.to === 'warned' ? { warnedSeq: seq, sent: 0, nextAt: reminderDueAt() } : undefined;
    show();
    if (noticeId) await emailNotice(noticeId);
  };

  /** Still warned at an evaluation: a reminder with its figures, once the interval has passed. */
  const remindIfDue = async (figures: EvaluationFigures) => {
    // Warned before reminders existed: the last move is the one that warned it.
    state.reminders ??= { warnedSeq: nextSeq - 1, sent: 0, nextAt: reminderDueAt() };
    if (Date.now() < Date.parse(state.reminders.nextAt) || !patched(WARNED_REMINDERS_PATCH)) return;
    const { warnedSeq, sent } = state.reminders;
    const { noticeId } = await acts.recordWarnedReminder({ tenantId, warnedSeq, reminder: sent + 1, figures });
    state.reminders = { warnedSeq, sent: sent + 1, nextAt: reminderDueAt() };
    await emailNotice(noticeId);
  };

  let nextEvaluationAt = Date.now() + input.intervalMs;
  let evaluationsThisRun = 0;
  for (;;) {
    state.nextEvaluationAt = new Date(nextEvaluationAt).toISOString();
    if (decisions.length === 0 && nextEvaluationAt > Date.now()) await condition(() => decisions.length > 0, nextEvaluationAt - Date.now());

    while (decisions.length) {
      const queued = decisions.shift()!;
      const { decision, action } = queued;
      const result = applyStaffDecision(state.memory, decision);
      // A decision that does not fit (a duplicate Signal, say) changes nothing.
      if (!result.move) {
        queued.taken = null;
        continue;
      }
      state.memory = result.memory;
      // Taken: its Update answers now, and the move's effects (audit, Twilio, notice) follow, retried
      // until done. Runs whose Updates were answered after the effects replay as they ran.
      if (queued.byUpdate && patched(UPDATES_ANSWERED_WHEN_TAKEN)) queued.taken = result.move;
      // A person looked at the figures and decided: what came before is not held against the tenant again.
      if (result.move.to === 'good') state.judgedSince = await acts.judgeFromNow(tenantId);
      await move(result.move, action.by, action.reason, state.lastEvaluation?.rates ?? []);
      queued.taken = result.move;
    }

    if (Date.now() >= nextEvaluationAt) {
      const measured = await acts.measureTenantRates({ tenantId, windowsHours: policy.windowsHours, since: state.judgedSince });
      const rates = measured.measurements.map((m) => judgeRate(m, policy));
      const { band, worst } = overallBand(rates);
      state.evaluations++;
      evaluationsThisRun++;
      state.lastEvaluation = { at: new Date().toISOString(), band, rates, errorCodes: measured.errorCodes, campaigns: measured.campaigns };
      const stepped = stepLadder(state.memory, band, Date.now(), policy);
      state.memory = stepped.memory;
      if (stepped.move) await move(stepped.move, 'system:monitor', moveReason(stepped.move, worst, policy), rates);
      else {
        show();
        if (state.state === 'warned') await remindIfDue({ rates, errorCodes: measured.errorCodes, campaigns: measured.campaigns ?? [] });
      }
      nextEvaluationAt = Date.now() + input.intervalMs;
    }

    if ((evaluationsThisRun >= (input.evaluationsPerRun ?? 200) || workflowInfo().continueAsNewSuggested) && decisions.length === 0) {
      await condition(allHandlersFinished);
      if (decisions.length) continue;
      await continueAsNew<typeof tenantMonitor>({
        ...input,
        carried: {
          memory: state.memory,
          evaluations: state.evaluations,
          moves: state.moves,
          lastEvaluation: state.lastEvaluation,
          judgedSince: state.judgedSince,
          reminders: state.reminders,
          nextSeq,
        },
      });
    }
  }
}
