import { registrationOf } from '../../src/db/carrier-registrations';
import { tenantSubaccount } from '../../src/db/tenant-credentials';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { resubmitRegistrationUpdate } from '../../src/workflows/carrier-registration/definitions';
import { RegistrationStateAttribute } from '../../src/workflows/search-attributes';
import { recordHistoryIfAsked } from '../support/histories';
import { platformHarness, type PlatformHarness } from '../support/platform';
import { registeringTenant, registrationCounts, registrationKyc } from '../support/registering-tenant';
import { ONE_10DLC_REGISTRATION } from '../support/registration';

/**
 * Carrier registration end to end (issue 14): the real worker runs carrierRegistration
 * against the sandbox's Trust Hub, brands, campaigns and toll-free verification, on this
 * run's Temporal and PostgreSQL. Reviews take half a second; the workflow polls every
 * 200 ms to 1 s.
 */
describe('carrier registration against the sandbox', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ sandbox: { vettingMs: 500 } });
  });
  afterAll(() => p.close());

  const counts = (accountSid: string) => registrationCounts(p, accountSid);

  it('takes a standard 10DLC tenant to a VERIFIED campaign, one of each resource, the number in the Service', async () => {
    const { tenant, handle } = await registeringTenant(p, { kind: '10dlc', brandType: 'STANDARD', ein: '12-3456789' });
    const done = await handle.result();
    expect(done).toMatchObject({ phase: 'approved', reasons: [], rateLimits: { att: { mps: 75, msg_class: 'A' }, tmobile: { brand_tier: 'TOP' } } });
    expect(done.history.map((e) => e.phase)).toEqual(['profile_review', 'brand_review', 'campaign_review', 'approved']);
    expect((await handle.describe()).typedSearchAttributes.get(RegistrationStateAttribute)).toBe('approved');

    const stored = (await registrationOf(p.api.db, tenant.id))!;
    expect(stored).toMatchObject({
      state: 'approved',
      statuses: { customerProfile: 'twilio-approved', trustProduct: 'twilio-approved', brand: 'APPROVED', campaign: 'VERIFIED' },
    });
    const accountSid = (await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    expect(await counts(accountSid)).toEqual(ONE_10DLC_REGISTRATION);
    const client = (await tenantSubaccount(p.api.db, createTwilioClientFactory(p.config), tenant.id))!.client();
    const service = await client.messaging.v1.services(stored.sids.messagingService!).fetch();
    expect(service).toMatchObject({
      inboundRequestUrl: `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`,
      statusCallback: `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/status`,
      usAppToPersonRegistered: true,
    });
    expect((await client.messaging.v1.services(service.sid).phoneNumbers.list()).map((n) => n.phoneNumber)).toEqual([tenant.from]);
    await recordHistoryIfAsked(p.api.temporal, handle.workflowId, 'approved');
  });

  it('shows a failed brand’s reasons, refuses a malformed correction, and approves the corrected resubmission', async () => {
    const { tenant, handle, atPhase } = await registeringTenant(p, { kind: '10dlc', brandType: 'STANDARD', ein: '000000001' });
    const failed = await atPhase('brand_failed', 90_000);
    expect(failed.reasons).toEqual([expect.objectContaining({ code: 30799 })]);
    await expect(handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: 'not an EIN' } }] })).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringMatching(/9 digits/) },
    });
    await handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: '12-3456789' } }] });
    const done = await handle.result();
    expect(done.phase).toBe('approved');
    expect(done.history.map((e) => e.phase)).toEqual(['profile_review', 'brand_review', 'brand_failed', 'brand_review', 'campaign_review', 'approved']);
    const stored = (await registrationOf(p.api.db, tenant.id))!;
    expect(stored.details.business.ein).toBe('12-3456789');
    const subaccount = (await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    expect(await counts(subaccount)).toMatchObject({ customerProfiles: 1, trustProducts: 1, endUsers: 3, brands: 1, messagingServices: 1, campaigns: 1 });
    await recordHistoryIfAsked(p.api.temporal, handle.workflowId, 'brand-failed-resubmitted');
  });

  it('verifies a toll-free number; a rejection that may be edited is corrected and approved', async () => {
    const { tenant, handle, atPhase } = await registeringTenant(p, {
      kind: 'tollfree',
      ein: '12-3456789',
      kyc: registrationKyc('Appointment reminders for patients who booked online. sandbox-reject-30513'),
    });
    const rejected = await atPhase('tollfree_failed', 90_000);
    expect(rejected.reasons).toEqual([expect.objectContaining({ code: 30513 })]);
    await handle.executeUpdate(resubmitRegistrationUpdate, {
      args: [{ campaign: { description: 'Appointment reminders for patients who ticked an unticked SMS box when booking online.' } }],
    });
    expect((await handle.result()).phase).toBe('approved');
    const subaccount = (await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    expect(await counts(subaccount)).toMatchObject({ tollfreeVerifications: 1, brands: 0, customerProfiles: 0 });
    await recordHistoryIfAsked(p.api.temporal, handle.workflowId, 'tollfree-rejected-edited');
  });

  it('shows a rejected customer profile, and approves it once the corrected EIN is resubmitted', async () => {
    const { tenant, handle, atPhase } = await registeringTenant(p, { kind: '10dlc', brandType: 'STANDARD', ein: '000000005' });
    const failed = await atPhase('profile_failed', 90_000);
    expect(failed.reasons.length).toBeGreaterThan(0);
    await handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: '12-3456789' } }] });
    const done = await handle.result();
    expect(done.phase).toBe('approved');
    expect(done.history.map((e) => e.phase).slice(0, 3)).toEqual(['profile_review', 'profile_failed', 'profile_review']);
    const subaccount = (await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    expect(await counts(subaccount)).toMatchObject({ customerProfiles: 1, trustProducts: 1, brands: 1, campaigns: 1 });
  });

  it("shows a failed A2P campaign with Twilio's code, and verifies it after the description is corrected", async () => {
    const { tenant, handle, atPhase } = await registeringTenant(p, {
      kind: '10dlc',
      brandType: 'STANDARD',
      ein: '12-3456789',
      kyc: registrationKyc('Appointment reminders and account notices for patients who booked online. sandbox-reject-30886'),
    });
    const failed = await atPhase('campaign_failed', 90_000);
    expect(failed.reasons).toEqual([expect.objectContaining({ code: 30886 })]);
    await expect(handle.executeUpdate(resubmitRegistrationUpdate, { args: [{ business: { ein: '98-7654321' } }] })).rejects.toMatchObject({
      cause: { type: 'InvalidInput' },
    });
    await handle.executeUpdate(resubmitRegistrationUpdate, {
      args: [{ campaign: { description: 'Appointment reminders and account notices for patients who booked online and ticked the SMS box.' } }],
    });
    const done = await handle.result();
    expect(done.phase).toBe('approved');
    expect(done.history.map((e) => e.phase)).toEqual(['profile_review', 'brand_review', 'campaign_review', 'campaign_failed', 'campaign_review', 'approved']);
    const subaccount = (await p.api.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>()).subaccount_sid;
    expect(await counts(subaccount)).toMatchObject({ brands: 1, messagingServices: 1, campaigns: 1 });
  });

  it('reads a Trust Hub verdict as soon as Twilio posts its status callback, not at the next poll', async () => {
    const { handle, atPhase } = await registeringTenant(p, {
      kind: '10dlc',
      brandType: 'STANDARD',
      ein: '12-3456789',
      timings: { pollInitialMs: 120_000, pollMaxMs: 120_000, giveUpAfterMs: 600_000, activityTimeoutMs: 15_000 },
    });
    // Reviews take half a second; the polls are two minutes apart, so only the callbacks
    // (customer profile, then trust product) can bring the brand step this soon.
    const atBrand = await atPhase('brand_review', 20_000);
    expect(atBrand.submissions).toMatchObject({ customerProfile: { outcome: 'approved' }, trustProduct: { outcome: 'approved' } });
    await handle.terminate('test done');
  });
});
