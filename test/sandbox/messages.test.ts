import twilio from 'twilio';
import { sandboxHarness, twilioFailure, until, webhookReceiver, type SandboxHarness } from '../support/sandbox';

/** A subaccount with a number, as clearsend provisions one, for live-credential sends. */
async function tenant(h: SandboxHarness, name: string) {
  const account = await h.twilio.platform().api.v2010.accounts.create({ friendlyName: name });
  const client = h.subaccountClient(account.sid, account.authToken);
  const [available] = await client.availablePhoneNumbers('US').local.list({ areaCode: 415, smsEnabled: true, limit: 1 });
  const number = await client.incomingPhoneNumbers.create({ phoneNumber: available.phoneNumber, smsMethod: 'POST' });
  return { account, client, from: number.phoneNumber };
}

describe('sandbox: messages with live credentials', () => {
  let h: SandboxHarness;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    h = await sandboxHarness();
    receiver = await webhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await h.close();
  });

  const statusesOf = (sid: string) => receiver.received.filter((r) => r.params.MessageSid === sid).map((r) => r.params.MessageStatus);

  it.each([
    ['delivered', undefined],
    ['undelivered', 30003],
    ['failed', 30006],
  ] as const)('goes queued → sent → %s, each change signed and POSTed to StatusCallback', async (final, errorCode) => {
    const t = await tenant(h, `cs:${final}`);
    const to = `+1415555${String(Math.floor(Math.random() * 9000) + 1000)}`;
    await h.control('/__sandbox/carrier', { body: { overrides: { [to]: { status: final, ...(errorCode ? { errorCode } : {}) } } } });
    const message = await t.client.messages.create({ from: t.from, to, body: 'hello', statusCallback: `${receiver.base}/status` });
    expect(message.status).toBe('queued');
    await until(() => statusesOf(message.sid).length === 2);
    // Twilio does not promise callback order, and two POSTs in flight can overtake each other.
    expect([...statusesOf(message.sid)].sort()).toEqual(['sent', final].sort());
    const last = receiver.received.find((r) => r.params.MessageSid === message.sid && r.params.MessageStatus === final)!;
    expect(receiver.isSignedBy(last, t.account.authToken)).toBe(true);
    expect(last.params).toMatchObject({ AccountSid: t.account.sid, From: t.from, To: to, SmsStatus: final, ApiVersion: '2010-04-01' });
    expect(last.params.ErrorCode).toBe(errorCode ? String(errorCode) : undefined);
    const fetched = await t.client.messages(message.sid).fetch();
    expect(fetched.status).toBe(final);
    expect(fetched.errorCode).toBe(errorCode ?? null);
  });

  it('signs callbacks so that a tampered one fails validateRequest', async () => {
    const t = await tenant(h, 'cs:tamper');
    const message = await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'hi', statusCallback: `${receiver.base}/status?x=1` });
    await until(() => statusesOf(message.sid).length === 2);
    const hook = receiver.received.find((r) => r.params.MessageSid === message.sid)!;
    expect(twilio.validateRequest(t.account.authToken, hook.signature, hook.url, hook.params)).toBe(true);
    expect(
      twilio.validateRequest(t.account.authToken, hook.signature, hook.url, {
        ...hook.params,
        MessageStatus: 'delivered' === hook.params.MessageStatus ? 'failed' : 'delivered',
      }),
    ).toBe(false);
    expect(twilio.validateRequest('another-token', hook.signature, hook.url, hook.params)).toBe(false);
    expect(twilio.validateRequest(t.account.authToken, hook.signature, `${receiver.base}/other`, hook.params)).toBe(false);
  });

  it('counts segments by encoding', async () => {
    const t = await tenant(h, 'cs:segments');
    expect((await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'a'.repeat(161) })).numSegments).toBe('2');
    expect((await t.client.messages.create({ from: t.from, to: '+14155552671', body: `${'a'.repeat(70)}😀` })).numSegments).toBe('2');
  });

  it('retries a failing callback and records one that never gets through', async () => {
    const failing = await webhookReceiver(() => ({ status: 503 }));
    try {
      const t = await tenant(h, 'cs:failing-callback');
      const message = await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'x', statusCallback: `${failing.base}/status` });
      const { body } = await until(async () => {
        const r = await h.control('/__sandbox/callback-failures');
        return (r.body.failures as Array<{ params: Record<string, string> }>).filter((f) => f.params.MessageSid === message.sid).length === 2 ? r : undefined;
      });
      expect(body.failures.find((f: { params: Record<string, string> }) => f.params.MessageSid === message.sid)).toMatchObject({
        attempts: 3,
        lastError: 'HTTP 503',
      });
      expect(failing.received.filter((r) => r.params.MessageSid === message.sid)).toHaveLength(6);
    } finally {
      await failing.close();
    }
  });

  it('checks Basic auth on every request', async () => {
    const t = await tenant(h, 'cs:auth');
    const wrong = h.subaccountClient(t.account.sid, 'not-the-token');
    expect(await twilioFailure(wrong.messages.list({ limit: 1 }))).toMatchObject({ status: 401, code: 20003 });
    const unknown = h.subaccountClient(`AC${'9'.repeat(32)}`, 'x');
    expect(await twilioFailure(unknown.api.v2010.accounts(`AC${'9'.repeat(32)}`).fetch())).toMatchObject({ status: 401, code: 20003 });
  });

  it('keeps subaccounts apart: one cannot read another’s messages or numbers', async () => {
    const a = await tenant(h, 'cs:a');
    const b = await tenant(h, 'cs:b');
    const message = await a.client.messages.create({ from: a.from, to: '+14155552671', body: 'private' });
    expect(await twilioFailure(b.client.api.v2010.accounts(a.account.sid).messages(message.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(await twilioFailure(b.client.messages(message.sid).fetch())).toMatchObject({ status: 404 });
    expect(await twilioFailure(b.client.messages.create({ from: a.from, to: '+14155552671', body: 'spoof' }))).toMatchObject({ code: 21606 });
  });

  it('lets only the parent suspend, reinstate or close a subaccount; a suspended one cannot send', async () => {
    const t = await tenant(h, 'cs:status');
    expect(await twilioFailure(t.client.api.v2010.accounts(t.account.sid).update({ status: 'active' }))).toMatchObject({ status: 403 });
    await h.twilio.platform().api.v2010.accounts(t.account.sid).update({ status: 'suspended' });
    expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+14155552671', body: 'x' }))).toMatchObject({ status: 403, code: 10001 });
    await h.twilio.platform().api.v2010.accounts(t.account.sid).update({ status: 'active' });
    await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'back' });
    await h.twilio.platform().api.v2010.accounts(t.account.sid).update({ status: 'closed' });
    expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+14155552671', body: 'x' }))).toMatchObject({ status: 401, code: 20003 });
    expect((await h.twilio.platform().api.v2010.accounts.list({ friendlyName: 'cs:status' }))[0].status).toBe('closed');
  });

  it('refuses bad sends with Twilio’s codes', async () => {
    const t = await tenant(h, 'cs:bad');
    expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '12', body: 'x' }))).toMatchObject({ code: 21211 });
    expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+14155552671', body: 'x'.repeat(1601) }))).toMatchObject({ code: 21617 });
    expect(await twilioFailure(t.client.messages.create({ from: '+14155559999', to: '+14155552671', body: 'x' }))).toMatchObject({ code: 21606 });
  });

  it('pages message lists and filters by To and From', async () => {
    const t = await tenant(h, 'cs:paging');
    for (let i = 0; i < 7; i++) await t.client.messages.create({ from: t.from, to: i % 2 ? '+14155552671' : '+14155552672', body: `m${i}` });
    const all = await t.client.messages.list({ pageSize: 2 });
    expect(all).toHaveLength(7);
    expect(new Set(all.map((m) => m.sid)).size).toBe(7);
    expect(await t.client.messages.list({ to: '+14155552671', pageSize: 2 })).toHaveLength(3);
    const firstPage = await t.client.messages.page({ pageSize: 3 });
    expect(firstPage.instances).toHaveLength(3);
    expect((await firstPage.nextPage())?.instances).toHaveLength(3);
  });

  it('cancels a queued message and redacts a final one', async () => {
    const t = await tenant(h, 'cs:cancel');
    await h.control('/__sandbox/throughput', { body: { sender: t.from, mps: 0.5 } });
    await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'first takes the slot' });
    const queued = await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'second waits' });
    expect((await t.client.messages(queued.sid).update({ status: 'canceled' })).status).toBe('canceled');
    const done = await t.client.messages.create({ from: t.from, to: '+14155552672', body: 'secret', statusCallback: `${receiver.base}/s` });
    expect(await twilioFailure(t.client.messages(done.sid).update({ body: '' }))).toMatchObject({ status: 400 });
    await h.control('/__sandbox/throughput', { body: { sender: t.from, mps: 1000 } });
  });

  it('drains each sender at its MPS and refuses queue overflow with 21611', async () => {
    const t = await tenant(h, 'cs:mps');
    // At 0.001 MPS the sender's queue (4 hours of segments) holds 14 one-segment messages.
    await h.control('/__sandbox/throughput', { body: { sender: t.from, mps: 0.001 } });
    for (let i = 0; i < 14; i++) await t.client.messages.create({ from: t.from, to: '+14155552671', body: `m${i}` });
    expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+14155552671', body: 'over' }))).toMatchObject({ code: 21611 });

    // At 4 MPS, 8 messages leave over about 2 seconds, never faster.
    const fast = await tenant(h, 'cs:mps-4');
    await h.control('/__sandbox/throughput', { body: { sender: fast.from, mps: 4 } });
    const sends: Array<{ sid: string }> = [];
    for (let i = 0; i < 8; i++)
      sends.push(await fast.client.messages.create({ from: fast.from, to: '+14155552671', body: `m${i}`, statusCallback: `${receiver.base}/mps` }));
    await until(() => sends.every((m) => statusesOf(m.sid).includes('sent')), 8000);
    const sentAt = (await Promise.all(sends.map((m) => fast.client.messages(m.sid).fetch()))).map((m) => m.dateSent.getTime()).sort();
    expect((sentAt[7] - sentAt[0]) / 1000).toBeGreaterThanOrEqual(1);
  });

  it('fails a message whose turn comes after its ValidityPeriod with 30036', async () => {
    const t = await tenant(h, 'cs:validity');
    await h.control('/__sandbox/throughput', { body: { sender: t.from, mps: 1 } });
    for (let i = 0; i < 3; i++) await t.client.messages.create({ from: t.from, to: '+14155552671', body: `ahead ${i}` });
    const late = await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'late', validityPeriod: 1, statusCallback: `${receiver.base}/exp` });
    await until(() => statusesOf(late.sid).length === 1, 8000);
    expect(statusesOf(late.sid)).toEqual(['failed']);
    expect(receiver.received.find((r) => r.params.MessageSid === late.sid)?.params.ErrorCode).toBe('30036');
    expect((await t.client.messages(late.sid).fetch()).errorCode).toBe(30036);
  });

  it('redacts a final message’s body', async () => {
    const t = await tenant(h, 'cs:redact');
    const sent = await t.client.messages.create({ from: t.from, to: '+14155552677', body: 'secret body', statusCallback: `${receiver.base}/r` });
    await until(() => statusesOf(sent.sid).length === 2);
    expect((await t.client.messages(sent.sid).update({ body: '' })).body).toBe('');
    expect((await t.client.messages(sent.sid).fetch()).body).toBe('');
  });

  it('deletes a message: afterwards fetching or deleting it answers 404 20404, lists leave it out', async () => {
    const t = await tenant(h, 'cs:delete');
    const other = await tenant(h, 'cs:delete-other');
    const sent = await t.client.messages.create({ from: t.from, to: '+14155552679', body: 'to be deleted', statusCallback: `${receiver.base}/d` });
    await until(() => statusesOf(sent.sid).length === 2);
    expect(await twilioFailure(other.client.api.v2010.accounts(t.account.sid).messages(sent.sid).remove())).toMatchObject({ status: 404, code: 20404 });
    expect(await t.client.messages(sent.sid).remove()).toBe(true);
    expect(await twilioFailure(t.client.messages(sent.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(await twilioFailure(t.client.messages(sent.sid).remove())).toMatchObject({ status: 404, code: 20404 });
    expect((await t.client.messages.list({ to: '+14155552679' })).map((m) => m.sid)).not.toContain(sent.sid);
  });

  it('draws carrier outcomes from failure rates, the same way for the same seed', async () => {
    const t = await tenant(h, 'cs:rates');
    const outcomes = async () => {
      await h.control('/__sandbox/carrier', { body: { failedRate: 0.3, undeliveredRate: 0.3, seed: 42 } });
      const sids: string[] = [];
      for (let i = 0; i < 30; i++)
        sids.push((await t.client.messages.create({ from: t.from, to: '+14155552678', body: `r${i}`, statusCallback: `${receiver.base}/rates` })).sid);
      await until(() => sids.every((sid) => statusesOf(sid).length === 2), 8000);
      return sids.map((sid) => statusesOf(sid).find((status) => status !== 'sent'));
    };
    const first = await outcomes();
    expect(new Set(first)).toEqual(new Set(['delivered', 'undelivered', 'failed']));
    expect(await outcomes()).toEqual(first);
    await h.control('/__sandbox/carrier', { body: {} });
  });

  it('releases a number: it is no longer owned and can no longer send', async () => {
    const t = await tenant(h, 'cs:release');
    const [owned] = await t.client.incomingPhoneNumbers.list();
    await t.client.incomingPhoneNumbers(owned.sid).remove();
    expect(await t.client.incomingPhoneNumbers.list()).toEqual([]);
    expect(await twilioFailure(t.client.messages.create({ from: t.from, to: '+14155552671', body: 'x' }))).toMatchObject({ code: 21606 });
  });

  it('sends through a Messaging Service from its first number, and refuses an empty or foreign one', async () => {
    const t = await tenant(h, 'cs:service');
    const service = await t.client.messaging.v1.services.create({ friendlyName: 'tenant sender pool' });
    expect(await twilioFailure(t.client.messages.create({ messagingServiceSid: service.sid, to: '+14155552671', body: 'x' }))).toMatchObject({ code: 21704 });
    const [number] = await t.client.incomingPhoneNumbers.list();
    await t.client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: number.sid });
    const sent = await t.client.messages.create({ messagingServiceSid: service.sid, to: '+14155552671', body: 'via service' });
    expect(sent).toMatchObject({ from: t.from, messagingServiceSid: service.sid });
    const other = await tenant(h, 'cs:service-other');
    expect(await twilioFailure(other.client.messages.create({ messagingServiceSid: service.sid, to: '+14155552671', body: 'x' }))).toMatchObject({
      code: 21701,
    });
  });

  it('records every accepted message in the ledger with the parameters sent', async () => {
    const t = await tenant(h, 'cs:ledger');
    await t.client.messages.create({ from: t.from, to: '+14155552671', body: 'counted', statusCallback: `${receiver.base}/l` });
    const { body } = await h.control(`/__sandbox/ledger?accountSid=${t.account.sid}`);
    expect(body.count).toBe(1);
    expect(body.entries[0].params).toEqual({ To: '+14155552671', From: t.from, Body: 'counted', StatusCallback: `${receiver.base}/l` });
  });
});
