import { randomBytes } from 'node:crypto';
import request from 'supertest';
import twilio from 'twilio';
import { activeTenant, platformHarness, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { eventually } from '../support/workflow-logic';
import { handsetSays as say } from '../support/handset';

/**
 * Double opt-in by keyword (issue 15), through the sandbox's inbound simulation (signed like
 * Twilio's webhooks) and the campaign workflow: the keyword gets the confirmation request as the
 * webhook's TwiML answer, YES records consent with exactly those words, and a marketing campaign
 * then reaches the number. Twilio's retries answer the same and record once; a late YES records
 * nothing; another tenant's number does not know the keyword.
 */
const BRAND = 'Bright Smiles Dental';
const OFFER = 'Bright Smiles Dental: 20% off whitening this week. Book at brightsmiles.example. Reply STOP to opt out.';
const WORDING = `${BRAND}: Reply YES to confirm you want Bright Smiles offers texts. Up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`;
const CONFIRMED = `${BRAND}: you are subscribed to Bright Smiles offers texts. Reply HELP for help, STOP to opt out.`;
const [HANDSET, RETRIED, LATE] = ['+14155554201', '+14155554202', '+14155554203'];

type ContactView = { id: string; phone: string; tags: string[]; consent: { history: Array<Record<string, unknown>> } };

describe('double opt-in by keyword', () => {
  let p: PlatformHarness;
  let t: Awaited<ReturnType<typeof activeTenant>>;
  let other: Awaited<ReturnType<typeof activeTenant>>;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, STATUS_REFRESH_AFTER_SECONDS: '5' } });
    t = await activeTenant(p, { name: BRAND, mps: 100 });
    other = await activeTenant(p, { name: 'Harbor Pets', mps: 100 });
    await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: HANDSET, lineType: 'mobile' } });
    const set = await request(p.api.app)
      .put('/v1/opt-in-keywords/join')
      .set(t.auth)
      .send({ programName: 'Bright Smiles offers', frequency: 'Up to 4 msgs/month', purposes: ['marketing', 'transactional'] })
      .expect(200);
    expect(set.body).toMatchObject({ keyword: 'JOIN', confirmationRequest: WORDING });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const handsetSays = (from: string, body: string, to = t.from) => say(p, { from, to, body });
  const contactOf = async (phone: string, auth = t.auth) =>
    ((await http().get('/v1/contacts?limit=1000').set(auth).expect(200)).body.contacts as ContactView[]).find((c) => c.phone === phone);
  const twiml = (text: string) => `<Message>${text.replace('&', '&amp;')}</Message>`;

  it('JOIN asks for confirmation, YES records consent with the exact words, and marketing reaches the number', async () => {
    const join = await handsetSays(HANDSET, 'Join');
    expect(join.webhook.body).toContain(twiml(WORDING));
    expect(await contactOf(HANDSET)).toBeUndefined(); // nothing recorded before the YES
    // Another tenant's number does not know this tenant's keyword: there it is a reply like any other.
    expect((await handsetSays(HANDSET, 'JOIN', other.from)).webhook.body).toContain('<Response/>');

    const yes = await handsetSays(HANDSET, 'yes');
    expect(yes.webhook.body).toContain(twiml(CONFIRMED));
    const subscriber = (await contactOf(HANDSET))!;
    expect(subscriber.tags).toEqual(['JOIN']);
    expect(subscriber.consent.history).toEqual([
      expect.objectContaining({
        status: 'granted',
        method: 'keyword',
        source: 'JOIN',
        wording: WORDING,
        purposes: ['marketing', 'transactional'],
        recordedBy: `inbound:${yes.messageSid}`,
        evidence: { requestMessageSid: join.messageSid, confirmationMessageSid: yes.messageSid },
      }),
    ]);
    // A second YES (no request waiting) is Twilio's plain opt-in keyword: nothing more recorded.
    expect((await handsetSays(HANDSET, 'YES')).webhook.body).toContain('<Response/>');
    expect((await contactOf(HANDSET))!.consent.history).toHaveLength(1);

    const id = (
      await http().post('/v1/campaigns').set(t.auth).send({ name: 'Subscribers', body: OFFER, messageType: 'marketing', audienceTag: 'JOIN' }).expect(201)
    ).body.id as string;
    await http().post(`/v1/campaigns/${id}/start`).set(t.auth).expect(202);
    const done = await eventually(async () => {
      const res = await http().get(`/v1/campaigns/${id}`).set(t.auth).expect(200);
      return res.body.status === 'completed' ? (res.body as { progress: Record<string, unknown> }) : undefined;
    }, 120_000);
    expect(done.progress).toMatchObject({ sent: 1, dropped: 0 });
    const ledger = await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}&to=${encodeURIComponent(HANDSET)}`);
    expect(ledger.body.count).toBe(1);
    expect(await contactOf(HANDSET, other.auth)).toBeUndefined();
  }, 200_000);

  it('answers Twilio’s retries of JOIN and YES the same, and records one consent', async () => {
    const { subaccount_sid: accountSid } = await p.api.db('tenant_credentials').where({ tenant_id: t.id }).first<{ subaccount_sid: string }>('subaccount_sid');
    const token = p.sandbox.sandbox.store.accounts.get(accountSid)!.authToken;
    const url = `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`;
    const params = (body: string) => ({ MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: accountSid, From: RETRIED, To: t.from, Body: body });
    const post = async (form: Record<string, string>) =>
      (
        await http()
          .post('/webhooks/twilio/inbound')
          .set('x-twilio-signature', twilio.getExpectedTwilioSignature(token, url, form))
          .type('form')
          .send(form)
          .expect(200)
      ).text;

    const join = params('JOIN');
    expect([await post(join), await post(join)]).toEqual([expect.stringContaining(twiml(WORDING)), expect.stringContaining(twiml(WORDING))]);
    const yes = params('YES');
    expect([await post(yes), await post(yes)]).toEqual([expect.stringContaining(twiml(CONFIRMED)), expect.stringContaining(twiml(CONFIRMED))]);
    expect((await contactOf(RETRIED))!.consent.history).toEqual([expect.objectContaining({ recordedBy: `inbound:${yes.MessageSid}` })]);
    expect(await p.api.db('opt_in_confirmations').where({ tenant_id: t.id, phone_e164: RETRIED })).toHaveLength(1);
  });

  it('a YES after the request expired records nothing', async () => {
    await handsetSays(LATE, 'join');
    // A day passes (the request's own expiry, moved rather than waited for).
    await p.api
      .db('opt_in_confirmations')
      .where({ tenant_id: t.id, phone_e164: LATE })
      .update({ expires_at: p.api.db.raw(`now() - interval '1 second'`) });
    expect((await handsetSays(LATE, 'YES')).webhook.body).toContain('<Response/>');
    expect(
      await p.api
        .db('contact_consents')
        .where({ tenant_id: t.id, source: 'JOIN' })
        .whereIn('contact_id', p.api.db('contacts').where({ phone: LATE }).select('id')),
    ).toEqual([]);
  });
});
