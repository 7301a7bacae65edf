import {
  campaignInput,
  POLICY,
  registrationTenant,
  serviceWithNumber,
  soleProprietorBundles,
  standardBundles,
  ONE_10DLC_REGISTRATION,
} from '../support/registration';
import { sandboxHarness, twilioFailure, until, webhookReceiver, type SandboxHarness } from '../support/sandbox';

/**
 * Carrier registration in the sandbox (issue 14 item 3), through the official twilio library:
 * Trust Hub bundles, A2P brands and campaigns, each decided by magic inputs after the
 * configured review time. Toll-free verification: registration-tollfree.test.ts.
 */
describe('sandbox: A2P 10DLC registration (Trust Hub, brands, campaigns)', () => {
  let h: SandboxHarness;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    h = await sandboxHarness({ vettingMs: 150 });
    receiver = await webhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await h.close();
  });

  type Client = Awaited<ReturnType<typeof registrationTenant>>['client'];
  const brandOf = (client: Client, sid: string) => client.messaging.v1.brandRegistrations(sid).fetch();
  const settledBrand = (client: Client, sid: string) =>
    until(async () => {
      const b = await brandOf(client, sid);
      return b.status === 'APPROVED' || b.status === 'FAILED' ? b : undefined;
    });
  const settledCampaign = (client: Client, service: string, sid: string) =>
    until(async () => {
      const c = await client.messaging.v1.services(service).usAppToPerson(sid).fetch();
      return c.campaignStatus === 'IN_PROGRESS' ? undefined : c;
    });
  async function brand(name: string, ein: string, opts: { brandType?: string; skipAutomaticSecVet?: boolean } = {}) {
    const t = await registrationTenant(h, name);
    const bundles = await standardBundles(t.client, h, { name, ein });
    const created = await t.client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: bundles.profileSid,
      a2PProfileBundleSid: bundles.trustProductSid,
      ...opts,
    });
    return { ...t, ...bundles, created };
  }

  it('takes a standard tenant from profile to a VERIFIED campaign, calling the profile status callback, one of each', async () => {
    const t = await registrationTenant(h, 'cs:reg-happy');
    const bundles = await standardBundles(t.client, h, { name: 'Acme Dental LLC', ein: '12-3456789', statusCallback: `${receiver.base}/bundle` });
    const profile = await until(async () => {
      const p = await t.client.trusthub.v1.customerProfiles(bundles.profileSid).fetch();
      return p.status === 'twilio-approved' ? p : undefined;
    });
    expect(profile.policySid).toBe(POLICY.secondaryProfile);
    const hooks = await until(() => {
      const mine = receiver.received.filter((r) => r.params.BundleSid === bundles.profileSid);
      return mine.length === 3 ? mine : undefined;
    });
    expect(hooks.map((r) => r.params.Status).sort()).toEqual(['in-review', 'pending-review', 'twilio-approved']);
    expect(hooks.every((r) => receiver.isSignedBy(r, t.account.authToken))).toBe(true);

    const created = await t.client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: bundles.profileSid,
      a2PProfileBundleSid: bundles.trustProductSid,
      brandType: 'STANDARD',
    });
    expect(created.status).toBe('PENDING');
    const approved = await settledBrand(t.client, created.sid);
    expect(approved).toMatchObject({ status: 'APPROVED', identityStatus: 'VETTED_VERIFIED', brandScore: 80, errors: [], failureReason: null });
    expect(approved.tcrId).toMatch(/^B[0-9A-F]{6}$/);

    const service = await serviceWithNumber(t.client, 'cs:reg-happy service');
    expect(service).toMatchObject({
      statusCallback: 'https://example.com/status',
      inboundRequestUrl: 'https://example.com/inbound',
      useInboundWebhookOnNumber: false,
    });
    const campaign = await t.client.messaging.v1.services(service.sid).usAppToPerson.create(campaignInput(created.sid));
    expect(campaign.campaignStatus).toBe('IN_PROGRESS');
    const verified = await settledCampaign(t.client, service.sid, campaign.sid);
    expect(verified).toMatchObject({
      campaignStatus: 'VERIFIED',
      errors: [],
      privacyPolicyUrl: 'https://example.com/privacy',
      rateLimits: { att: { mps: 75, msg_class: 'A' }, tmobile: { brand_tier: 'TOP', daily_cap: 200_000 } },
    });
    expect(verified.campaignId).toMatch(/^C[0-9A-F]{6}$/);
    expect((await t.client.messaging.v1.services(service.sid).fetch()).usAppToPersonRegistered).toBe(true);

    const { body } = await h.control(`/__sandbox/registrations?accountSid=${t.account.sid}`);
    expect(body.counts).toEqual(ONE_10DLC_REGISTRATION);
  });

  it('evaluates a bundle against its policy and refuses to submit one that does not comply', async () => {
    const { client } = await registrationTenant(h, 'cs:reg-noncompliant');
    const profile = await client.trusthub.v1.customerProfiles.create({ friendlyName: 'Empty', email: 'a@example.com', policySid: POLICY.secondaryProfile });
    const evaluation = await client.trusthub.v1.customerProfiles(profile.sid).customerProfilesEvaluations.create({ policySid: POLICY.secondaryProfile });
    expect(evaluation.status).toBe('noncompliant');
    expect(evaluation.results.filter((r: { passed: boolean }) => !r.passed).map((r: { error_code: number }) => r.error_code)).toEqual([
      22214, 22214, 22216, 22214,
    ]);
    expect(await twilioFailure(client.trusthub.v1.customerProfiles(profile.sid).update({ status: 'pending-review' }))).toMatchObject({
      status: 400,
      code: 22214,
    });
    expect((await client.trusthub.v1.customerProfiles(profile.sid).fetch()).status).toBe('draft');
  });

  it.each([
    ['000000001', 30799, ['TAX_ID']],
    ['00-0000002', 30798, ['NONPROFIT']],
  ])('fails a brand whose EIN is %s with %d', async (ein, code, feedback) => {
    const b = await brand(`cs:reg-fail-${code}`, ein);
    const failed = await settledBrand(b.client, b.created.sid);
    expect(failed).toMatchObject({ status: 'FAILED', identityStatus: 'UNVERIFIED', brandFeedback: feedback });
    expect(failed.errors).toEqual([expect.objectContaining({ error_code: code, url: `https://www.twilio.com/docs/api/errors/${code}` })]);
    expect(failed.failureReason).toContain('Brand Registration');
    // A brand that is not APPROVED registers no campaign (21717).
    const service = await serviceWithNumber(b.client, `cs:reg-fail-${code} service`);
    expect(await twilioFailure(b.client.messaging.v1.services(service.sid).usAppToPerson.create(campaignInput(b.created.sid)))).toMatchObject({
      status: 400,
      code: 21717,
    });
  });

  it('fails EIN 000000003 once with 30791 (temporary), and a resubmission is approved', async () => {
    const b = await brand('cs:reg-retry', '000000003');
    expect((await settledBrand(b.client, b.created.sid)).errors).toEqual([expect.objectContaining({ error_code: 30791 })]);
    const resubmitted = await b.client.messaging.v1.brandRegistrations(b.created.sid).update();
    expect(resubmitted.status).toBe('PENDING');
    expect(await settledBrand(b.client, b.created.sid)).toMatchObject({ status: 'APPROVED', errors: [] });
    expect(await twilioFailure(b.client.messaging.v1.brandRegistrations(b.created.sid).update())).toMatchObject({ status: 400 });
  });

  it('sends EIN 000000004 to manual review (IN_REVIEW) before approving it', async () => {
    const b = await brand('cs:reg-review', '000000004');
    await until(async () => (await brandOf(b.client, b.created.sid)).status === 'IN_REVIEW');
    expect((await settledBrand(b.client, b.created.sid)).status).toBe('APPROVED');
  });

  it('rejects a customer profile whose EIN is 000000005', async () => {
    const t = await registrationTenant(h, 'cs:reg-profile-rejected');
    const bundles = await standardBundles(t.client, h, { name: 'Shady LLC', ein: '000000005' });
    const rejected = await until(async () => {
      const p = await t.client.trusthub.v1.customerProfiles(bundles.profileSid).fetch();
      return p.status === 'twilio-rejected' ? p : undefined;
    });
    expect(rejected.errors).toEqual([expect.objectContaining({ error_code: 22217 })]);
    expect(
      await twilioFailure(
        t.client.messaging.v1.brandRegistrations.create({ customerProfileBundleSid: bundles.profileSid, a2PProfileBundleSid: bundles.trustProductSid }),
      ),
    ).toMatchObject({ status: 400 });
  });

  it.each([
    ['990000042', {}, 42, { tier: 'LOW_MID', mpsPerCarrier: 4, tmobileDailyCap: 10_000 }],
    ['990000060', {}, 60, { tier: 'HIGH_MID', mpsPerCarrier: 40, tmobileDailyCap: 40_000 }],
    ['990000010', {}, 10, { tier: 'LOW', mpsPerCarrier: 4, tmobileDailyCap: 2_000 }],
    ['12-3456789', { brandType: 'LOW_VOLUME_STANDARD' }, null, { tier: 'LOW_VOLUME', mpsPerCarrier: 4, tmobileDailyCap: 2_000 }],
    ['12-3456789', { skipAutomaticSecVet: true }, null, { tier: 'LOW_VOLUME', mpsPerCarrier: 4, tmobileDailyCap: 2_000 }],
  ])('gives EIN %s %j brand score %s and its throughput class', async (ein, opts, score, throughput) => {
    const b = await brand(`cs:reg-score-${ein}-${Object.keys(opts).join()}`, ein, opts);
    expect((await settledBrand(b.client, b.created.sid)).brandScore).toBe(score);
    const { body } = await h.control(`/__sandbox/registrations?accountSid=${b.account.sid}`);
    expect(body.brands).toEqual([expect.objectContaining({ sid: b.created.sid, throughput: expect.objectContaining(throughput) })]);
  });

  it('registers a sole proprietor: OTP text, YES reply, then a campaign; an unverified brand’s campaign fails 30991', async () => {
    const t = await registrationTenant(h, 'cs:reg-sole');
    const bundles = await soleProprietorBundles(t.client, h, { name: 'Sam’s Bikes', mobile: '+14155550123' });
    const created = await t.client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: bundles.profileSid,
      a2PProfileBundleSid: bundles.trustProductSid,
      brandType: 'SOLE_PROPRIETOR',
    });
    expect(await settledBrand(t.client, created.sid)).toMatchObject({ status: 'APPROVED', identityStatus: 'UNVERIFIED', brandScore: null });
    const service = await serviceWithNumber(t.client, 'cs:reg-sole service');
    const usecases = await t.client.messaging.v1.services(service.sid).usAppToPersonUsecases.fetch({ brandRegistrationSid: created.sid });
    expect(usecases.usAppToPersonUsecases.map((u: { code: string }) => u.code)).toEqual(['SOLE_PROPRIETOR']);
    const sole = campaignInput(created.sid, { usAppToPersonUsecase: 'SOLE_PROPRIETOR' });
    const early = await t.client.messaging.v1.services(service.sid).usAppToPerson.create(sole);
    expect((await settledCampaign(t.client, service.sid, early.sid)).errors).toEqual([expect.objectContaining({ error_code: 30991 })]);

    // The OTP expires unanswered (30752); a re-sent one answered YES verifies the brand.
    await h.control('/__sandbox/registrations/timing', { body: { otpTtlMs: 0 } });
    await t.client.messaging.v1.brandRegistrations(created.sid).brandRegistrationOtps.create();
    await new Promise((r) => setTimeout(r, 5));
    expect((await h.control('/__sandbox/registrations/otp-reply', { body: { brandRegistrationSid: created.sid, reply: 'YES' } })).status).toBe(409);
    expect((await brandOf(t.client, created.sid)).errors).toEqual([expect.objectContaining({ error_code: 30752 })]);
    await h.control('/__sandbox/registrations/timing', { body: { otpTtlMs: 86_400_000 } });
    const resent = await t.client.messaging.v1.brandRegistrations(created.sid).brandRegistrationOtps.create();
    expect(resent.brandRegistrationSid).toBe(created.sid);
    const reply = await h.control('/__sandbox/registrations/otp-reply', { body: { brandRegistrationSid: created.sid, reply: 'yes' } });
    expect(reply).toMatchObject({ status: 200, body: { identityStatus: 'VERIFIED' } });

    await t.client.messaging.v1.services(service.sid).usAppToPerson(early.sid).remove();
    const campaign = await t.client.messaging.v1.services(service.sid).usAppToPerson.create(sole);
    expect(await settledCampaign(t.client, service.sid, campaign.sid)).toMatchObject({
      campaignStatus: 'VERIFIED',
      rateLimits: { att: { mps: 1, msg_class: 'S' }, tmobile: { daily_cap: 1_000 } },
    });
  });

  it('fails a sole proprietor whose mobile is +15005550009 with 30751', async () => {
    const t = await registrationTenant(h, 'cs:reg-sole-landline');
    const bundles = await soleProprietorBundles(t.client, h, { name: 'Landline Larry', mobile: '+15005550009' });
    const created = await t.client.messaging.v1.brandRegistrations.create({
      customerProfileBundleSid: bundles.profileSid,
      a2PProfileBundleSid: bundles.trustProductSid,
      brandType: 'SOLE_PROPRIETOR',
    });
    expect((await settledBrand(t.client, created.sid)).errors).toEqual([expect.objectContaining({ error_code: 30751 })]);
  });

  it.each([30896, 30893, 30886, 30885])('fails a campaign carrying sandbox-reject-%d, and an edit without it is verified', async (code) => {
    const b = await brand(`cs:reg-campaign-${code}`, '12-3456789');
    await settledBrand(b.client, b.created.sid);
    const service = await serviceWithNumber(b.client, `cs:reg-campaign-${code}`);
    const input = campaignInput(b.created.sid, { messageFlow: `Customers opt in on the website form; sandbox-reject-${code} as a test of rejection.` });
    const campaign = await b.client.messaging.v1.services(service.sid).usAppToPerson.create(input);
    const failed = await settledCampaign(b.client, service.sid, campaign.sid);
    expect(failed.campaignStatus).toBe('FAILED');
    expect(failed.errors).toEqual([expect.objectContaining({ error_code: code, url: `https://www.twilio.com/docs/api/errors/${code}` })]);
    const { messageFlow, description, messageSamples } = campaignInput(b.created.sid);
    await b.client.messaging.v1
      .services(service.sid)
      .usAppToPerson(campaign.sid)
      .update({ messageFlow, description, messageSamples, hasEmbeddedLinks: false, hasEmbeddedPhone: false, ageGated: false, directLending: false });
    expect((await settledCampaign(b.client, service.sid, campaign.sid)).campaignStatus).toBe('VERIFIED');
  });

  it('answers bad input with Twilio’s 400s', async () => {
    const b = await brand('cs:reg-bad-input', '12-3456789');
    const { client } = b;
    const bundleSids = { customerProfileBundleSid: b.profileSid, a2PProfileBundleSid: b.trustProductSid };
    expect(await twilioFailure(client.messaging.v1.brandRegistrations.create({ ...bundleSids, brandType: 'BIG' }))).toMatchObject({ status: 400, code: 20001 });
    expect(await twilioFailure(client.messaging.v1.brandRegistrations.create({ ...bundleSids, brandType: 'SOLE_PROPRIETOR' }))).toMatchObject({ status: 400 });
    expect(
      await twilioFailure(client.trusthub.v1.customerProfiles.create({ friendlyName: 'x', email: 'a@example.com', policySid: `RN${'0'.repeat(32)}` })),
    ).toMatchObject({ status: 400 });
    expect(
      await twilioFailure(client.trusthub.v1.customerProfiles.create({ friendlyName: 'x', email: 'not-an-email', policySid: POLICY.secondaryProfile })),
    ).toMatchObject({ status: 400 });
    expect(
      await twilioFailure(client.trusthub.v1.endUsers.create({ friendlyName: 'x', type: 'customer_profile_business_information', attributes: 'not json' })),
    ).toMatchObject({ status: 400 });
    const service = await serviceWithNumber(client, 'cs:reg-bad-input');
    const usa2p = client.messaging.v1.services(service.sid).usAppToPerson;
    await settledBrand(client, b.created.sid);
    expect(await twilioFailure(usa2p.create(campaignInput(b.created.sid, { usAppToPersonUsecase: 'CRYPTO' })))).toMatchObject({ status: 400, code: 21720 });
    expect(
      await twilioFailure(usa2p.create(campaignInput(b.created.sid, { messageSamples: ['Acme: your appointment is tomorrow. Reply STOP to stop.'] }))),
    ).toMatchObject({ status: 400, code: 21727 });
    expect(await twilioFailure(usa2p.create(campaignInput(b.created.sid, { description: 'Too short.' })))).toMatchObject({ status: 400, code: 21727 });
    expect(await twilioFailure(client.messaging.v1.services.create({ friendlyName: 'x', usecase: 'gossip' }))).toMatchObject({ status: 400, code: 21713 });
    const other = await client.messaging.v1.services.create({ friendlyName: 'cs:reg-bad-input other' });
    const [pooled] = await client.messaging.v1.services(service.sid).phoneNumbers.list();
    expect(await twilioFailure(client.messaging.v1.services(other.sid).phoneNumbers.create({ phoneNumberSid: pooled.sid }))).toMatchObject({ code: 21710 });
  });

  it('lists what was created so a retried step finds it; creating twice makes two', async () => {
    const b = await brand('cs:reg-lookup', '12-3456789');
    await settledBrand(b.client, b.created.sid);
    const { client } = b;
    const profiles = await client.trusthub.v1.customerProfiles.list({ friendlyName: 'cs:reg-lookup' });
    expect(profiles.map((p) => p.sid)).toEqual([b.profileSid]);
    expect(await client.trusthub.v1.customerProfiles.list({ friendlyName: 'nobody' })).toEqual([]);
    expect((await client.trusthub.v1.trustProducts.list({ policySid: POLICY.a2pTrustProduct })).map((p) => p.sid)).toEqual([b.trustProductSid]);
    expect((await client.trusthub.v1.customerProfiles(b.profileSid).customerProfilesEntityAssignments.list()).length).toBe(4);
    const again = await client.messaging.v1.brandRegistrations.create({ customerProfileBundleSid: b.profileSid, a2PProfileBundleSid: b.trustProductSid });
    expect((await client.messaging.v1.brandRegistrations.list({ pageSize: 1 })).map((x) => x.sid).sort()).toEqual([b.created.sid, again.sid].sort());
    const service = await serviceWithNumber(client, 'cs:reg-lookup service');
    expect((await client.messaging.v1.services.list()).filter((s) => s.friendlyName === 'cs:reg-lookup service').map((s) => s.sid)).toEqual([service.sid]);
    const campaign = await client.messaging.v1.services(service.sid).usAppToPerson.create(campaignInput(b.created.sid));
    expect((await client.messaging.v1.services(service.sid).usAppToPerson.list()).map((c) => c.sid)).toEqual([campaign.sid]);
    const { body } = await h.control(`/__sandbox/registrations?accountSid=${b.account.sid}`);
    expect(body.counts).toMatchObject({ customerProfiles: 1, trustProducts: 1, brands: 2, messagingServices: 1, campaigns: 1 });
  });

  it('holds a review until its time: a slower vetting leaves the brand PENDING', async () => {
    await h.control('/__sandbox/registrations/timing', { body: { vettingMs: 60_000 } });
    try {
      const b = await brand('cs:reg-slow', '12-3456789');
      await new Promise((r) => setTimeout(r, 400));
      expect((await brandOf(b.client, b.created.sid)).status).toBe('PENDING');
      expect((await h.control('/__sandbox/registrations')).body.timing.vettingMs).toBe(60_000);
    } finally {
      await h.control('/__sandbox/registrations/timing', { body: { vettingMs: 150 } });
    }
  });

  it('holds Trust Hub and brand requests to Twilio’s documents', async () => {
    const auth = `Basic ${Buffer.from(`${h.sandbox.platform.accountSid}:${h.sandbox.platform.authToken}`).toString('base64')}`;
    const post = (path: string, params: Record<string, string>) =>
      fetch(`${h.sandbox.url}${path}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
    const before = h.sandbox.contractViolations().length;
    expect((await post('/v1/CustomerProfiles', { FriendlyName: 'x', Email: 'a@example.com', PolicySid: 'RN-not-a-sid' })).status).toBe(500);
    expect((await post('/v1/a2p/BrandRegistrations', { CustomerProfileBundleSid: 'BUnope', A2PProfileBundleSid: 'BUnope' })).status).toBe(500);
    const violations = h.sandbox.contractViolations().splice(before);
    expect(violations).toEqual([
      expect.objectContaining({ phase: 'request', path: '/v1/CustomerProfiles' }),
      expect.objectContaining({ phase: 'request', path: '/v1/a2p/BrandRegistrations' }),
    ]);
  });
});
