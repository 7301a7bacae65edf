import { sandboxHarness, twilioFailure, until, webhookReceiver, type SandboxHarness } from '../support/sandbox';

describe('sandbox: inbound replies, opt-outs and faults', () => {
  let h: SandboxHarness;
  let inbound: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    h = await sandboxHarness();
    inbound = await webhookReceiver((hook) =>
      hook.params.OptOutType === 'HELP' ? { status: 200, body: '<Response><Message>Help text</Message></Response>' } : { status: 204 },
    );
  });
  afterAll(async () => {
    await inbound.close();
    await h.close();
  });

  async function tenantWithNumber(name: string) {
    const account = await h.twilio.platform().api.v2010.accounts.create({ friendlyName: name });
    const client = h.subaccountClient(account.sid, account.authToken);
    const number = await client.incomingPhoneNumbers.create({ areaCode: '415', smsUrl: `${inbound.base}/inbound`, smsMethod: 'POST' });
    return { account, client, from: number.phoneNumber };
  }
  const reply = (from: string, to: string, body: string) => h.control('/__sandbox/inbound', { body: { from, to, body } });

  it('delivers a handset reply to the number’s SmsUrl, signed, with Twilio’s fields', async () => {
    const t = await tenantWithNumber('cs:inbound');
    const res = await reply('+14155552671', t.from, 'Is my order ready?');
    expect(res.status).toBe(202);
    const hook = inbound.received.find((r) => r.params.MessageSid === res.body.messageSid)!;
    expect(hook.params).toMatchObject({
      From: '+14155552671',
      To: t.from,
      Body: 'Is my order ready?',
      AccountSid: t.account.sid,
      NumSegments: '1',
      NumMedia: '0',
      SmsStatus: 'received',
    });
    expect(inbound.isSignedBy(hook, t.account.authToken)).toBe(true);
    expect(res.body.webhook).toMatchObject({ delivered: true, status: 204 });
  });

  it('answers HELP with whatever TwiML the webhook returns', async () => {
    const t = await tenantWithNumber('cs:help');
    const res = await reply('+14155552671', t.from, 'help');
    expect(res.body).toMatchObject({ keyword: 'help', webhook: { status: 200, body: expect.stringContaining('Help text') } });
  });

  it.each(['STOP', 'stopall', ' Unsubscribe ', 'cancel', 'END', 'quit', 'REVOKE', 'optout'])(
    'blocks the recipient after %j (21610) until START',
    async (keyword) => {
      const t = await tenantWithNumber(`cs:stop-${keyword.trim()}`);
      await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'before' });
      await reply('+14155552671', t.from, keyword);
      expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+14155552671', body: 'after' }))).toMatchObject({ status: 400, code: 21610 });
      // Another recipient, and another sender to the same recipient, are unaffected.
      await t.client.messages.create({ from: t.from, to: '+14155552672', body: 'other recipient' });
      await reply('+14155552671', t.from, 'START');
      await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'resubscribed' });
    },
  );

  it.each(['YES', 'unstop'])('unblocks with %j too', async (word) => {
    const t = await tenantWithNumber(`cs:unblock-${word}`);
    await reply('+14155552673', t.from, 'STOP');
    await reply('+14155552673', t.from, word);
    await t.client.messages.create({ from: t.from, to: '+14155552673', body: 'ok' });
  });

  it('does not treat free text as an opt-out', async () => {
    const t = await tenantWithNumber('cs:free-text');
    expect((await reply('+14155552674', t.from, 'please stop sending these')).body.keyword).toBeNull();
    await t.client.messages.create({ from: t.from, to: '+14155552674', body: 'still allowed' });
  });

  it.each([
    ['rate429', 429, 20429],
    ['rate500', 500, 20500],
    ['rate503', 503, 20503],
  ])('injects %s faults, seen by the twilio library as Twilio errors', async (rate, status, code) => {
    await h.control('/__sandbox/faults', { body: { [rate]: 1 } });
    try {
      expect(await twilioFailure(h.twilio.platform().api.v2010.accounts.list({ limit: 1 }))).toMatchObject({ status, code });
    } finally {
      await h.control('/__sandbox/faults', { method: 'DELETE' });
    }
    await h.twilio.platform().api.v2010.accounts.list({ limit: 1 });
  });

  it('injects faults for one account only, and counts them', async () => {
    const t = await tenantWithNumber('cs:faulty');
    await h.control('/__sandbox/faults', { body: { rate503: 1, accountSid: t.account.sid } });
    try {
      expect(await twilioFailure(t.client.messages.list({ limit: 1 }))).toMatchObject({ status: 503 });
      await h.twilio.platform().api.v2010.accounts.list({ limit: 1 });
      expect((await h.control('/__sandbox/faults')).body.injected['503']).toBeGreaterThanOrEqual(1);
    } finally {
      await h.control('/__sandbox/faults', { method: 'DELETE' });
    }
  });

  it('adds latency before handling, and can hold back an answer after the work is done', async () => {
    await h.control('/__sandbox/faults', { body: { latencyMs: 300 } });
    const started = Date.now();
    await h.twilio.platform().api.v2010.accounts.list({ limit: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    const t = await tenantWithNumber('cs:late-answer');
    await h.control('/__sandbox/faults', { body: { responseDelayMs: 400, accountSid: t.account.sid } });
    const sending = t.client.messages.create({ from: t.from, to: '+14155552675', body: 'done before answered' });
    await new Promise((r) => setTimeout(r, 150));
    // Twilio already has the message while the caller still waits for the answer.
    expect((await h.control(`/__sandbox/ledger?accountSid=${t.account.sid}`)).body.count).toBe(1);
    await sending;
    await h.control('/__sandbox/faults', { method: 'DELETE' });
  });

  it('aims faults at one operation only', async () => {
    const t = await tenantWithNumber('cs:aimed');
    await h.control('/__sandbox/faults', { body: { rate500: 1, accountSid: t.account.sid, only: { method: 'POST', pathEndsWith: '/Messages.json' } } });
    try {
      await t.client.messages.list({ limit: 1 });
      expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+14155552676', body: 'x' }))).toMatchObject({ status: 500 });
    } finally {
      await h.control('/__sandbox/faults', { method: 'DELETE' });
    }
  });

  it.each([
    ['rateAcceptThen500', 'acceptThen500', 500, 20500],
    ['rateAcceptThen503', 'acceptThen503', 503, 20503],
  ])('%s: creates the message, puts it in the ledger, then answers with a Twilio error', async (rate, counter, status, code) => {
    const t = await tenantWithNumber(`cs:${rate}`);
    await h.control('/__sandbox/faults', { body: { [rate]: 1, accountSid: t.account.sid, only: { method: 'POST', pathEndsWith: '/Messages.json' } } });
    try {
      expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+14155552677', body: 'taken, answered 5xx' }))).toMatchObject({ status, code });
      const { entries } = (await h.control(`/__sandbox/ledger?accountSid=${t.account.sid}`)).body as { entries: Array<{ sid: string; to: string }> };
      expect(entries).toEqual([expect.objectContaining({ to: '+14155552677' })]);
      // Twilio has it: the caller can find it by listing, as clearsend's relay does after a 5xx.
      const listed = await t.client.messages.list({ from: t.from, to: '+14155552677' });
      expect(listed.map((m) => m.sid)).toEqual([entries[0].sid]);
      const faults = (await h.control('/__sandbox/faults')).body as {
        injected: Record<string, number>;
        acceptedThenFailed: Array<{ sid?: string; status: number; method: string }>;
      };
      expect(faults.injected[counter]).toBe(1);
      expect(faults.acceptedThenFailed).toEqual([expect.objectContaining({ sid: entries[0].sid, status, method: 'POST' })]);
      // A refusal is not turned into an accepted-then-failed: only work that was done is.
      expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+1415555', body: 'bad number' }))).toMatchObject({ status: 400, code: 21211 });
      expect(((await h.control('/__sandbox/faults')).body as { acceptedThenFailed: unknown[] }).acceptedThenFailed).toHaveLength(1);
    } finally {
      await h.control('/__sandbox/faults', { method: 'DELETE' });
    }
    // The success the fault replaced was held to Twilio's documents like any other.
    expect(h.sandbox.contractViolations()).toEqual([]);
  });

  it('drops status callbacks for good when asked, and counts them', async () => {
    const callbacks = await webhookReceiver();
    const t = await tenantWithNumber('cs:lost-callbacks');
    await h.control('/__sandbox/faults', { body: { statusCallbackDropRate: 1, accountSid: t.account.sid } });
    try {
      const message = await t.client.messages.create({
        from: t.from,
        to: '+14155552678',
        body: 'nobody hears back',
        statusCallback: `${callbacks.base}/status`,
      });
      // Its status moves on (fetch says so), but no callback is sent, retried or listed as failed.
      await until(async () => ['delivered', 'undelivered', 'failed'].includes((await t.client.messages(message.sid).fetch()).status));
      expect(callbacks.received).toEqual([]);
      expect(((await h.control('/__sandbox/callback-failures')).body as { failures: unknown[] }).failures).toEqual([]);
      expect(((await h.control('/__sandbox/faults')).body as { injected: Record<string, number> }).injected.statusCallbacksDropped).toBe(2); // sent, then final
    } finally {
      await h.control('/__sandbox/faults', { method: 'DELETE' });
      await callbacks.close();
    }
  });

  it.each([
    ['/__sandbox/faults', { rate429: 2 }],
    ['/__sandbox/faults', { rateAcceptThen500: -0.1 }],
    ['/__sandbox/faults', { statusCallbackDropRate: 1.5 }],
    ['/__sandbox/faults', { unknown: 1 }],
    ['/__sandbox/inbound', { from: 'x', to: '+14155550100', body: 'hi' }],
    ['/__sandbox/carrier', { failedRate: 0.8, undeliveredRate: 0.5 }],
    ['/__sandbox/throughput', { mps: -1 }],
    ['/__sandbox/lookup/line-types', { phoneNumber: '+14155552671', lineType: 'carrier-pigeon' }],
  ])('refuses bad input to %s with a 400 problem', async (path, body) => {
    const res = await h.control(path, { body });
    expect(res.status).toBe(400);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });
});
