import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { KycAssessment } from '../../domain/kyc-risk';
import type { StaffDecisionName } from '../../db/staff-decisions';
import type { RegistrationPhase, RegistrationReason, RegistrationTimings } from '../carrier-registration/definitions';
import { TenantIdAttribute } from '../search-attributes';
import { Refusal, type StaffAction } from '../shared-definitions';

export type { StaffAction } from '../shared-definitions';

/**
 * The tenant lifecycle's messages. The API imports these to steer and read the workflow;
 * nothing here runs I/O, so it is safe on both sides.
 */

/** One lifecycle per tenant: routes, scripts and tests find it by this id. */
export const lifecycleWorkflowId = (tenantId: string) => `tenant-lifecycle/${tenantId}`;

/** How a tenant's lifecycle is started (sign-up, tests): its id, its TenantId, a readable summary. */
export function startLifecycleOptions(tenant: { id: string; businessName: string; signedUpAt: Date }, timings: LifecycleTimings, taskQueue: string) {
  return {
    workflowId: lifecycleWorkflowId(tenant.id),
    taskQueue,
    args: [{ tenantId: tenant.id, businessName: tenant.businessName, timings }] as [TenantLifecycleInput],
    typedSearchAttributes: [{ key: TenantIdAttribute, value: tenant.id }],
    staticSummary: `Tenant onboarding: ${tenant.businessName}`,
    staticDetails: `Tenant ${tenant.id} (${tenant.businessName}), signed up ${tenant.signedUpAt.toISOString()}`,
  };
}

export type LifecycleStepName =
  'kyc' | 'kyc_review' | 'verification' | 'sandbox' | 'review' | 'provisioning' | 'number' | 'registration' | 'active' | 'rejected';
/** Where a tenant stands at a step: its `tenants.status`, and its ComplianceState unless staff suspended it. */
export type TenantStanding = 'onboarding' | 'active' | 'rejected';
export const standingAt = (step: LifecycleStepName): TenantStanding => (step === 'active' || step === 'rejected' ? step : 'onboarding');
export type VerificationCheckStatus = 'approved' | 'wrong_code' | 'expired' | 'max_attempts_reached';
export type SandboxSendResult =
  { ok: true; sid: string; status: string; to: string; from: string } | { ok: false; errorCode: number; errorMessage: string; to: string; from: string };

export interface LifecycleTimings {
  verificationTtlMs: number;
  resendCooldownMs: number;
  maxVerificationAttempts: number;
  minSuccessfulSandboxSends: number;
  reviewReminderIntervalMs: number;
  /** How long one activity attempt may take before Temporal retries it (a dead worker's task too). */
  activityTimeoutMs: number;
  /** The tenant monitor's evaluation interval (absent in histories from before the monitor existed). */
  monitorIntervalMs?: number;
  /**
   * The first wait after an onboarding step failed on infrastructure; it doubles up to 30
   * minutes while the step keeps failing (absent in older histories: one minute).
   */
  faultRetryIntervalMs?: number;
  /** The carrier registration the lifecycle starts (absent in histories from before it did: production defaults). */
  registration?: RegistrationTimings;
}

export interface TenantLifecycleInput {
  tenantId: string;
  businessName: string;
  timings: LifecycleTimings;
  /** Carried across continue-as-new so the tenant's story is not lost. */
  carried?: { history: StepRecord[]; attempt: number; verified: boolean; successfulSandboxSends: number };
}

export interface StepRecord {
  step: LifecycleStepName;
  at: string;
  note?: string;
}

export interface TenantLifecycleState {
  tenantId: string;
  step: LifecycleStepName;
  suspended: boolean;
  history: StepRecord[];
  /** What the tenant (or staff) must do next, in words. */
  openRequirements: string[];
  /** Why the tenant stands where it does (risk reasons, rejection reasons). */
  reasons: string[];
  kyc?: Pick<KycAssessment, 'score' | 'level'>;
  verification: { sentTo?: string; attemptsLeft: number; expiresAt?: string; resendAvailableAt?: string; verified: boolean };
  sandbox: { successfulSends: number; required: number };
  review?: { caseId: string; kind: 'kyc_review' | 'onboarding_review'; openedAt: string };
  phoneNumber?: string;
  subaccountSid?: string;
  /** The carrier registration step: the child workflow's phase as the lifecycle last saw it (the API shows the live one). */
  registration?: LifecycleRegistrationView;
  /** Set while a step is held by an infrastructure failure: the workflow retries and a staff case is open. */
  fault?: { caseId: string; activity: string; since: string; failures: number; nextAttemptAt: string };
}

export interface LifecycleRegistrationView {
  workflowId: string;
  /** `details_missing` until the tenant gives what registration needs; then the registration's own phase. */
  phase: RegistrationPhase | 'details_missing';
  reasons: RegistrationReason[];
  openRequirements: string[];
  /** Set while a timed-out registration waits for staff to restart it (a staff case is open). */
  held?: { caseId: string; since: string };
}

export interface VerificationAnswer {
  status: VerificationCheckStatus;
  attemptsLeft: number;
}

export interface SandboxSendRequest {
  to: string;
  from: string;
  /**
   * The text sealed with the tenant's data key (src/crypto): the history holds ciphertext, never
   * the text; the activity opens it. `body`: the text itself, as runs from before carried it.
   */
  sealedBody?: string;
  body?: string;
}

export const tenantStateQuery = defineQuery<TenantLifecycleState>('tenantState');

export const submitVerificationCodeUpdate = defineUpdate<VerificationAnswer, [{ code: string }]>('submitVerificationCode');
export const resendVerificationCodeUpdate = defineUpdate<{ sentTo: string; resendAvailableAt: string }, []>('resendVerificationCode');
export const sandboxSendUpdate = defineUpdate<SandboxSendResult, [SandboxSendRequest]>('sandboxSend');

/**
 * Staff decisions as Updates: the validator refuses one that does not fit the tenant's step
 * before anything is recorded in the workflow (`NotInStep`, `InvalidInput`); the handler checks
 * the audit entry (`DecisionNotAudited`) and answers with the state after the decision.
 */
export const staffDecisionUpdates = {
  approve: defineUpdate<TenantLifecycleState, [StaffAction]>('staffApprove'),
  reject: defineUpdate<TenantLifecycleState, [StaffAction]>('staffReject'),
  suspend: defineUpdate<TenantLifecycleState, [StaffAction]>('staffSuspend'),
  reinstate: defineUpdate<TenantLifecycleState, [StaffAction]>('staffReinstate'),
} satisfies Record<StaffDecisionName, unknown>;
/** The handler's refusal of a decision whose audit entry does not hold (the check already recorded why). */
export const DECISION_NOT_AUDITED = Refusal.DecisionNotAudited;

/** The Signals staff decisions arrived by before the Updates; kept for runs that still receive them. */
export const approveSignal = defineSignal<[StaffAction]>('approve');
export const rejectSignal = defineSignal<[StaffAction]>('reject');
export const suspendSignal = defineSignal<[StaffAction]>('suspend');
export const reinstateSignal = defineSignal<[StaffAction]>('reinstate');
export const kycResubmittedSignal = defineSignal<[]>('kycResubmitted');
export const areaCodeChosenSignal = defineSignal<[{ areaCode: string }]>('areaCodeChosen');
/** The API stored the tenant's registration details: a registration step waiting for them looks again. */
export const registrationDetailsGivenSignal = defineSignal<[]>('registrationDetailsGiven');
/** Staff restart a registration that timed out (the validator refuses it unless one waits for that). */
export const restartRegistrationUpdate = defineUpdate<TenantLifecycleState, [StaffAction]>('restartRegistration');

/**
 * The number step's answer that the tenant should pick another area code: grantPhoneNumber
 * fails with this type (it translates Twilio's own codes for it), and the workflow asks.
 */
export const NO_NUMBERS_AVAILABLE = 'NoNumbersAvailable';
/**
 * The same answer as runs recorded before the activity named it (Twilio's code in the type).
 * Those histories hold these failures, so the workflow still reads them as no numbers.
 */
export const NO_NUMBERS_AVAILABLE_AS_RECORDED_BEFORE = ['TwilioError21452', 'TwilioError21421', 'TwilioError21422'];
export const isNoNumbersAvailable = (failureType: string | undefined | null) =>
  failureType === NO_NUMBERS_AVAILABLE || NO_NUMBERS_AVAILABLE_AS_RECORDED_BEFORE.includes(failureType ?? '');

/** Twilio's magic test numbers: the only recipients allowed in the sandbox step. */
export const MAGIC_TEST_NUMBER = /^\+1500555000\d$/;
