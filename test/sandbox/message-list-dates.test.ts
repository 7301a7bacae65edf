import { sandboxHarness, until, webhookReceiver, type SandboxHarness } from '../support/sandbox';

/**
 * The Messages list's DateSent filters and the messages a webhook's TwiML answer sends, as
 * Twilio has them: what clearsend's retention pass relies on to find, in a subaccount, the old
 * messages whose SIDs it never recorded (HELP answers and the like).
 */
const DAY = 86_400_000;

describe('sandbox: listing messages by DateSent, and TwiML answers as messages', () => {
  let h: SandboxHarness;
  let inbound: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    h = await sandboxHarness();
    // Answers every inbound text with a TwiML <Message>, escaped as the twilio library writes it.
    inbound = await webhookReceiver(() => ({
      status: 200,
      body: '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Bright Smiles: help &amp; info at 415-555-0100. Reply STOP to opt out.</Message></Response>',
    }));
  });
  afterAll(async () => {
    await inbound.close();
    await h.close();
  });

  async function tenant(name: string) {
    const account = await h.twilio.platform().api.v2010.accounts.create({ friendlyName: name });
    const client = h.subaccountClient(account.sid, account.authToken);
    const [available] = await client.availablePhoneNumbers('US').local.list({ areaCode: 415, smsEnabled: true, limit: 1 });
    const number = await client.incomingPhoneNumbers.create({ phoneNumber: available.phoneNumber, smsUrl: `${inbound.base}/inbound`, smsMethod: 'POST' });
    return { account, client, from: number.phoneNumber };
  }
  /** Ages a message in the sandbox's store, as if Twilio had sent it `days` ago. */
  const age = (sid: string, days: number) => {
    const m = h.sandbox.store.messages.get(sid)!;
    m.dateCreated = m.dateSent = new Date(Date.now() - days * DAY);
  };

  it('filters DateSent< and DateSent> to the instant the twilio library sends, and pages', async () => {
    const t = await tenant('cs:dates');
    const sids: string[] = [];
    for (let i = 0; i < 6; i++) sids.push((await t.client.messages.create({ from: t.from, to: '+14155552671', body: `m${i}` })).sid);
    const [old1, old2, old3, , , young] = sids;
    age(old1, 40);
    age(old2, 31);
    age(old3, 30.5);
    age(sids[3], 29);
    age(sids[4], 2);
    const cutoff = new Date(Date.now() - 30 * DAY);

    const before = await t.client.messages.list({ dateSentBefore: cutoff, pageSize: 2 });
    expect(before.map((m) => m.sid).sort()).toEqual([old1, old2, old3].sort());
    const firstPage = await t.client.messages.page({ dateSentBefore: cutoff, pageSize: 2 });
    expect(firstPage.instances).toHaveLength(2);
    expect(firstPage.nextPageUrl).toContain('DateSent%3C=');
    expect((await firstPage.nextPage())?.instances.map((m) => m.sid)).toHaveLength(1);

    const after = await t.client.messages.list({ dateSentAfter: cutoff });
    expect(after.map((m) => m.sid).sort()).toEqual([sids[3], sids[4], young].sort());
    // Both bounds: a window.
    const window = await t.client.messages.list({ dateSentAfter: new Date(Date.now() - 35 * DAY), dateSentBefore: new Date(Date.now() - DAY) });
    expect(window.map((m) => m.sid).sort()).toEqual([old2, old3, sids[3], sids[4]].sort());

    // On the boundary: sent at the very instant counts as before it (Twilio's "on and before").
    const at = h.sandbox.store.messages.get(old3)!.dateSent!;
    expect((await t.client.messages.list({ dateSentBefore: at })).map((m) => m.sid).sort()).toEqual([old1, old2, old3].sort());
  });

  it('sends a TwiML <Message> answer as an outbound-reply message of the account, listed, fetched and redacted like any other', async () => {
    const t = await tenant('cs:twiml');
    const res = await h.control('/__sandbox/inbound', { body: { from: '+14155552690', to: t.from, body: 'HELP' } });
    expect(res.status).toBe(202);
    const { replySids, messageSid } = res.body as { replySids: string[]; messageSid: string };
    expect(replySids).toHaveLength(1);
    const reply = await t.client.messages(replySids[0]).fetch();
    expect(reply).toMatchObject({
      direction: 'outbound-reply',
      from: t.from,
      to: '+14155552690',
      body: 'Bright Smiles: help & info at 415-555-0100. Reply STOP to opt out.',
    });
    expect((await t.client.messages.list({})).map((m) => m.sid).sort()).toEqual([messageSid, replySids[0]].sort());
    // Not final yet: Twilio will not redact it; once delivered it will.
    await until(async () => (await t.client.messages(replySids[0]).fetch()).status === 'delivered');
    await t.client.messages(replySids[0]).update({ body: '' });
    expect((await t.client.messages(replySids[0]).fetch()).body).toBe('');

    // An answer without a <Message> sends nothing.
    const quiet = await webhookReceiver(() => ({ status: 200, body: '<?xml version="1.0" encoding="UTF-8"?><Response/>' }));
    try {
      const numbers = await t.client.incomingPhoneNumbers.list({ limit: 1 });
      await t.client.incomingPhoneNumbers(numbers[0].sid).update({ smsUrl: `${quiet.base}/inbound` });
      const silent = await h.control('/__sandbox/inbound', { body: { from: '+14155552691', to: t.from, body: 'thanks' } });
      expect(silent.body.replySids).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
