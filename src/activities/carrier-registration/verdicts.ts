import type { ActivityDeps } from '../deps';
import { mergeRegistrationDetails, recordRegistrationState, recordSubmissionStatus, registrationOf } from '../../db/carrier-registrations';
import type {
  RegistrationCorrection,
  RegistrationPhase,
  RegistrationReason,
  SubmissionKind,
  SubmissionVerdict,
} from '../../workflows/carrier-registration/definitions';
import { embeddedFlags } from '../../domain/a2p-campaign';
import { judgedCampaignText } from './campaign-text';
import { tollfreeFields } from './tollfree';
import { callRegistration, registrationContext, required, type RegistrationContext } from './shared';

/** Twilio's `errors` entries (error_code, description) as reasons. */
const reasonsOf = (errors: unknown): RegistrationReason[] =>
  (Array.isArray(errors) ? errors : []).map((e: { error_code?: number; description?: string }) => ({
    code: e.error_code,
    description: e.description ?? `Twilio error ${e.error_code ?? ''}`.trim(),
  }));

type Verdict = Omit<SubmissionVerdict, 'kind' | 'sid'>;

async function read(ctx: RegistrationContext, kind: SubmissionKind, sid: string): Promise<Verdict> {
  const { client } = ctx;
  if (kind === 'customerProfile' || kind === 'trustProduct') {
    const b: { status: string; errors: unknown } =
      kind === 'customerProfile'
        ? await callRegistration('fetch customer profile', () => client.trusthub.v1.customerProfiles(sid).fetch())
        : await callRegistration('fetch trust product', () => client.trusthub.v1.trustProducts(sid).fetch());
    const outcome = b.status === 'twilio-approved' ? 'approved' : b.status === 'twilio-rejected' ? 'failed' : 'pending';
    return { outcome, twilioStatus: b.status, reasons: reasonsOf(b.errors), correctable: true };
  }
  if (kind === 'brand') {
    const b = await callRegistration('fetch brand', () => client.messaging.v1.brandRegistrations(sid).fetch());
    const unconfirmed = b.brandType === 'SOLE_PROPRIETOR' && b.identityStatus !== 'VERIFIED';
    const outcome = b.status === 'FAILED' ? 'failed' : b.status !== 'APPROVED' ? 'pending' : unconfirmed ? 'awaiting_otp' : 'approved';
    return {
      outcome,
      twilioStatus: unconfirmed && b.status === 'APPROVED' ? `APPROVED/${b.identityStatus ?? 'UNVERIFIED'}` : b.status,
      reasons: reasonsOf(b.errors),
      correctable: true,
    };
  }
  if (kind === 'campaign') {
    const service = required(ctx.registration.sids.messagingService, 'a Messaging Service');
    const c = await callRegistration('fetch campaign', () => client.messaging.v1.services(service).usAppToPerson(sid).fetch());
    const outcome = c.campaignStatus === 'VERIFIED' ? 'approved' : c.campaignStatus === 'FAILED' ? 'failed' : 'pending';
    return {
      outcome,
      twilioStatus: c.campaignStatus,
      reasons: reasonsOf(c.errors),
      correctable: true,
      ...(outcome === 'approved' && c.rateLimits ? { rateLimits: c.rateLimits as Record<string, unknown> } : {}),
    };
  }
  const v = await callRegistration('fetch verification', () => client.messaging.v1.tollfreeVerifications(sid).fetch());
  const outcome = v.status === 'TWILIO_APPROVED' ? 'approved' : v.status === 'TWILIO_REJECTED' ? 'failed' : 'pending';
  const reasons = outcome === 'failed' ? [{ code: v.errorCode ?? undefined, description: v.rejectionReason ?? 'Rejected' }] : [];
  return { outcome, twilioStatus: v.status, reasons, correctable: outcome !== 'failed' || v.editAllowed === true };
}

const SID_OF: Record<SubmissionKind, 'customerProfile' | 'trustProduct' | 'brand' | 'campaign' | 'tollfree'> = {
  customerProfile: 'customerProfile',
  trustProduct: 'trustProduct',
  brand: 'brand',
  campaign: 'campaign',
  tollfree: 'tollfree',
};

/** Reading Twilio's verdicts, resubmitting after a correction, and the registration's state for staff. */
export function createVerdictActivities(deps: ActivityDeps) {
  return {
    /** Twilio's word on one submission now (the workflow polls this), recorded for staff. */
    async readRegistrationStatus(input: { tenantId: string; kind: SubmissionKind }): Promise<SubmissionVerdict> {
      const ctx = await registrationContext(deps, input.tenantId);
      const sid = required(ctx.registration.sids[SID_OF[input.kind]], `a ${input.kind} submitted first`);
      const verdict = await read(ctx, input.kind, sid);
      if (ctx.registration.statuses[input.kind] !== verdict.twilioStatus)
        await recordSubmissionStatus(deps.db, input.tenantId, input.kind, verdict.twilioStatus);
      return { kind: input.kind, sid, ...verdict };
    },

    /**
     * The stored details with a correction merged in. Campaign text is judged first: a sample
     * the compliance engine blocks refuses the correction and nothing is stored.
     */
    async applyRegistrationCorrection(input: { tenantId: string; correction: RegistrationCorrection }): Promise<void> {
      const ctx = await registrationContext(deps, input.tenantId);
      const { business, campaign } = ctx.registration.details;
      const details = { business: { ...business, ...input.correction.business }, campaign: { ...campaign, ...input.correction.campaign } };
      judgedCampaignText({ ...ctx, registration: { ...ctx.registration, details } });
      await mergeRegistrationDetails(deps.db, input.tenantId, details);
    },

    /** A failed brand, campaign or toll-free verification sent for review again with the stored (corrected) details. */
    async resubmitRegistration(input: { tenantId: string; kind: 'brand' | 'campaign' | 'tollfree' }): Promise<{ status: string }> {
      const ctx = await registrationContext(deps, input.tenantId);
      const { client, registration } = ctx;
      let status: string;
      if (input.kind === 'brand') {
        const sid = required(registration.sids.brand, 'a brand');
        status = (await callRegistration('resubmit brand', () => client.messaging.v1.brandRegistrations(sid).update())).status;
      } else if (input.kind === 'campaign') {
        const sid = required(registration.sids.campaign, 'a campaign');
        const text = judgedCampaignText(ctx);
        const service = required(registration.sids.messagingService, 'a Messaging Service');
        const edited = await callRegistration('edit campaign', () =>
          client.messaging.v1
            .services(service)
            .usAppToPerson(sid)
            .update({
              description: text.description,
              messageFlow: text.messageFlow,
              messageSamples: text.samples,
              ...embeddedFlags(text.samples),
              ageGated: false,
              directLending: false,
            }),
        );
        status = edited.campaignStatus;
      } else {
        const sid = required(registration.sids.tollfree, 'a toll-free verification');
        status = (await callRegistration('edit verification', () => client.messaging.v1.tollfreeVerifications(sid).update(tollfreeFields(ctx)))).status;
      }
      await recordSubmissionStatus(deps.db, input.tenantId, input.kind, status);
      return { status };
    },

    /** The workflow's phase and reasons, mirrored for staff listings. */
    async recordRegistrationPhase(input: { tenantId: string; phase: RegistrationPhase; reasons: RegistrationReason[] }): Promise<void> {
      if (await registrationOf(deps.db, input.tenantId)) await recordRegistrationState(deps.db, input.tenantId, input.phase, input.reasons);
    },
  };
}
