import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CarrierRegistrationActivities } from '../../src/activities/carrier-registration';
import {
  registrationOtpAnsweredUpdate,
  registrationStateQuery,
  resendRegistrationOtpUpdate,
  resubmitRegistrationUpdate,
  RegistrationRefusal,
  startRegistrationOptions,
  type CarrierRegistrationInput,
  type CarrierRegistrationState,
  type RegistrationPhase,
  type SubmissionKind,
  type SubmissionVerdict,
} from '../../src/workflows/carrier-registration/definitions';
import { registeredThroughput } from '../../src/domain/registered-throughput';
import { carrierRegistration } from '../../src/workflows/carrier-registration/workflow';
import { RegistrationStateAttribute } from '../../src/workflows/search-attributes';
import { eventually, workflowLogicHarness } from '../support/workflow-logic';

type Outcome = SubmissionVerdict['outcome'];
type Script = Partial<Record<SubmissionKind, Array<Partial<SubmissionVerdict> & { outcome: Outcome }>>>;

/**
 * Scripted activities: each submission's verdicts in order (the last repeats), every call
 * counted, and refusals where a test asks for them.
 */
function scripted(script: Script, refusals: { campaignCreate?: number; correction?: (c: unknown) => boolean } = {}) {
  const calls: string[] = [];
  const read: Record<string, number> = {};
  let campaignRefusals = refusals.campaignCreate ?? 0;
  const ok = (name: string) => async () => {
    calls.push(name);
    return { sid: `${name}-sid`, status: 'submitted' };
  };
  const activities: CarrierRegistrationActivities = {
    ensureCustomerProfile: ok('ensureCustomerProfile'),
    ensureTrustProduct: ok('ensureTrustProduct'),
    ensureBrandRegistration: ok('ensureBrandRegistration'),
    ensureMessagingService: ok('ensureMessagingService'),
    ensureA2pCampaign: async () => {
      calls.push('ensureA2pCampaign');
      if (campaignRefusals-- > 0)
        throw ApplicationFailure.nonRetryable('blocked', RegistrationRefusal.SampleBlocked, { description: 'sample 1: firearms sales' });
      return { sid: 'QE1', status: 'IN_PROGRESS' };
    },
    ensureTollfreeVerification: ok('ensureTollfreeVerification'),
    resendBrandOtp: async () => void calls.push('resendBrandOtp'),
    readRegistrationStatus: async ({ kind }) => {
      const list = script[kind] ?? [{ outcome: 'approved' }];
      const i = (read[kind] = (read[kind] ?? -1) + 1);
      const v = list[Math.min(i, list.length - 1)];
      return { kind, sid: `${kind}-sid`, twilioStatus: v.outcome.toUpperCase(), reasons: [], correctable: true, ...v };
    },
    applyRegistrationCorrection: async ({ correction }) => {
      calls.push('applyRegistrationCorrection');
      if (refusals.correction?.(correction))
        throw ApplicationFailure.nonRetryable('blocked', RegistrationRefusal.SampleBlocked, { description: 'sample 2: blocked' });
    },
    resubmitRegistration: async ({ kind }) => {
      calls.push(`resubmit:${kind}`);
      return { status: 'PENDING' };
    },
    recordRegistrationPhase: async () => undefined,
    applyRegistrationThroughput: async ({ rateLimits }) => {
      calls.push('applyRegistrationThroughput');
      return { ...registeredThroughput({ kind: '10dlc', rateLimits }), senders: [] };
    },
  };
  return { activities, calls };
}

const timings = { pollInitialMs: 100, pollMaxMs: 400, giveUpAfterMs: 60_000, activityTimeoutMs: 5_000 };

async function start(h: Awaited<ReturnType<typeof workflowLogicHarness>>, input: Partial<CarrierRegistrationInput> = {}) {
  const options = startRegistrationOptions({ tenantId: randomUUID(), kind: '10dlc', brandType: 'STANDARD', timings, ...input }, h.taskQueue);
  return h.client.workflow.start(carrierRegistration, options);
}
const stateOf = (handle: WorkflowHandle) => handle.query(registrationStateQuery);
const atPhase = (handle: WorkflowHandle, phase: RegistrationPhase) =>
  eventually(async () => ((await stateOf(handle)).phase === phase ? stateOf(handle) : undefined), { describe: `registration at ${phase}` });
async function refusalType(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? (err.cause.type ?? undefined) : String(err);
  }
}

describe('carrierRegistration workflow logic', () => {
  it('registers a 10DLC brand; a failed brand shows Twilio’s reasons, refuses bad corrections before sending, and resubmits a good one', async () => {
    const reason = { code: 30799, description: 'legal company name does not match the EIN' };
    const { activities, calls } = scripted({
      customerProfile: [{ outcome: 'pending' }, { outcome: 'approved' }],
      brand: [{ outcome: 'pending' }, { outcome: 'failed', reasons: [reason] }, { outcome: 'pending' }, { outcome: 'approved' }],
      campaign: [{ outcome: 'pending' }, { outcome: 'approved', rateLimits: { att: { mps: 75 } } }],
    });
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await start(h);
      expect(await refusalType(handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: '123456789' } }] }))).toBe('NotInStep');
      const failed = await atPhase(handle, 'brand_failed');
      expect(failed.reasons).toEqual([reason]);
      expect((await handle.describe()).typedSearchAttributes.get(RegistrationStateAttribute)).toBe('brand_failed');
      // Refused by the validator: nothing reaches an activity.
      expect(await refusalType(handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: '12-34' } }] }))).toBe('InvalidInput');
      expect(
        await refusalType(
          handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ campaign: { description: 'A new description that is long enough to pass.' } }] }),
        ),
      ).toBe('InvalidInput');
      expect(calls).not.toContain('applyRegistrationCorrection');
      await handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: '12-3456789', legalName: 'Acme Dental LLC' } }] });
      const done = await handle.result();
      expect(done).toMatchObject({ phase: 'approved', reasons: [], rateLimits: { att: { mps: 75 } } });
      expect(done.history.map((e) => e.phase)).toEqual(['profile_review', 'brand_review', 'brand_failed', 'brand_review', 'campaign_review', 'approved']);
      expect(calls).toEqual([
        'ensureCustomerProfile',
        'ensureTrustProduct',
        'ensureBrandRegistration',
        'applyRegistrationCorrection',
        'ensureCustomerProfile',
        'ensureTrustProduct',
        'resubmit:brand',
        'ensureMessagingService',
        'ensureA2pCampaign',
        'applyRegistrationThroughput',
      ]);
      expect(done.throughput).toEqual({ throughputClass: 'UNKNOWN', mps: 75, dailyCap: 2_000 });
      expect((await handle.describe()).typedSearchAttributes.get(RegistrationStateAttribute)).toBe('approved');
    } finally {
      await h.close();
    }
  });

  it('refuses a campaign whose sample the compliance judgement blocks, and a correction still blocked, until a clean one', async () => {
    const { activities, calls } = scripted({}, { campaignCreate: 1, correction: (c) => JSON.stringify(c).includes('guns') });
    const h = await workflowLogicHarness(activities);
    try {
      const handle = await start(h);
      const failed = await atPhase(handle, 'campaign_failed');
      expect(failed.reasons).toEqual([{ description: 'sample 1: firearms sales' }]);
      const samples = (second: string) => ({ campaign: { samples: ['Acme: your appointment is tomorrow at 10. Reply STOP to stop.', second] } });
      expect(
        await refusalType(handle.executeUpdate(resubmitRegistrationUpdate, { args: [samples('Acme: cheap guns, no questions asked. Reply STOP to stop.')] })),
      ).toBe('ContentBlocked');
      expect((await stateOf(handle)).phase).toBe('campaign_failed');
      await handle.executeUpdate(resubmitRegistrationUpdate, { args: [samples('Acme: your order has shipped today. Reply STOP to stop.')] });
      expect((await handle.result()).phase).toBe('approved');
      // Nothing was created before the refusal, so the corrected campaign is created, not edited.
      expect(calls.filter((c) => c === 'ensureA2pCampaign')).toHaveLength(2);
      expect(calls).not.toContain('resubmit:campaign');
    } finally {
      await h.close();
    }
  });

  it('waits for a sole proprietor’s OTP; the owner’s Update reads the brand at once', async () => {
    const { activities, calls } = scripted({ brand: [{ outcome: 'awaiting_otp' }, { outcome: 'approved' }] });
    const h = await workflowLogicHarness(activities);
    try {
      // Polls an hour apart: only the Update can move it on within the test.
      const handle = await start(h, { brandType: 'SOLE_PROPRIETOR', timings: { ...timings, pollInitialMs: 3_600_000, pollMaxMs: 3_600_000 } });
      expect(await refusalType(handle.executeUpdate(registrationOtpAnsweredUpdate))).toBe('NotInStep');
      await atPhase(handle, 'brand_otp');
      expect(await refusalType(handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { mobile: '+14155550123' } }] }))).toBe('NotInStep');
      await handle.executeUpdate(resendRegistrationOtpUpdate);
      expect(calls).toContain('resendBrandOtp');
      await handle.executeUpdate(registrationOtpAnsweredUpdate);
      expect((await handle.result()).phase).toBe('approved');
    } finally {
      await h.close();
    }
  });

  it('ends rejected on a toll-free rejection Twilio does not let be edited, and timed out when Twilio never decides', async () => {
    const final = { code: 30464, description: 'Disallowed: Cryptocurrency' };
    const { activities } = scripted({ tollfree: [{ outcome: 'pending' }, { outcome: 'failed', correctable: false, reasons: [final] }] });
    const h = await workflowLogicHarness(activities);
    try {
      const rejected: CarrierRegistrationState = await (await start(h, { kind: 'tollfree', brandType: undefined })).result();
      expect(rejected).toMatchObject({ phase: 'rejected', reasons: [final] });
    } finally {
      await h.close();
    }
    const never = scripted({ customerProfile: [{ outcome: 'pending' }] });
    const h2 = await workflowLogicHarness(never.activities);
    try {
      const timedOut = await (await start(h2, { timings: { ...timings, giveUpAfterMs: 1_000 } })).result();
      expect(timedOut.phase).toBe('timed_out');
      expect(timedOut.reasons[0].description).toContain('customerProfile');
    } finally {
      await h2.close();
    }
  });
});
