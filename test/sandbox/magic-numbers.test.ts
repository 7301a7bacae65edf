import { sandboxHarness, twilioFailure, webhookReceiver, type SandboxHarness } from '../support/sandbox';

/** Twilio's test credentials and magic numbers, answered exactly as Twilio answers them. */
describe('sandbox: magic numbers with test credentials', () => {
  let h: SandboxHarness;
  beforeAll(async () => {
    h = await sandboxHarness();
  });
  afterAll(() => h.close());

  const send = (from: string, to: string) => h.twilio.testCredentials().messages.create({ from, to, body: 'test' });

  it('accepts From +15005550006 to a valid number', async () => {
    const message = await send('+15005550006', '+14155552671');
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.status).toBe('queued');
  });

  it.each([
    ['+15005550001', 21212],
    ['+15005550007', 21606],
    ['+15005550008', 21611],
    ['+14155550100', 21606],
  ])('refuses From %s with %i', async (from, code) => {
    expect((await twilioFailure(send(from, '+14155552671'))).code).toBe(code);
  });

  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ])('refuses To %s with %i', async (to, code) => {
    const failure = await twilioFailure(send('+15005550006', to));
    expect(failure).toMatchObject({ status: 400, code });
  });

  it.each([
    [{ phoneNumber: '+15005550000' }, 21422],
    [{ phoneNumber: '+15005550001' }, 21421],
    [{ areaCode: '533' }, 21452],
  ])('refuses buying %j with %i', async (params, code) => {
    expect((await twilioFailure(h.twilio.testCredentials().incomingPhoneNumbers.create(params))).code).toBe(code);
  });

  it('"buys" +15005550006 with test credentials, and nothing is owned afterwards', async () => {
    const bought = await h.twilio.testCredentials().incomingPhoneNumbers.create({ phoneNumber: '+15005550006' });
    expect(bought.phoneNumber).toBe('+15005550006');
    expect(await h.twilio.testCredentials().incomingPhoneNumbers.list()).toEqual([]);
  });

  it('sends no status callbacks for test-credential messages', async () => {
    const receiver = await webhookReceiver();
    try {
      await h.twilio.testCredentials().messages.create({ from: '+15005550006', to: '+14155552671', body: 'x', statusCallback: `${receiver.base}/status` });
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
