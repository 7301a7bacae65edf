import type { CarrierRegistrationActivities } from '../../src/activities/carrier-registration';
import type { BrandType, RegistrationKind, RegistrationPhase, SubmissionKind, SubmissionVerdict } from '../../src/workflows/carrier-registration/definitions';

/** Twilio's verdicts on each submission, in order (the last one repeats); unscripted kinds are approved at once. */
export type VerdictScript = Partial<Record<SubmissionKind, Array<Partial<SubmissionVerdict> & { outcome: SubmissionVerdict['outcome'] }>>>;

/**
 * The carrier registration as the lifecycle's workflow-logic tests see it: the tenant's stored
 * plan (null: no details given yet) and the carrierRegistration child's activities, scripted.
 * Tests change `registration.plan` and `registration.verdicts` as they go.
 */
export function registrationFakes() {
  const registration = {
    plan: { kind: '10dlc', brandType: 'STANDARD' } as { kind: RegistrationKind; brandType?: BrandType } | null,
    verdicts: {} as VerdictScript,
    calls: [] as string[],
    read: {} as Partial<Record<SubmissionKind, number>>,
    /** What PostgreSQL records of a registration the lifecycle did not start (null: nothing). */
    standing: null as { kind: RegistrationKind; phase: RegistrationPhase; reasons: [] } | null,
  };
  const made = (name: string) => async () => {
    registration.calls.push(name);
    return { sid: `${name}-sid`, status: 'submitted' };
  };
  const child: Omit<CarrierRegistrationActivities, 'applyRegistrationThroughput'> = {
    ensureCustomerProfile: made('ensureCustomerProfile'),
    ensureTrustProduct: made('ensureTrustProduct'),
    ensureBrandRegistration: made('ensureBrandRegistration'),
    ensureMessagingService: made('ensureMessagingService'),
    ensureA2pCampaign: made('ensureA2pCampaign'),
    ensureTollfreeVerification: made('ensureTollfreeVerification'),
    resendBrandOtp: async () => undefined,
    readRegistrationStatus: async ({ kind }) => {
      const list = registration.verdicts[kind] ?? [{ outcome: 'approved' }];
      const i = (registration.read[kind] = (registration.read[kind] ?? -1) + 1);
      const v = list[Math.min(i, list.length - 1)];
      return { kind, sid: `${kind}-sid`, twilioStatus: v.outcome.toUpperCase(), reasons: [], correctable: true, ...v };
    },
    applyRegistrationCorrection: async () => void registration.calls.push('applyRegistrationCorrection'),
    resubmitRegistration: async ({ kind }) => {
      registration.calls.push(`resubmit:${kind}`);
      return { status: 'PENDING' };
    },
    recordRegistrationPhase: async () => undefined,
  };
  const activities = {
    ...child,
    // The registered class at approval (issue 14 item 2), where the workflow applies it.
    applyRegistrationThroughput: async () => ({ throughputClass: 'TOP', mps: 75, dailyCap: 200_000, senders: [] }),
    registrationPlan: async () => registration.plan,
    registrationStanding: async () => registration.standing,
  };
  return { activities, registration };
}
