import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { TenantIdAttribute } from '../search-attributes';
import type { Band, JudgedRate, LadderMemory, LadderState, StaffDecision } from '../../domain/escalation-ladder';
import type { StaffAction } from '../shared-definitions';
import type { CampaignFigures } from '../../domain/monitor-advice';

/** The tenant monitor's messages; the API imports these to read and steer it. */

/** One monitor per tenant: routes, scripts and tests find it by this id. */
export const monitorWorkflowId = (tenantId: string) => `tenant-monitor/${tenantId}`;

/**
 * What a person's decision wipes clean: from then on only newer traffic is judged. Counters
 * are hourly, so the decision's own hour is judged net of what it held at that moment.
 */
export interface JudgedSince {
  hour: string;
  delivered: number;
  errors: number;
  optOuts: number;
}

export interface TenantMonitorInput {
  tenantId: string;
  /** Between evaluations: minutes in production, seconds in tests. */
  intervalMs: number;
  /** Evaluations per workflow run before continue-as-new (the server may suggest it sooner). */
  evaluationsPerRun?: number;
  /** While warned, a reminder this often; unset: MONITOR_REMINDER_INTERVAL_SECONDS (3 days). Seconds in tests. */
  reminderIntervalMs?: number;
  /** Carried across continue-as-new. */
  carried?: Pick<TenantMonitorState, 'memory' | 'evaluations' | 'moves' | 'lastEvaluation' | 'judgedSince' | 'reminders'> & { nextSeq: number };
}

export interface MonitorMoveRecord {
  from: LadderState;
  to: LadderState;
  why: 'escalated' | 'recovered' | 'staff';
  by: string;
  reason: string;
  at: string;
}

export interface MonitorEvaluation {
  at: string;
  band: Band;
  rates: JudgedRate[];
  errorCodes: Array<{ code: number; n: number }>;
  /** The campaigns behind the most errors and opt-outs (absent in evaluations from before attribution). */
  campaigns?: CampaignFigures[];
}

/** The reminders of the current warned period. */
export interface WarnedReminders {
  /** The move that made the tenant warned. */
  warnedSeq: number;
  sent: number;
  nextAt: string;
}

export interface TenantMonitorState {
  tenantId: string;
  state: LadderState;
  memory: LadderMemory;
  evaluations: number;
  lastEvaluation?: MonitorEvaluation;
  nextEvaluationAt?: string;
  /** Since a person approved or reinstated the tenant, only newer traffic is judged. */
  judgedSince?: JudgedSince;
  /** The latest moves on the ladder, oldest first (the audit log keeps them all). */
  moves: MonitorMoveRecord[];
  /** While warned: how many reminders went out and when the next one is due. */
  reminders?: WarnedReminders;
}

export const monitorStateQuery = defineQuery<TenantMonitorState>('monitorState');

/** The rungs a staff decision moved the tenant between. */
export interface StaffStandingMove {
  from: LadderState;
  to: LadderState;
}

/**
 * Compliance staff's decisions: close an under-review case, suspend, or end a suspension. As
 * Updates, the validator refuses one that does not fit the rung (`NotInStep`, nothing recorded).
 * The answer comes once the monitor has taken the decision; its effects (audit, the Twilio
 * subaccount, the notice) follow durably, so an unreachable Twilio does not hold the caller.
 */
export const staffStandingUpdates = {
  approve: defineUpdate<StaffStandingMove, [StaffAction]>('staffApprove'),
  suspend: defineUpdate<StaffStandingMove, [StaffAction]>('staffSuspend'),
  reinstate: defineUpdate<StaffStandingMove, [StaffAction]>('staffReinstate'),
} satisfies Record<StaffDecision, unknown>;

/** The same decisions as Signals, as they were sent before the Updates; kept for callers that still send them. */
export const approveStandingSignal = defineSignal<[StaffAction]>('approve');
export const suspendSendingSignal = defineSignal<[StaffAction]>('suspend');
export const reinstateSendingSignal = defineSignal<[StaffAction]>('reinstate');

/**
 * How a tenant's monitor is started, wherever it is started from (the lifecycle on activation,
 * `ensureTenantMonitors`, tests): one id per tenant, its TenantId, a readable summary.
 */
export function startMonitorOptions(tenant: { id: string; businessName: string }, intervalMs: number) {
  return {
    workflowId: monitorWorkflowId(tenant.id),
    args: [{ tenantId: tenant.id, intervalMs }] as [TenantMonitorInput],
    typedSearchAttributes: [{ key: TenantIdAttribute, value: tenant.id }],
    staticSummary: `Tenant monitor: ${tenant.businessName}`,
  };
}
