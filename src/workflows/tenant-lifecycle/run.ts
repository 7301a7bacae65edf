import { condition, proxyActivities, setCurrentDetails, type ActivityInterfaceFor } from '@temporalio/workflow';
import type { TenantLifecycleActivities } from '../../activities/tenant-lifecycle';
import type { CarrierRegistrationState } from '../carrier-registration/definitions';
import { RETRY_UNTIL_IT_PASSES } from '../shared-definitions';
import type { StaffAction, TenantLifecycleInput, TenantLifecycleState } from './definitions';
import { showInSearch } from './search-visibility';

export type LifecycleActivityProxy = ActivityInterfaceFor<TenantLifecycleActivities>;

/**
 * One run of the lifecycle: what it shows (`state`), how it calls activities, and what the
 * tenant and staff told it that the onboarding steps have yet to act on. The handlers and the
 * steps (in the modules beside this one) share it.
 */
export interface LifecycleRun {
  input: TenantLifecycleInput;
  tenantId: string;
  state: TenantLifecycleState;
  /** Retried until they pass (Twilio 429/5xx, database hiccups); business errors come back as non-retryable failures. */
  acts: LifecycleActivityProxy;
  /** The onboarding steps' own calls: about half a minute of retries, then the step holds (see `persevere`). */
  held: LifecycleActivityProxy;
  /** Which KYC submission this is: the first, or a resubmission after a rejection. */
  attempt: number;
  awaitingDecision: boolean;
  decision?: { approve: boolean; action: StaffAction };
  staffRejection?: StaffAction;
  kycResubmitted: boolean;
  chosenAreaCode?: string;
  /** Bumped when the API stored registration details: a step waiting for them reads them again. */
  registrationDetailsGiven: number;
  /** The registration child under way: kept so a step entered again (after a rejection) awaits it instead of starting another. */
  registrationRun?: { outcome?: CarrierRegistrationState; failure?: string };
  /** Staff's restart of a timed-out registration, until the step acts on it. */
  registrationRestart?: StaffAction;
  /** Counters that make keys and claims unique within the run. */
  faultCalls: number;
  decisionsChecked: number;
}

/** Onboarding stopped: KYC judged the risk too high, or a person rejected the tenant. */
export class Rejection extends Error {
  constructor(
    message: string,
    readonly reasons: string[],
    readonly byStaff?: StaffAction,
  ) {
    super(message);
  }
}

export function startRun(input: TenantLifecycleInput): LifecycleRun {
  const { tenantId, timings, carried } = input;
  return {
    input,
    tenantId,
    state: {
      tenantId,
      step: 'kyc',
      suspended: false,
      history: carried?.history ?? [],
      openRequirements: [],
      reasons: [],
      verification: { attemptsLeft: timings.maxVerificationAttempts, verified: carried?.verified ?? false },
      sandbox: { successfulSends: carried?.successfulSandboxSends ?? 0, required: timings.minSuccessfulSandboxSends },
    },
    acts: proxyActivities<TenantLifecycleActivities>({ startToCloseTimeout: timings.activityTimeoutMs, retry: RETRY_UNTIL_IT_PASSES }),
    held: proxyActivities<TenantLifecycleActivities>({
      startToCloseTimeout: timings.activityTimeoutMs,
      retry: { ...RETRY_UNTIL_IT_PASSES, maximumAttempts: 6 },
    }),
    attempt: carried?.attempt ?? 1,
    awaitingDecision: false,
    kycResubmitted: false,
    registrationDetailsGiven: 0,
    faultCalls: 0,
    decisionsChecked: 0,
  };
}

/** Shows where the tenant stands: in its search attributes and in the run's details in the Temporal UI. */
export function show({ input, state }: LifecycleRun): void {
  showInSearch(state);
  const label = state.suspended ? 'suspended' : state.step;
  const fault = state.fault
    ? `\n\nHeld: ${state.fault.activity} failed ${state.fault.failures} time(s); staff case ${state.fault.caseId}; next try ${state.fault.nextAttemptAt}`
    : '';
  setCurrentDetails(`**${input.businessName}**: ${label}${state.openRequirements.length ? `\n\nNext: ${state.openRequirements.join(' ')}` : ''}${fault}`);
}

/** What the tenant (or staff) must do next. */
export function needs(run: LifecycleRun, ...requirements: string[]): void {
  run.state.openRequirements = requirements;
  show(run);
}

/** Waits for `ready` while not suspended; a staff rejection interrupts any wait. */
export async function waitUntil(run: LifecycleRun, ready: () => boolean, timeoutMs?: number): Promise<boolean> {
  const settled = () => run.staffRejection !== undefined || (!run.state.suspended && ready());
  const met = timeoutMs === undefined ? (await condition(settled), true) : await condition(settled, timeoutMs);
  if (run.staffRejection) throw new Rejection(`Rejected by compliance: ${run.staffRejection.reason}`, [run.staffRejection.reason], run.staffRejection);
  return met;
}

/** Goes on unless staff suspended the tenant (then waits) or rejected it (then throws). */
export const checkpoint = (run: LifecycleRun) => waitUntil(run, () => true);
