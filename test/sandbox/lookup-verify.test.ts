import { eventually } from '../support/eventually';
import { sandboxHarness, twilioFailure, type SandboxHarness } from '../support/sandbox';

describe('sandbox: Lookup v2 and Verify v2', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await sandboxHarness({ verifyTtlMs: 3000 });
  });
  afterAll(() => h.close());

  const lookup = (n: string) => h.twilio.platform().lookups.v2.phoneNumbers(n).fetch({ fields: 'line_type_intelligence' });

  it('gives each number a stable line type, overridable, and counts the lookups', async () => {
    const first = await lookup('+14155552671');
    expect(first.valid).toBe(true);
    expect(first.countryCode).toBe('US');
    expect((await lookup('+14155552671')).lineTypeIntelligence).toEqual(first.lineTypeIntelligence);
    await h.control('/__sandbox/lookup/line-types', { body: { phoneNumber: '+14155552671', lineType: 'landline' } });
    expect((await lookup('+14155552671')).lineTypeIntelligence).toMatchObject({ type: 'landline' });
    expect((await lookup('+18005550199')).lineTypeIntelligence).toMatchObject({ type: 'tollFree' });
    const { body } = await h.control('/__sandbox/lookups');
    expect(body.lookups.filter((l: { phoneNumber: string }) => l.phoneNumber === '+14155552671')).toHaveLength(3);
  });

  it('spreads line types across many numbers', async () => {
    const types = new Set<string>();
    for (let i = 0; i < 60; i++) types.add(String((await lookup(`+1415555${String(3000 + i)}`)).lineTypeIntelligence?.type));
    expect([...types].sort()).toEqual(expect.arrayContaining(['landline', 'mobile']));
  });

  it('reports invalid numbers with validation errors and no line type', async () => {
    const result = await lookup('+1415555');
    expect(result.valid).toBe(false);
    expect(result.validationErrors).toEqual(['TOO_SHORT']);
    expect(result.lineTypeIntelligence).toBeNull(); // absent in the JSON; the library reports null
  });

  describe('Verify', () => {
    let serviceSid: string;
    beforeAll(async () => {
      serviceSid = (await h.twilio.platform().verify.v2.services.create({ friendlyName: 'clearsend' })).sid;
    });
    const verify = () => h.twilio.platform().verify.v2.services(serviceSid);
    const codeFor = async (to: string) => (await h.control(`/__sandbox/verify/code?to=${encodeURIComponent(to)}`)).body.code as string;

    it('approves the right code after a wrong one', async () => {
      const to = '+14155550201';
      expect((await verify().verifications.create({ to, channel: 'sms' })).status).toBe('pending');
      expect((await verify().verificationChecks.create({ to, code: '000000' })).status).toBe('pending');
      const check = await verify().verificationChecks.create({ to, code: await codeFor(to) });
      expect(check).toMatchObject({ status: 'approved', valid: true });
      expect(await twilioFailure(verify().verificationChecks.create({ to, code: '123456' }))).toMatchObject({ status: 404, code: 20404 });
    });

    it('stops after 5 checks (max_attempts_reached, then 60202)', async () => {
      const to = '+14155550202';
      await verify().verifications.create({ to, channel: 'sms' });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await verify().verificationChecks.create({ to, code: '000000' })).status);
      expect(statuses).toEqual(['pending', 'pending', 'pending', 'pending', 'max_attempts_reached']);
    });

    it('expires a code (404 afterwards) and cancels on request', async () => {
      const to = '+14155550203';
      await verify().verifications.create({ to, channel: 'sms' });
      const { code, expiresAt } = (await h.control(`/__sandbox/verify/code?to=${encodeURIComponent(to)}`)).body as { code: string; expiresAt: string };
      await eventually(() => Date.now() > Date.parse(expiresAt), { describe: `the code to expire (at ${expiresAt})` });
      expect(await twilioFailure(verify().verificationChecks.create({ to, code }))).toMatchObject({ status: 404, code: 20404 });

      const second = await verify().verifications.create({ to: '+14155550204', channel: 'sms' });
      expect((await verify().verifications(second.sid).update({ status: 'canceled' })).status).toBe('canceled');
    });

    it('re-sends the same code while pending, at most 5 times in 10 minutes (60203)', async () => {
      const to = '+14155550205';
      const first = await verify().verifications.create({ to, channel: 'sms' });
      for (let i = 0; i < 4; i++) expect((await verify().verifications.create({ to, channel: 'sms' })).sid).toBe(first.sid);
      expect(await twilioFailure(verify().verifications.create({ to, channel: 'sms' }))).toMatchObject({ code: 60203 });
    });

    it('hides codes from other accounts', async () => {
      const account = await h.twilio.platform().api.v2010.accounts.create({ friendlyName: 'cs:verify-other' });
      const other = h.subaccountClient(account.sid, account.authToken);
      expect(await twilioFailure(other.verify.v2.services(serviceSid).verificationChecks.create({ to: '+14155550201', code: '1' }))).toMatchObject({
        status: 404,
      });
    });
  });
});
