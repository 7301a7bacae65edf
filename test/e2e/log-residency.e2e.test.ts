import request from 'supertest';
import twilio from 'twilio';
import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { registrationDetailsBody, signupBody } from '../support/api';
import { handsetSays } from '../support/handset';
import { captureLogs, type CapturedLogs } from '../support/log-capture';
import { FAST_CAMPAIGNS, platformHarness, stopMonitor, tenantReaches, type PlatformHarness } from '../support/platform';
import { eventually } from '../support/workflow-logic';

/**
 * Issue 15, data residency of logs: a realistic run through the whole platform (sign-up to
 * active, contacts, a campaign with a failed delivery, replies, STOP, HELP, an opt-out request,
 * bad requests carrying a phone number) with everything the API, the worker's activities and the
 * Temporal SDK log captured at `trace`, then no phone number used (E.164 or national forms) and
 * no message text used may appear in those logs, in `/metrics`, in the search attributes,
 * summaries and failure messages of the run's workflows, or in any problem+json answered.
 */

// Every number of the run, the owner's own included; none is used by another test file.
const OWNER = '+16465550177';
const REPRESENTATIVE = '+16465550178';
const DELIVERED = '+13125550141';
const FAILED = '+13125550142';
const STOPPER = '+13125550143';
const HELPER = '+13125550144';
const REPLIER = '+13125550145';
const OPTS_OUT = '+13125550146';
const NOT_A_CONTACT = '+13125550147';
const NOT_MAGIC = '+13125550148';
const IN_BAD_CSV = '+13125550149';
const MAGIC_FAILS = '+15005550002';
const NOT_HELD = '+13125550150';
const IN_BAD_JSON = '+13125550151';
const IN_BAD_PATH = '+13125550152';

// Every text of the run, each with a word found nowhere else.
const SAMPLE = 'Bright Smiles Dental: your Ocelotine cleaning is Tue 3pm. Reply STOP to opt out, HELP for help.';
const SANDBOX_BODY = 'Bright Smiles Dental: Pangolinade sandbox test. Reply STOP to opt out.';
const CAMPAIGN_BODY = 'Bright Smiles Dental: your Quokkafest checkup is due, book online. Reply STOP to opt out.';
const HELP_TEXT = 'Bright Smiles Dental: Axolotlia desk at owner@tenant.example. Reply STOP to opt out.';
const REPLY = 'Can the Wombatine appointment move to Friday?';
const NOT_INTERESTED = 'not interested in the Narwhalio deal';
const STRANGER = 'Who sent the Capybarra note?';

/** The ways a US number is written: E.164, digits with and without the 1, and the usual national punctuation. */
function writtenForms(e164: string): string[] {
  const d = e164.slice(2);
  const [a, b, c] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
  return [e164, d, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `${a} ${b} ${c}`];
}

/** Each forbidden string found in `text`, with a little of what surrounds it. */
function leaksIn(text: string, forbidden: string[]): string[] {
  return forbidden.flatMap((f) => {
    const at = text.indexOf(f);
    return at < 0 ? [] : [`${f} … ${text.slice(Math.max(0, at - 160), at + f.length + 80)}`];
  });
}

describe('no phone number or message text in logs, metrics, search attributes or errors', () => {
  let p: PlatformHarness;
  let logs: CapturedLogs;
  const problems: string[] = [];

  beforeAll(async () => {
    logs = captureLogs();
    p = await platformHarness({ log: logs.log, config: { ...FAST_CAMPAIGNS, MONITOR_INTERVAL_SECONDS: '1' } });
  });
  afterAll(async () => {
    await p?.close();
    logs?.restore();
  });

  /** A call's answer; a problem+json one is kept for the final check. */
  const answered = async (call: request.Test, status: number): Promise<Response> => {
    const res = await call;
    if (/problem\+json/.test(String(res.headers['content-type']))) problems.push(res.text);
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res;
  };
  const http = () => request(p.api.app);

  it('a run from sign-up to replies leaves none of its numbers or texts behind', async () => {
    // Sign-up, verification of the owner's phone, the sandbox step, review, to active.
    const registration = registrationDetailsBody();
    registration.business.representative.phone = REPRESENTATIVE;
    const signUp = await answered(
      http()
        .post('/v1/tenants')
        .send(signupBody({ ownerPhone: OWNER, sampleMessages: [SAMPLE, CAMPAIGN_BODY], registration })),
      202,
    );
    const id = signUp.body.tenant.id as string;
    const key = signUp.body.apiKey as string;
    const auth = { authorization: `Bearer ${key}` };
    await tenantReaches(p, id, key, (s) => s.step === 'verification' && s.verification.sentTo);
    await answered(http().post(`/v1/tenants/${id}/verification`).set(auth).send({ code: '000000' }), 422);
    const code = (await p.sandbox.control(`/__sandbox/verify/code?to=${encodeURIComponent(OWNER)}`)).body.code as string;
    await answered(http().post(`/v1/tenants/${id}/verification`).set(auth).send({ code }), 200);
    await tenantReaches(p, id, key, (s) => s.step === 'sandbox');
    // A real number where a magic one belongs: a 400 that must not say the number back.
    const notMagic = await answered(http().post('/v1/sandbox/messages').set(auth).send({ to: NOT_MAGIC, body: SANDBOX_BODY }), 400);
    expect(notMagic.body).toMatchObject({ title: 'NotMagicNumber', detail: expect.stringContaining('to') });
    await answered(http().post('/v1/sandbox/messages').set(auth).send({ to: MAGIC_FAILS, body: SANDBOX_BODY }), 422);
    for (let i = 0; i < 2; i++) await answered(http().post('/v1/sandbox/messages').set(auth).send({ to: '+15005550006', body: SANDBOX_BODY }), 201);
    await tenantReaches(p, id, key, (s) => s.step === 'review' && s.review);
    await answered(
      http()
        .post(`/v1/compliance/tenants/${id}/approve`)
        .set({ authorization: `Bearer ${p.staffKey}` })
        .send({ reason: 'opt-in page checked' }),
      202,
    );
    const active = await tenantReaches(p, id, key, (s) => s.step === 'active');
    const ownNumber = active.phoneNumber as string;
    await answered(http().patch(`/v1/tenants/${id}/settings`).set(auth).send({ helpText: HELP_TEXT, replyEmails: true }), 200);

    // Contacts, some typed in national form; a CSV whose bad quote sits next to a number is a 400.
    const contacts = [DELIVERED, FAILED, STOPPER, HELPER, REPLIER, OPTS_OUT];
    for (const phone of contacts) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await answered(
      http()
        .post('/v1/contacts')
        .set(auth)
        .send({ contacts: contacts.map((phone, i) => ({ phone: i % 2 ? writtenForms(phone)[2] : phone, assignedUser: 'dana' })) }),
      201,
    );
    const badCsv = await answered(
      http().post('/v1/contacts').set(auth).set('content-type', 'text/csv').send(`phone,assigned_user\n${IN_BAD_CSV} "x",dana\n`),
      400,
    );
    expect(badCsv.body.title).toBe('Bad CSV');

    // A campaign: one delivery fails at the carrier.
    await p.sandbox.control('/__sandbox/carrier', { body: { overrides: { [FAILED]: { status: 'undelivered', errorCode: 30003 } } } });
    const campaign = await answered(http().post('/v1/campaigns').set(auth).send({ name: 'Checkups', body: CAMPAIGN_BODY, messageType: 'transactional' }), 201);
    const campaignId = campaign.body.id as string;
    await answered(http().post(`/v1/campaigns/${campaignId}/start`).set(auth), 202);
    const done = await eventually(async () => {
      const res = await http().get(`/v1/campaigns/${campaignId}`).set(auth).expect(200);
      return res.body.status === 'completed' ? res.body : undefined;
    }, 60_000);
    expect(done.progress).toMatchObject({ sent: 6 });
    const report = (await http().get(`/v1/campaigns/${campaignId}/report`).set(auth).expect(200)).body;
    expect(JSON.stringify(report)).toContain('30003');

    // Replies: STOP, HELP, a question for the contact's user, a request to stop in free text, a stranger.
    await handsetSays(p, { from: STOPPER, to: ownNumber, body: 'STOP' });
    expect((await handsetSays(p, { from: HELPER, to: ownNumber, body: 'HELP' })).webhook.body).toContain('Axolotlia');
    await handsetSays(p, { from: REPLIER, to: ownNumber, body: REPLY });
    await handsetSays(p, { from: OPTS_OUT, to: ownNumber, body: NOT_INTERESTED });
    await handsetSays(p, { from: NOT_A_CONTACT, to: ownNumber, body: STRANGER });
    const requests = (await http().get('/v1/opt-out-requests').set(auth).expect(200)).body.requests as Array<{ id: number; status: string; from: string }>;
    const optOut = requests.find((r) => r.from === OPTS_OUT);
    expect(optOut).toBeDefined();
    if (optOut?.status === 'open') await answered(http().post(`/v1/opt-out-requests/${optOut.id}/confirm`).set(auth).send({}), 200);
    // The reply emails went out (their workflows ran and logged).
    await eventually(async () => ((await p.sandbox.control('/__sandbox/mail?to=dana@brightsmiles.example')).body as { count: number }).count >= 1, 30_000);

    // Staff lower the sender's MPS (the number is in the URL); a number the tenant does not send from is a 404.
    const staff = { authorization: `Bearer ${p.staffKey}` };
    const mpsOf = (phone: string) =>
      http()
        .put(`/v1/compliance/tenants/${id}/senders/${encodeURIComponent(phone)}/mps`)
        .set(staff);
    await answered(mpsOf(ownNumber).send({ mps: 1, reason: 'complaints' }), 200);
    await answered(mpsOf(NOT_HELD).send({ mps: 1, reason: 'complaints' }), 404);
    // An inbound webhook, validly signed by the tenant's subaccount, for a number it does not hold: 403, logged.
    const { subaccount_sid: accountSid } = await p.api.db('tenant_credentials').where({ tenant_id: id }).first<{ subaccount_sid: string }>('subaccount_sid');
    const token = p.sandbox.sandbox.store.accounts.get(accountSid)!.authToken;
    const form = { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: accountSid, From: REPLIER, To: NOT_HELD, Body: REPLY };
    const signature = twilio.getExpectedTwilioSignature(token, `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`, form);
    await answered(http().post('/webhooks/twilio/inbound').set('x-twilio-signature', signature).type('form').send(form), 403);
    // Malformed JSON around a number, and a mistyped route with a number in it.
    await answered(http().post('/v1/contacts').set(auth).set('content-type', 'application/json').send(`{"contacts":[{"phone": ${IN_BAD_JSON}}]}`), 400);
    await answered(http().get(`/v1/contact/${IN_BAD_PATH}`).set(auth), 404);

    // What operators read: /metrics, and each workflow this run started (its task queue is the run's own).
    const metrics = (await http().get('/metrics').expect(200)).text;
    // Visibility is eventually consistent: wait until every kind of workflow the run started is listed.
    const ran = ['tenantLifecycle', 'carrierRegistration', 'campaignSend', 'tenantMonitor', 'notificationEmail'];
    const listed = await eventually(async () => {
      const found: Array<{ workflowId: string; runId: string; type: string }> = [];
      for await (const wf of p.api.temporal.workflow.list({ query: `TaskQueue = '${p.config.TEMPORAL_TASK_QUEUE}'` })) found.push(wf);
      return ran.every((type) => found.some((wf) => wf.type === type)) ? found : undefined;
    }, 30_000);
    const visible: string[] = [];
    for (const wf of listed) {
      const handle = p.api.temporal.workflow.getHandle(wf.workflowId, wf.runId);
      const described = await handle.describe();
      const { events } = await handle.fetchHistory();
      // Payloads (inputs, results) are bytes here: what is text is failure messages, stack traces, identities.
      const history = JSON.stringify(events, (_k, v: unknown) => (v instanceof Uint8Array ? undefined : v));
      visible.push(
        JSON.stringify({
          id: wf.workflowId,
          type: wf.type,
          searchAttributes: described.searchAttributes,
          typed: described.typedSearchAttributes,
          memo: described.memo,
          summary: await described.staticSummary(),
          details: await described.staticDetails(),
        }),
        history,
      );
    }
    // The tenant's monitor evaluates every second: it is not left to load the tests after this one.
    await stopMonitor(p, id);

    const numbers = [
      OWNER,
      REPRESENTATIVE,
      ...contacts,
      NOT_A_CONTACT,
      NOT_MAGIC,
      IN_BAD_CSV,
      MAGIC_FAILS,
      NOT_HELD,
      IN_BAD_JSON,
      IN_BAD_PATH,
      ownNumber,
    ].flatMap(writtenForms);
    const texts = [SAMPLE, SANDBOX_BODY, CAMPAIGN_BODY, HELP_TEXT, REPLY, NOT_INTERESTED, STRANGER];
    const words = ['Ocelotine', 'Pangolinade', 'Quokkafest', 'Axolotlia', 'Wombatine', 'Narwhalio', 'Capybarra'];
    const forbidden = [...numbers, ...texts, ...words];

    const logged = logs.text();
    // The capture works: the run was logged, at every level, by the API, the activities and the SDK.
    expect(logged).toContain('"msg":"request completed"');
    expect(logged).toContain('"sdk":"temporal"');
    expect(logged).toContain(id);
    expect(logged).toContain(campaignId);
    expect(problems.length).toBeGreaterThanOrEqual(6);
    expect({
      logs: leaksIn(logged, forbidden),
      metrics: leaksIn(metrics, forbidden),
      workflows: leaksIn(visible.join('\n'), forbidden),
      problems: leaksIn(problems.join('\n'), forbidden),
    }).toEqual({ logs: [], metrics: [], workflows: [], problems: [] });
  }, 120_000);
});
