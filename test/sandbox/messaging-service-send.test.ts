import { sandboxHarness, twilioFailure, until, webhookReceiver, type SandboxHarness } from '../support/sandbox';

/** A subaccount with two numbers and a Messaging Service holding only the first, its status callback at the receiver. */
async function registeredTenant(h: SandboxHarness, name: string, statusCallback: string) {
  const account = await h.twilio.platform().api.v2010.accounts.create({ friendlyName: name });
  const client = h.subaccountClient(account.sid, account.authToken);
  const available = await client.availablePhoneNumbers('US').local.list({ areaCode: 415, smsEnabled: true, limit: 2 });
  const [pooled, outside] = await Promise.all(available.map((n) => client.incomingPhoneNumbers.create({ phoneNumber: n.phoneNumber })));
  const service = await client.messaging.v1.services.create({ friendlyName: `${name} service`, statusCallback });
  await client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: pooled.sid });
  return { account, client, service, from: pooled.phoneNumber, outsideNumber: outside.phoneNumber };
}

/**
 * Sending through a tenant's Messaging Service with its own number as From, as the relay does
 * for a registered tenant (issue 14): Twilio's checks (the Service belongs to the account, the
 * number is in its pool), the Service's status callback for a message that names none, and the
 * service SID in the ledger. Every request and answer is held to Twilio's OpenAPI documents.
 */
describe('sandbox: messages through a Messaging Service', () => {
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

  const ledgerOf = async (accountSid: string) =>
    (await h.control(`/__sandbox/ledger?accountSid=${accountSid}`)).body.entries as Array<{ sid: string; from: string; messagingServiceSid?: string }>;
  const callbacksOf = (sid: string) => receiver.received.filter((r) => r.params.MessageSid === sid);

  it('sends from the pooled number, records the service SID, and posts statuses to the Service’s callback', async () => {
    const t = await registeredTenant(h, 'cs:svc-send', `${receiver.base}/service-status`);
    const sent = await t.client.messages.create({ messagingServiceSid: t.service.sid, from: t.from, to: '+14155552671', body: 'via the service' });
    expect(sent).toMatchObject({ from: t.from, messagingServiceSid: t.service.sid, status: 'queued' });
    expect(await ledgerOf(t.account.sid)).toEqual([expect.objectContaining({ sid: sent.sid, from: t.from, messagingServiceSid: t.service.sid })]);

    await until(() => callbacksOf(sent.sid).length === 2);
    const hooks = callbacksOf(sent.sid);
    expect(hooks.every((hook) => hook.path === '/service-status')).toBe(true);
    expect(hooks.every((hook) => receiver.isSignedBy(hook, t.account.authToken))).toBe(true);
    expect(hooks.map((hook) => hook.params.MessageStatus).sort()).toEqual(['delivered', 'sent']);
  });

  it('uses the message’s own StatusCallback instead of the Service’s', async () => {
    const t = await registeredTenant(h, 'cs:svc-own-callback', `${receiver.base}/service-status`);
    const sent = await t.client.messages.create({
      messagingServiceSid: t.service.sid,
      from: t.from,
      to: '+14155552672',
      body: 'own callback',
      statusCallback: `${receiver.base}/own-status`,
    });
    await until(() => callbacksOf(sent.sid).length === 2);
    expect(callbacksOf(sent.sid).map((hook) => hook.path)).toEqual(['/own-status', '/own-status']);
  });

  it('refuses a number outside the Service’s pool (21711) and another account’s Service (21701); nothing is sent', async () => {
    const t = await registeredTenant(h, 'cs:svc-refusals', `${receiver.base}/service-status`);
    const other = await registeredTenant(h, 'cs:svc-other', `${receiver.base}/service-status`);
    expect(
      await twilioFailure(t.client.messages.create({ messagingServiceSid: t.service.sid, from: t.outsideNumber, to: '+14155552673', body: 'x' })),
    ).toMatchObject({ status: 400, code: 21711 });
    expect(
      await twilioFailure(other.client.messages.create({ messagingServiceSid: t.service.sid, from: other.from, to: '+14155552673', body: 'x' })),
    ).toMatchObject({ status: 400, code: 21701 });
    expect(await ledgerOf(t.account.sid)).toEqual([]);
    expect(await ledgerOf(other.account.sid)).toEqual([]);
  });
});
