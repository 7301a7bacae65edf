import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
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
import type { TenantLifecycleActivities, VerificationCapReached } from '../../activities/tenant-lifecycle';
import type { StaffDecisionName } from '../../db/staff-decisions';
import { ComplianceStateAttribute } from '../search-attributes';
import { Refusal, RETRY_UNTIL_IT_PASSES } from '../shared-definitions';
import { refuse, staffActionProblem } from '../staff-decision-updates';
import { startMonitorOptions } from '../tenant-monitor/definitions';
import { tenantMonitor } from '../tenant-monitor/workflow';
import {
  approveSignal,
  areaCodeChosenSignal,
  DECISION_NOT_AUDITED,
  isNoNumbersAvailable,
  kycResubmittedSignal,
  MAGIC_TEST_NUMBER,
  reinstateSignal,
  rejectSignal,
  resendVerificationCodeUpdate,
  sandboxSendUpdate,
  staffDecisionUpdates,
  submitVerificationCodeUpdate,
  suspendSignal,
  tenantStateQuery,
  type LifecycleStepName,
  type SandboxSendRequest,
  type StaffAction,
  type TenantLifecycleInput,
  type TenantLifecycleState,
} from './definitions';


/** Onboarding stopped: KYC judged the risk too high, or a person rejected the tenant. */
class Rejection extends Error {
  constructor(
    message: string,
    readonly reasons: string[],
    readonly byStaff?: StaffAction,
  ) {
    super(message);
  }
}

/** The number step's "no number for that" answer: the tenant picks another area code. */
const noNumbersAnswer = (failure: ApplicationFailure) => isNoNumbersAvailable(failure.type);

/** What failed, for the staff case: the activity's own failure, not Temporal's wrapper. */
const describeFailure = (err: ActivityFailure) => {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause ? `${cause.name}: ${cause.message}` : err.message;
};

/** Patches: workflows that ran before them replay as they ran. */
const STAFF_DECISIONS_AUDITED = 'staff-decisions-audited';
const INFRASTRUCTURE_FAULTS_HELD = 'infrastructure-faults-held';
const MAX_FAULT_WAIT_MS = 30 * 60_000;

/**
 * One tenant from sign-up to active sender: KYC → (manual KYC review when risk is medium)
 * → Verify → magic-number sandbox → compliance review → subaccount → number → active.
 * A rejection (by the risk rules or a person) waits for the tenant to resubmit KYC and then
 * starts over from KYC; what the tenant already proved (phone, sandbox sends) is kept.
 * Staff may reject or suspend at any step; a suspended tenant makes no progress until reinstated.
 */
export async function tenantLifecycle(input: TenantLifecycleInput): Promise<TenantLifecycleState> {
  const { tenantId, timings } = input;
  const acts = proxyActivities<TenantLifecycleActivities>({
    startToCloseTimeout: timings.activityTimeoutMs,
    // Twilio 429/5xx and database hiccups are retried with backoff until they pass; business
    // errors arrive as non-retryable failures and are handled below.
    retry: RETRY_UNTIL_IT_PASSES,
  });
  // The onboarding steps' own calls: Temporal retries for about half a minute, then a failure
  // that still stands comes back to the workflow, which holds the step (see `persevere`).
  const held = proxyActivities<TenantLifecycleActivities>({
    startToCloseTimeout: timings.activityTimeoutMs,
    retry: { ...RETRY_UNTIL_IT_PASSES, maximumAttempts: 6 },
  });
  const carried = input.carried;
  const state: TenantLifecycleState = {
    tenantId,
    step: 'kyc',
    suspended: false,
    history: carried?.history ?? [],
    openRequirements: [],
    reasons: [],
    verification: { attemptsLeft: timings.maxVerificationAttempts, verified: carried?.verified ?? false },
    sandbox: { successfulSends: carried?.successfulSandboxSends ?? 0, required: timings.minSuccessfulSandboxSends },
  };
  let attempt = carried?.attempt ?? 1;
  let awaitingDecision = false;
  let decision: { approve: boolean; action: StaffAction } | undefined;
  let staffRejection: StaffAction | undefined;
  let kycResubmitted = false;
  let chosenAreaCode: string | undefined;

  const show = () => {
    const label = state.suspended ? 'suspended' : state.step;
    upsertSearchAttributes([{ key: ComplianceStateAttribute, value: label }]);
    const fault = state.fault ? `\n\nHeld: ${state.fault.activity} failed ${state.fault.failures} time(s); staff case ${state.fault.caseId}; next try ${state.fault.nextAttemptAt}` : '';
    setCurrentDetails(`**${input.businessName}**: ${label}${state.openRequirements.length ? `\n\nNext: ${state.openRequirements.join(' ')}` : ''}${fault}`);
  };
  const needs = (...requirements: string[]) => {
    state.openRequirements = requirements;
    show();
  };
  /** Moves to `step`; what the last step asked for no longer applies, the new step's needs do. */
  const enter = async (step: LifecycleStepName, note?: string, requirements: string[] = []) => {
    state.step = step;
    state.openRequirements = requirements;
    state.history.push({ step, at: new Date().toISOString(), ...(note ? { note } : {}) });
    show();
    await persevere('recordLifecycleStep', (a) => a.recordLifecycleStep({ tenantId, step, note }));
  };
  /** Waits for `ready` while not suspended; a staff rejection interrupts any wait. */
  const waitUntil = async (ready: () => boolean, timeoutMs?: number): Promise<boolean> => {
    const settled = () => staffRejection !== undefined || (!state.suspended && ready());
    const met = timeoutMs === undefined ? (await condition(settled), true) : await condition(settled, timeoutMs);
    if (staffRejection) throw new Rejection(`Rejected by compliance: ${staffRejection.reason}`, [staffRejection.reason], staffRejection);
    return met;
  };
  const checkpoint = () => waitUntil(() => true);

  let faultCalls = 0;
  /**
   * Runs one onboarding step's activity until it goes through. A failure still standing after
   * Temporal's own retries is infrastructure (Twilio refusing the platform, the database, a
   * resource gone), not a verdict on the tenant, and must not end the lifecycle: the step
   * holds, a staff case opens (counting each further failure), the call is tried again after a
   * doubling wait, and the case closes once it goes through. A staff rejection still ends the
   * wait. Failures the step answers itself (`isAnswer`) go back to it.
   */
  async function persevere<T>(activity: keyof TenantLifecycleActivities, call: (a: TenantLifecycleActivities) => Promise<T>, isAnswer: (f: ApplicationFailure) => boolean = () => false): Promise<T> {
    if (!patched(INFRASTRUCTURE_FAULTS_HELD)) return call(acts);
    const key = `${workflowInfo().runId}:${++faultCalls}`;
    let caseId: string | undefined;
    let resolution = 'the step went through';
    let waitMs = timings.faultRetryIntervalMs ?? 60_000;
    const since = new Date().toISOString();
    try {
      for (let failures = 1; ; failures++) {
        try {
          return await call(held);
        } catch (err) {
          if (!(err instanceof ActivityFailure) || (err.cause instanceof ApplicationFailure && isAnswer(err.cause))) throw err;
          caseId = await acts.recordInfrastructureFault({ key, tenantId, workflowId: workflowInfo().workflowId, activity, step: state.step, error: describeFailure(err) });
          state.fault = { caseId, activity, since, failures, nextAttemptAt: new Date(Date.now() + waitMs).toISOString() };
          show();
          await waitUntil(() => false, waitMs);
          waitMs = Math.min(waitMs * 2, MAX_FAULT_WAIT_MS);
        }
      }
    } catch (err) {
      resolution = `the step ended otherwise: ${err instanceof Error ? err.message : String(err)}`;
      throw err;
    } finally {
      if (caseId) {
        state.fault = undefined;
        show();
        await acts.closeStaffCase({ caseId, resolution });
      }
    }
  }

  let decisionsChecked = 0;
  /**
   * A staff decision counts only through the audit entry the API wrote before sending it:
   * anyone who reaches Temporal can send a Signal or an Update. Who decided and why come from
   * that entry; a decision without a valid, unused one is logged, recorded (by the activity) and
   * not taken. Updates came after the audit check, so they always make it (no patch to ask).
   */
  const confirmed = async (decision: StaffDecisionName, action: StaffAction, by: 'signal' | 'update'): Promise<StaffAction | undefined> => {
    if (by === 'signal' && !patched(STAFF_DECISIONS_AUDITED)) return action;
    const { workflowId, runId } = workflowInfo();
    const usedBy = `${workflowId}/${runId}#${++decisionsChecked}`;
    const check = await acts.confirmStaffDecision({ tenantId, decision, auditId: action.auditId, claimedBy: action.by, usedBy });
    if (check.accepted) return { by: check.by, reason: check.reason, auditId: action.auditId };
    log.warn('staff decision ignored', { decision, auditId: action.auditId, claimedBy: action.by, why: check.why });
    return undefined;
  };

  setHandler(tenantStateQuery, () => state);

  const decisionAwaited = () => awaitingDecision && !decision;
  const rejectable = () => state.step !== 'rejected' && state.step !== 'active' && !staffRejection;
  const suspendable = () => !state.suspended && state.step !== 'active';
  /**
   * Each staff decision: why it does not fit the tenant as it stands (undefined: it fits), and
   * what taking it does. Signals and Updates share these; an Update's validator refuses a misfit.
   */
  const staffDecisions: Record<StaffDecisionName, { misfit: () => string | undefined; take: (action: StaffAction) => Promise<void> }> = {
    approve: {
      misfit: () => (decisionAwaited() ? undefined : 'The tenant has no open review to approve.'),
      take: async (action) => {
        decision = { approve: true, action };
      },
    },
    reject: {
      misfit: () => (decisionAwaited() || rejectable() ? undefined : 'Only a tenant still onboarding can be rejected.'),
      take: async (action) => {
        if (decisionAwaited()) decision = { approve: false, action };
        else {
          staffRejection = action;
          await acts.recordStaffAction({ tenantId, action: 'tenant.rejected', by: action.by, reason: action.reason, step: state.step });
        }
      },
    },
    suspend: {
      misfit: () => (suspendable() ? undefined : 'Only an onboarding tenant that is not suspended can be suspended here.'),
      take: async (action) => {
        state.suspended = true;
        show();
        await acts.recordStaffAction({ tenantId, action: 'tenant.suspended', by: action.by, reason: action.reason, step: state.step });
      },
    },
    reinstate: {
      misfit: () => (state.suspended ? undefined : 'The tenant is not suspended.'),
      take: async (action) => {
        state.suspended = false;
        show();
        await acts.recordStaffAction({ tenantId, action: 'tenant.reinstated', by: action.by, reason: action.reason, step: state.step });
      },
    },
  };

  for (const [name, signal] of [['approve', approveSignal], ['reject', rejectSignal], ['suspend', suspendSignal], ['reinstate', reinstateSignal]] as const) {
    const { misfit, take } = staffDecisions[name];
    // Runs that started before the Updates may still be sent Signals: a misfit or unaudited one is ignored.
    setHandler(signal, async (signalled) => {
      if (misfit()) return;
      const action = await confirmed(name, signalled, 'signal');
      if (!action || misfit()) return;
      await take(action);
    });
    setHandler(
      staffDecisionUpdates[name],
      async (sent) => {
        const action = await confirmed(name, sent, 'update');
        if (!action) throw refuse(DECISION_NOT_AUDITED, `The ${name} decision names no valid audit entry (${sent.auditId ?? 'none'}).`);
        // The audit check took an activity: another decision may have come first.
        const late = misfit();
        if (late) throw refuse(Refusal.NotInStep, late);
        await take(action);
        return state;
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
  setHandler(kycResubmittedSignal, () => {
    if (state.step === 'rejected') kycResubmitted = true;
  });
  setHandler(areaCodeChosenSignal, ({ areaCode }) => {
    chosenAreaCode = areaCode;
  });

  /** Texts a code, or answers why none went out (the day's cap for the tenant or its number). */
  // The Update that resends calls Verify directly (its caller hears a failure); the step holds on one.
  const sendVerificationCode = async (start = () => acts.startVerification(tenantId)): Promise<VerificationCapReached | undefined> => {
    const started = await start();
    if ('capReached' in started) return started;
    const { sentTo } = started;
    const now = Date.now();
    Object.assign(state.verification, {
      sentTo,
      attemptsLeft: timings.maxVerificationAttempts,
      expiresAt: new Date(now + timings.verificationTtlMs).toISOString(),
      resendAvailableAt: new Date(now + timings.resendCooldownMs).toISOString(),
    });
    needs(`Enter the code sent to ${sentTo} (POST /v1/tenants/${tenantId}/verification).`);
  };
  // Codes are taken only once one was sent: before that there is nothing to check or resend.
  const awaitingCode = () => state.step === 'verification' && state.verification.sentTo !== undefined && !state.verification.verified && !state.suspended;
  const capText = ({ capReached }: VerificationCapReached) =>
    capReached === 'tenant' ? 'This tenant has had as many verification codes as a day allows.' : 'The owner phone has had as many verification codes as a day allows.';

  setHandler(
    submitVerificationCodeUpdate,
    async ({ code }) => {
      const v = state.verification;
      if (v.expiresAt && Date.now() > Date.parse(v.expiresAt)) return { status: 'expired', attemptsLeft: v.attemptsLeft };
      v.attemptsLeft -= 1;
      const status = await acts.checkVerificationCode({ tenantId, code });
      if (status === 'approved') {
        v.verified = true;
        needs();
      }
      if (status === 'max_attempts_reached') v.attemptsLeft = 0;
      return { status, attemptsLeft: v.attemptsLeft };
    },
    {
      validator: ({ code }) => {
        if (!awaitingCode()) throw refuse(Refusal.NotInStep, 'The tenant is not waiting for a verification code.');
        if (typeof code !== 'string' || !/^\d{4,10}$/.test(code)) throw refuse(Refusal.InvalidInput, 'code must be 4 to 10 digits');
        if (state.verification.attemptsLeft <= 0) throw refuse(Refusal.AttemptsExhausted, 'No attempts left for this code: ask for a new one.');
      },
    },
  );

  setHandler(
    resendVerificationCodeUpdate,
    async () => {
      const capped = await sendVerificationCode();
      if (capped) throw refuse(Refusal.TooManyVerifications, `${capText(capped)} The code already sent still works until it expires.`, capped.retryAfterMs);
      return { sentTo: state.verification.sentTo!, resendAvailableAt: state.verification.resendAvailableAt! };
    },
    {
      validator: () => {
        if (!awaitingCode()) throw refuse(Refusal.NotInStep, 'The tenant is not waiting for a verification code.');
        const available = state.verification.resendAvailableAt;
        if (available && Date.now() < Date.parse(available)) throw refuse(Refusal.Cooldown, `A new code can be sent from ${available}.`, Date.parse(available) - Date.now());
      },
    },
  );

  setHandler(
    sandboxSendUpdate,
    async (request) => {
      const result = await acts.sendSandboxTestMessage({ tenantId, ...request });
      if (result.ok) state.sandbox.successfulSends += 1;
      return result;
    },
    {
      validator: (request: SandboxSendRequest) => {
        if (state.step !== 'sandbox' || state.suspended) throw refuse(Refusal.NotInStep, 'Sandbox test sends are only possible during the sandbox step.');
        if (!MAGIC_TEST_NUMBER.test(request.to)) throw refuse(Refusal.NotMagicNumber, `${request.to} is not a Twilio magic test number (+15005550000 to +15005550009).`);
        if (!MAGIC_TEST_NUMBER.test(request.from)) throw refuse(Refusal.NotMagicNumber, `${request.from} is not a Twilio magic test number.`);
      },
    },
  );

  /** Opens a case, reminds while it waits, and returns only on approval. */
  const reviewedByPerson = async (kind: 'kyc_review' | 'onboarding_review', summary: string, details: Record<string, unknown>) => {
    const caseId = await persevere('openComplianceCase', (a) => a.openComplianceCase({ tenantId, kind, key: `${tenantId}:${kind}:${attempt}`, summary, details }));
    state.review = { caseId, kind, openedAt: new Date().toISOString() };
    awaitingDecision = true;
    needs('A compliance officer reviews your application.');
    while (!(await waitUntil(() => decision !== undefined, timings.reviewReminderIntervalMs))) {
      await persevere('recordReviewReminder', (a) => a.recordReviewReminder(caseId));
    }
    const { approve, action } = decision!;
    awaitingDecision = false;
    decision = undefined;
    state.review = undefined;
    await persevere('decideComplianceCase', (a) => a.decideComplianceCase({ caseId, decision: approve ? 'approved' : 'rejected', by: action.by, reason: action.reason }));
    if (!approve) throw new Rejection(`Rejected by compliance: ${action.reason}`, [action.reason], action);
  };

  const onboard = async () => {
    await enter('kyc', attempt > 1 ? `resubmission ${attempt}` : undefined);
    const kyc = await persevere('assessKyc', (a) => a.assessKyc(tenantId));
    state.kyc = { score: kyc.score, level: kyc.level };
    state.reasons = kyc.reasons.map((r) => r.reason);
    await checkpoint();
    if (kyc.level === 'high') throw new Rejection(`KYC risk is high (score ${kyc.score})`, state.reasons);
    if (kyc.level === 'medium') {
      await enter('kyc_review', `risk score ${kyc.score}`);
      await reviewedByPerson('kyc_review', `Medium KYC risk (score ${kyc.score})`, { score: kyc.score, reasons: state.reasons });
    }

    if (!state.verification.verified) {
      await enter('verification');
      // At the day's cap no code goes out: the tenant is told when, and the workflow sends it then.
      const startHeld = () => persevere('startVerification', (a) => a.startVerification(tenantId));
      let capped = await sendVerificationCode(startHeld);
      while (capped) {
        needs(`${capText(capped)} A code will be sent at ${new Date(Date.now() + capped.retryAfterMs).toISOString()}.`);
        if (await waitUntil(() => state.verification.verified, Math.max(capped.retryAfterMs, 1000))) break;
        await checkpoint();
        capped = await sendVerificationCode(startHeld);
      }
      await waitUntil(() => state.verification.verified);
    }

    if (state.sandbox.successfulSends < state.sandbox.required) {
      await enter('sandbox', undefined, [`Send ${state.sandbox.required} successful test messages to Twilio magic numbers (POST /v1/sandbox/messages).`]);
      await waitUntil(() => state.sandbox.successfulSends >= state.sandbox.required);
    }

    await enter('review');
    await reviewedByPerson('onboarding_review', `Onboarding review for ${input.businessName}`, { kyc: state.kyc, sandboxSends: state.sandbox.successfulSends, reasons: state.reasons });

    await enter('provisioning');
    state.subaccountSid = (await persevere('provisionSubaccount', (a) => a.provisionSubaccount(tenantId))).subaccountSid;
    await checkpoint();

    await enter('number');
    for (;;) {
      try {
        state.phoneNumber = (await persevere('grantPhoneNumber', (a) => a.grantPhoneNumber({ tenantId, areaCode: chosenAreaCode }), noNumbersAnswer)).phoneNumber;
        break;
      } catch (err) {
        const failure = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
        if (!failure || !noNumbersAnswer(failure)) throw err;
        chosenAreaCode = undefined;
        needs(`${failure.message}. Choose another area code (POST /v1/tenants/${tenantId}/number-preference).`);
        await waitUntil(() => chosenAreaCode !== undefined);
        needs();
      }
    }

    await enter('active');
    needs();
    // The monitor outlives this workflow: it watches the tenant for as long as it sends.
    if (patched('start-tenant-monitor')) {
      try {
        await startChild(tenantMonitor, {
          ...startMonitorOptions({ id: tenantId, businessName: input.businessName }, timings.monitorIntervalMs ?? 15 * 60_000),
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }
  };

  for (;;) {
    try {
      await onboard();
      break;
    } catch (err) {
      if (!(err instanceof Rejection)) throw err;
      staffRejection = undefined;
      awaitingDecision = false;
      decision = undefined;
      state.review = undefined;
      state.reasons = err.reasons;
      // Cleared before the step shows as rejected: a resubmission that arrives while the step
      // is being recorded must not be forgotten.
      kycResubmitted = false;
      await enter('rejected', err.message, [`Address the reasons and resubmit your KYC details (POST /v1/tenants/${tenantId}/kyc).`]);
      await condition(() => kycResubmitted);
      attempt += 1;
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof tenantLifecycle>({
          ...input,
          carried: { history: state.history, attempt, verified: state.verification.verified, successfulSandboxSends: state.sandbox.successfulSends },
        });
      }
    }
  }
  await condition(allHandlersFinished);
  return state;
}
