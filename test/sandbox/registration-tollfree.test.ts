import type { TollfreeVerificationListInstanceCreateOptions } from 'twilio/lib/rest/messaging/v1/tollfreeVerification';
import { registrationTenant } from '../support/registration';
import { sandboxHarness, twilioFailure, until, type SandboxHarness } from '../support/sandbox';

/** Toll-free verification in the sandbox (issue 14 item 3), through the official twilio library. */
describe('sandbox: toll-free verification', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await sandboxHarness({ vettingMs: 150 });
  });
  afterAll(() => h.close());

  type Client = Awaited<ReturnType<typeof registrationTenant>>['client'];
  async function tollFreeTenant(name: string) {
    const t = await registrationTenant(h, name);
    const [available] = await t.client.availablePhoneNumbers('US').tollFree.list({ limit: 1 });
    const number = await t.client.incomingPhoneNumbers.create({ phoneNumber: available.phoneNumber });
    return { ...t, number };
  }
  const input = (
    tollfreePhoneNumberSid: string,
    overrides: Partial<TollfreeVerificationListInstanceCreateOptions> = {},
  ): TollfreeVerificationListInstanceCreateOptions => ({
    tollfreePhoneNumberSid,
    businessName: 'Owl, Inc.',
    businessWebsite: 'https://owl.example.com',
    notificationEmail: 'compliance@owl.example.com',
    useCaseCategories: ['ACCOUNT_NOTIFICATIONS'],
    useCaseSummary: 'Order and delivery notices to customers who opted in at checkout.',
    productionMessageSample: 'Owl: your order 1234 has shipped. Reply STOP to opt out.',
    optInImageUrls: ['https://owl.example.com/opt-in.png'],
    optInType: 'WEB_FORM',
    messageVolume: '1,000',
    externalReferenceId: 'tenant-42',
    ...overrides,
  });
  const settled = (client: Client, sid: string) =>
    until(async () => {
      const v = await client.messaging.v1.tollfreeVerifications(sid).fetch();
      return v.status === 'TWILIO_APPROVED' || v.status === 'TWILIO_REJECTED' ? v : undefined;
    });

  it('goes PENDING_REVIEW → IN_REVIEW → TWILIO_APPROVED, and is found again by its number', async () => {
    const t = await tollFreeTenant('cs:tfv-happy');
    // Long enough a review that its in-review half is seen by polling on a loaded machine.
    await h.control('/__sandbox/registrations/timing', { body: { vettingMs: 2000 } });
    const created = await t.client.messaging.v1.tollfreeVerifications.create(input(t.number.sid));
    await h.control('/__sandbox/registrations/timing', { body: { vettingMs: 150 } });
    expect(created).toMatchObject({
      status: 'PENDING_REVIEW',
      tollfreePhoneNumber: t.number.phoneNumber,
      optInImageUrls: ['https://owl.example.com/opt-in.png'],
      externalReferenceId: 'tenant-42',
    });
    await until(async () => (await t.client.messaging.v1.tollfreeVerifications(created.sid).fetch()).status === 'IN_REVIEW');
    expect(await settled(t.client, created.sid)).toMatchObject({ status: 'TWILIO_APPROVED', rejectionReason: null, errorCode: null });
    const found = await t.client.messaging.v1.tollfreeVerifications.list({ tollfreePhoneNumberSid: t.number.sid });
    expect(found.map((v) => v.sid)).toEqual([created.sid]);
    expect(await t.client.messaging.v1.tollfreeVerifications.list({ externalReferenceId: 'someone-else' })).toEqual([]);
    // Creating again creates a second verification, as on Twilio: a retried step must look first.
    await t.client.messaging.v1.tollfreeVerifications.create(input(t.number.sid));
    expect((await h.control(`/__sandbox/registrations?accountSid=${t.account.sid}`)).body.counts.tollfreeVerifications).toBe(2);
  });

  it('rejects with an editable reason (30513); the edited verification is approved', async () => {
    const t = await tollFreeTenant('cs:tfv-edit');
    const created = await t.client.messaging.v1.tollfreeVerifications.create(input(t.number.sid, { additionalInformation: 'sandbox-reject-30513' }));
    const rejected = await settled(t.client, created.sid);
    expect(rejected).toMatchObject({ status: 'TWILIO_REJECTED', errorCode: 30513, editAllowed: true });
    expect(rejected.rejectionReason).toContain('Consent');
    expect(rejected.editExpiration.getTime()).toBeGreaterThan(Date.now());
    const edited = await t.client.messaging.v1
      .tollfreeVerifications(created.sid)
      .update({ additionalInformation: 'Consent is a separate, unticked checkbox.' });
    expect(edited.status).toBe('PENDING_REVIEW');
    expect((await settled(t.client, created.sid)).status).toBe('TWILIO_APPROVED');
  });

  it.each([30464, 30466])('rejects for good with %d (no edit allowed)', async (code) => {
    const t = await tollFreeTenant(`cs:tfv-final-${code}`);
    const created = await t.client.messaging.v1.tollfreeVerifications.create(input(t.number.sid, { useCaseSummary: `Alerts. sandbox-reject-${code}` }));
    expect(await settled(t.client, created.sid)).toMatchObject({ status: 'TWILIO_REJECTED', errorCode: code, editAllowed: false });
    expect(await twilioFailure(t.client.messaging.v1.tollfreeVerifications(created.sid).update({ useCaseSummary: 'Something else entirely.' }))).toMatchObject({
      status: 400,
    });
  });

  it('answers bad input with 400s: not a toll-free number, not the account’s number, a bad email', async () => {
    const t = await tollFreeTenant('cs:tfv-bad');
    const [local] = await t.client.availablePhoneNumbers('US').local.list({ areaCode: 415, limit: 1 });
    const localNumber = await t.client.incomingPhoneNumbers.create({ phoneNumber: local.phoneNumber });
    expect(await twilioFailure(t.client.messaging.v1.tollfreeVerifications.create(input(localNumber.sid)))).toMatchObject({ status: 400 });
    const other = await tollFreeTenant('cs:tfv-bad-other');
    expect(await twilioFailure(t.client.messaging.v1.tollfreeVerifications.create(input(other.number.sid)))).toMatchObject({ status: 400 });
    expect(await twilioFailure(t.client.messaging.v1.tollfreeVerifications.create(input(t.number.sid, { notificationEmail: 'nope' })))).toMatchObject({
      status: 400,
    });
    expect(await twilioFailure(t.client.messaging.v1.tollfreeVerifications.create(input(t.number.sid, { optInImageUrls: ['ftp://x'] })))).toMatchObject({
      status: 400,
    });
  });
});
