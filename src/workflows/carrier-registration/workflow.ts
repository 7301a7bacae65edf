import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CarrierRegistrationActivities } from '../../activities/carrier-registration';
import { registrationCorrectionProblem } from '../../domain/registration-correction';
import { RegistrationStateAttribute } from '../search-attributes';
import { Refusal, RETRY_UNTIL_IT_PASSES } from '../shared-definitions';
import { refuse } from '../staff-decision-updates';
import {
  isRegistrationRefusal,
  MAX_VERDICT_WAIT_MS,
  REGISTRATION_THROUGHPUT_PATCH,
  registrationOtpAnsweredUpdate,
  registrationStateQuery,
  registrationStatusChangedSignal,
  resendRegistrationOtpUpdate,
  resubmitRegistrationUpdate,
  type CarrierRegistrationInput,
  type CarrierRegistrationState,
  type CorrectableStep,
  type RegistrationCorrection,
  type RegistrationPhase,
  type RegistrationReason,
  type SubmissionKind,
  type SubmissionVerdict,
} from './definitions';

/** The registration ends here: rejected for good, or Twilio never decided. */
class Final extends Error {
  constructor(
    readonly phase: 'rejected' | 'timed_out',
    readonly reasons: RegistrationReason[],
  ) {
    super(phase);
  }
}

const FAILED_PHASE: Record<CorrectableStep, RegistrationPhase> = {
  profile: 'profile_failed',
  brand: 'brand_failed',
  campaign: 'campaign_failed',
  tollfree: 'tollfree_failed',
};
const failedStepOf = (phase: RegistrationPhase) => (Object.keys(FAILED_PHASE) as CorrectableStep[]).find((s) => FAILED_PHASE[s] === phase);

/** The refusal an activity answered with (Twilio 4xx, a blocked sample), or undefined when it went through. */
async function refusalOf(call: () => Promise<unknown>): Promise<RegistrationReason | undefined> {
  try {
    await call();
    return undefined;
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (!(cause instanceof ApplicationFailure) || !isRegistrationRefusal(cause.type)) throw err;
    const details = (cause.details?.[0] ?? {}) as { code?: number; description?: string };
    return { code: details.code, description: details.description ?? cause.message };
  }
}

/**
 * One tenant's carrier registration (issue 14): 10DLC (customer profile and A2P trust
 * product, brand, Messaging Service and campaign) or toll-free verification. Each submission
 * waits for Twilio's verdict by polling with backoff on timers (up to 30 days); a failure
 * shows Twilio's reasons and waits for a correction (the `resubmitRegistration` Update); a
 * sole proprietor's brand waits for its owner's OTP answer.
 */
export async function carrierRegistration(input: CarrierRegistrationInput): Promise<CarrierRegistrationState> {
  const { tenantId, timings } = input;
  const acts = proxyActivities<CarrierRegistrationActivities>({ startToCloseTimeout: timings.activityTimeoutMs, retry: RETRY_UNTIL_IT_PASSES });
  const state: CarrierRegistrationState = {
    tenantId,
    kind: input.kind,
    ...(input.brandType ? { brandType: input.brandType } : {}),
    phase: 'starting',
    submissions: {},
    reasons: [],
    openRequirements: [],
    history: [],
  };
  let correction: RegistrationCorrection | undefined;
  /** Bumped when the owner says the OTP was answered or Twilio posts a status change: the poll reads now. */
  let pokes = 0;

  setHandler(registrationStateQuery, () => state);
  setHandler(
    resubmitRegistrationUpdate,
    async (sent) => {
      const refused = await refusalOf(() => acts.applyRegistrationCorrection({ tenantId, correction: sent }));
      if (refused) throw refuse(Refusal.ContentBlocked, refused.description);
      correction = sent;
      return state;
    },
    {
      validator: (sent) => {
        const step = failedStepOf(state.phase);
        if (!step || correction) throw refuse(Refusal.NotInStep, `the registration is at ${state.phase}: nothing to correct`);
        const problem = registrationCorrectionProblem(sent, step);
        if (problem) throw refuse(Refusal.InvalidInput, problem);
      },
    },
  );
  // Polling finds every verdict; a status callback only makes it sooner. A signal adds no command, so older histories replay.
  setHandler(registrationStatusChangedSignal, () => {
    pokes += 1;
  });
  const atOtp = () => {
    if (state.phase !== 'brand_otp') throw refuse(Refusal.NotInStep, `the registration is at ${state.phase}, not waiting for an OTP`);
  };
  setHandler(
    registrationOtpAnsweredUpdate,
    () => {
      pokes += 1;
      return state;
    },
    { validator: atOtp },
  );
  setHandler(
    resendRegistrationOtpUpdate,
    async () => {
      await acts.resendBrandOtp(tenantId);
      return state;
    },
    { validator: atOtp },
  );

  async function enter(phase: RegistrationPhase, reasons: RegistrationReason[] = [], requirements: string[] = []) {
    if (state.phase === phase && JSON.stringify(state.reasons) === JSON.stringify(reasons)) return;
    state.phase = phase;
    state.reasons = reasons;
    state.openRequirements = requirements;
    state.history.push({ phase, at: new Date().toISOString(), ...(reasons.length ? { note: reasons.map((r) => r.description).join(' ') } : {}) });
    if (workflowInfo().typedSearchAttributes.get(RegistrationStateAttribute) !== phase)
      upsertSearchAttributes([{ key: RegistrationStateAttribute, value: phase }]);
    await acts.recordRegistrationPhase({ tenantId, phase, reasons });
  }

  /** Reads one submission until Twilio decides it, waiting longer each time (to pollMaxMs). */
  async function verdictOf(kind: SubmissionKind, review: RegistrationPhase): Promise<SubmissionVerdict> {
    const deadline = Date.now() + Math.min(timings.giveUpAfterMs, MAX_VERDICT_WAIT_MS);
    let wait = timings.pollInitialMs;
    for (;;) {
      // Taken before the read: an OTP answer that arrives while Twilio is asked is not lost.
      const seen = pokes;
      const verdict = await acts.readRegistrationStatus({ tenantId, kind });
      state.submissions[kind] = { sid: verdict.sid, outcome: verdict.outcome, twilioStatus: verdict.twilioStatus };
      if (verdict.outcome === 'approved' || verdict.outcome === 'failed') return verdict;
      if (verdict.outcome === 'awaiting_otp')
        await enter('brand_otp', verdict.reasons, ['The owner answers the text Twilio sent to their mobile with YES (resendRegistrationOtp sends it again).']);
      else await enter(review);
      if (Date.now() >= deadline)
        throw new Final('timed_out', [
          { description: `Twilio had not decided the ${kind} (${verdict.twilioStatus}) in ${Math.round(timings.giveUpAfterMs / 1000)} s.` },
        ]);
      await condition(() => pokes !== seen, Math.max(1, Math.min(wait, deadline - Date.now())));
      wait = Math.min(wait * 2, timings.pollMaxMs);
    }
  }

  /**
   * A step: submitted, its verdicts awaited; a refusal or a failure shows its reasons and
   * waits for a correction, then resubmits. Returns when every submission is approved.
   */
  async function step(
    name: CorrectableStep,
    review: RegistrationPhase,
    kinds: SubmissionKind[],
    submit: () => Promise<unknown>,
    resubmit: () => Promise<unknown>,
  ) {
    let submitted = false;
    for (;;) {
      let reasons: RegistrationReason[] | undefined;
      const refused = await refusalOf(submitted ? resubmit : submit);
      if (refused) reasons = [refused];
      else {
        submitted = true;
        await enter(review);
        for (const kind of kinds) {
          const verdict = await verdictOf(kind, review);
          if (verdict.outcome === 'approved') {
            if (verdict.rateLimits) state.rateLimits = verdict.rateLimits;
            continue;
          }
          if (!verdict.correctable) throw new Final('rejected', verdict.reasons);
          reasons = verdict.reasons;
          break;
        }
        if (!reasons) return;
      }
      correction = undefined;
      await enter(FAILED_PHASE[name], reasons, [`Correct the ${name} and resubmit (the resubmitRegistration Update).`]);
      await condition(() => correction !== undefined);
    }
  }

  try {
    if (input.kind === 'tollfree') {
      const tollfree = () => acts.ensureTollfreeVerification(tenantId);
      await step('tollfree', 'tollfree_review', ['tollfree'], tollfree, () => acts.resubmitRegistration({ tenantId, kind: 'tollfree' }));
    } else {
      const bundles = async () => {
        await acts.ensureCustomerProfile(tenantId);
        await acts.ensureTrustProduct(tenantId);
      };
      await step('profile', 'profile_review', ['customerProfile', 'trustProduct'], bundles, bundles);
      await step(
        'brand',
        'brand_review',
        ['brand'],
        () => acts.ensureBrandRegistration(tenantId),
        async () => {
          await bundles();
          await acts.resubmitRegistration({ tenantId, kind: 'brand' });
        },
      );
      const campaign = async () => {
        await acts.ensureMessagingService(tenantId);
        await acts.ensureA2pCampaign(tenantId);
      };
      await step('campaign', 'campaign_review', ['campaign'], campaign, () => acts.resubmitRegistration({ tenantId, kind: 'campaign' }));
    }
    // Approved means the sender's limits already follow the registered class.
    if (patched(REGISTRATION_THROUGHPUT_PATCH)) {
      const { throughputClass, mps, dailyCap } = await acts.applyRegistrationThroughput({ tenantId, rateLimits: state.rateLimits });
      state.throughput = { throughputClass, mps, dailyCap };
    }
    await enter('approved');
  } catch (err) {
    if (!(err instanceof Final)) throw err;
    await enter(err.phase, err.reasons, err.phase === 'timed_out' ? ['Staff: check the submission at Twilio and start the registration again.'] : []);
  }
  await condition(allHandlersFinished);
  return state;
}
