import request from 'supertest';
import twilio from 'twilio';
import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { registrationDetailsBody, signupBody } from '../support/api';
import { dataRetention } from '../../src/workflows/data-retention/workflow';
import { startDataRetentionOptions } from '../../src/workflows/data-retention/definitions';
import { handsetSays } from '../support/handset';
import { captureLogs, type CapturedLogs } from '../support/log-capture';
import { FAST_CAMPAIGNS, platformHarness, stopMonitor, tenantReaches, type PlatformHarness } from '../support/platform';
import { eventually } from '../support/workflow-logic';

/**
 * Issue 15, data residency of logs: a realistic run through the whole platform (sign-up to
 * active, users with email addresses and keys of their own, contacts with names and consent in
 * the words shown, a campaign with a failed delivery, replies, STOP, HELP, an opt-out request,
 * double opt-in by keyword, the contact export, a contact's erasure through its workflow, a
 * retention pass that purges and redacts, bad requests carrying a phone number) with everything
 * the API, the worker's activities and the Temporal SDK log captured at `trace`, then no phone
 * number used (E.164 or national forms), no message text or consent wording, no contact name and
 * no email address used may appear in those logs, in `/metrics`, in the search attributes,
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
const CONSENTED = '+13125550153';
const JOINER = '+13125550154';
const IN_ERASURE_PATH = '+13125550155';
const IN_KEYWORD = '+13125550156';
const IN_BAD_CONSENT = '+13125550157';
const IN_CONSENTS_PATH = '+13125550158';

// Every text of the run, each with a word found nowhere else.
const SAMPLE = 'Bright Smiles Dental: your Ocelotine cleaning is Tue 3pm. Reply STOP to opt out, HELP for help.';
const SANDBOX_BODY = 'Bright Smiles Dental: Pangolinade sandbox test. Reply STOP to opt out.';
const CAMPAIGN_BODY = 'Bright Smiles Dental: your Quokkafest checkup is due, book online. Reply STOP to opt out.';
const HELP_TEXT = 'Bright Smiles Dental: Axolotlia desk at owner@tenant.example. Reply STOP to opt out.';
const REPLY = 'Can the Wombatine appointment move to Friday?';
const NOT_INTERESTED = 'not interested in the Narwhalio deal';
const STRANGER = 'Who sent the Capybarra note?';
/** The words a paper form showed, and a web form's, recorded as each consent's wording. */
const PAPER_WORDING = 'I agree to Bright Smiles Dental Tarsierine reminders by text. Msg & data rates may apply. Reply STOP to opt out.';
const WEB_WORDING = 'Yes, text me Bright Smiles Dental Galagoish offers. Up to 4 msgs/month. Msg & data rates may apply. Reply STOP to opt out.';
/** The double opt-in program's name: its confirmation request and confirmation say it. */
const PROGRAM = 'Bright Smiles Numbatish offers';
const ERASURE_REASON = 'asked at the Dugongal front desk';

// Every person's name (the contacts', the tenant's contact and representative) and every email address of the run.
const OWNER_NAME = 'Dana Ortegazza';
const REPLIER_NAME = 'Rosalind Kinkajouvic';
const CONSENTED_NAME = 'Ignatius Pudulescu';
const OWNER_EMAIL = 'front.desk.okapine@brightsmiles.example';
const REPRESENTATIVE_EMAIL = 'dana.ortiz.serowsky@brightsmiles.example';
const USER_EMAIL = 'dana.margayton@brightsmiles.example';
const VIEWER_EMAIL = 'vera.quollard@brightsmiles.example';
const REFUSED_EMAIL = 'erin.fossanek@brightsmiles.example';
const HELP_EMAIL = 'owner@tenant.example';

/** The ways a US number is written: E.164, digits with and without the 1, and the usual national punctuation. */
function writtenForms(e164: string): string[] {
  const d = e164.slice(2);
  const [a, b, c] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
  return [e164, d, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `${a} ${b} ${c}`];
}

/**
 * What the payloads of a workflow history say (inputs, results, heartbeats, queries' and
 * signals' arguments): each `data` decoded, whether the history holds it as bytes or base64.
 */
function payloadTexts(events: unknown): string[] {
  const texts: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (key === 'data' && v instanceof Uint8Array) texts.push(Buffer.from(v).toString('utf8'));
    else if (key === 'data' && typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v)) texts.push(Buffer.from(v, 'base64').toString('utf8'));
    else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object' && !(v instanceof Uint8Array)) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(events);
  return texts;
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
    registration.business.representative.email = REPRESENTATIVE_EMAIL;
    registration.business.representative.lastName = 'Ortegazza';
    const signUp = await answered(
      http()
        .post('/v1/tenants')
        .send(signupBody({ ownerPhone: OWNER, contact: { name: OWNER_NAME, email: OWNER_EMAIL }, sampleMessages: [SAMPLE, CAMPAIGN_BODY], registration })),
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

    // Users with email addresses (replies routed to dana are emailed to hers) and keys of their own; an unknown role is a 400.
    const userKey = async (name: string, change: Record<string, unknown>) => {
      await answered(http().put(`/v1/tenants/${id}/users/${name}`).set(auth).send(change), 200);
      const issued = await answered(http().post(`/v1/tenants/${id}/users/${name}/api-keys`).set(auth).send({}), 201);
      return { authorization: `Bearer ${issued.body.apiKey as string}` };
    };
    const dana = await userKey('dana', { role: 'sender', email: USER_EMAIL });
    const vera = await userKey('vera', { role: 'viewer', email: VIEWER_EMAIL });
    const unknownRole = await answered(http().put(`/v1/tenants/${id}/users/erin`).set(auth).send({ role: 'superuser', email: REFUSED_EMAIL }), 400);
    expect(unknownRole.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);

    // Contacts, some typed in national form; a CSV whose bad quote sits next to a number is a 400.
    const contacts = [DELIVERED, FAILED, STOPPER, HELPER, REPLIER, OPTS_OUT];
    for (const phone of contacts) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await answered(
      http()
        .post('/v1/contacts')
        .set(auth)
        .send({
          contacts: contacts.map((phone, i) => ({
            phone: i % 2 ? writtenForms(phone)[2] : phone,
            assignedUser: 'dana',
            ...(phone === REPLIER ? { name: REPLIER_NAME } : {}),
          })),
        }),
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
    await eventually(
      async () => ((await p.sandbox.control(`/__sandbox/mail?to=${encodeURIComponent(USER_EMAIL)}`)).body as { count: number }).count >= 1,
      30_000,
    );

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

    // Consent in the words shown: a paper form at upload by dana's own key, a web form afterwards;
    // consent without its wording, and consents of a "contact" that is a phone number, are refused.
    const contactIdOf = async (phone: string) =>
      ((await http().get('/v1/contacts?limit=1000').set(auth).expect(200)).body.contacts as Array<{ id: string; phone: string }>).find((c) => c.phone === phone)
        ?.id;
    await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: CONSENTED, lineType: 'mobile' } });
    const paper = { optedInAt: '2026-11-20T10:00:00Z', method: 'paper_form', source: 'front desk form', wording: PAPER_WORDING, purposes: ['transactional'] };
    await answered(
      http()
        .post('/v1/contacts')
        .set(dana)
        .send({ contacts: [{ phone: CONSENTED, name: CONSENTED_NAME, assignedUser: 'dana', consent: paper }] }),
      201,
    );
    const consentedId = (await contactIdOf(CONSENTED))!;
    const web = {
      optedInAt: '2026-11-21T10:00:00Z',
      method: 'web_form',
      source: 'https://brightsmiles.example/texts',
      wording: WEB_WORDING,
      purposes: ['marketing'],
    };
    await answered(http().post(`/v1/contacts/${consentedId}/consents`).set(dana).send(web), 201);
    const noWording = await answered(
      http()
        .post(`/v1/contacts/${consentedId}/consents`)
        .set(dana)
        .send({ ...web, source: IN_BAD_CONSENT, wording: 'yes' }),
      400,
    );
    expect(noWording.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'wording' })]));
    await answered(
      http()
        .post(`/v1/contacts/${encodeURIComponent(IN_CONSENTS_PATH)}/consents`)
        .set(dana)
        .send(web),
      404,
    );
    // The export carries each contact's consent history (and their names): read, audited, never logged.
    const exported = await answered(http().get('/v1/contacts?format=csv').set(auth), 200);
    expect(exported.text).toContain('Galagoish');

    // Double opt-in by keyword: JOIN gets the confirmation request, YES records consent and is confirmed.
    const keyword = await answered(
      http()
        .put('/v1/opt-in-keywords/join')
        .set(auth)
        .send({ programName: PROGRAM, frequency: 'Up to 4 msgs/month', purposes: ['marketing', 'transactional'] }),
      200,
    );
    const optInRequest = keyword.body.confirmationRequest as string;
    expect(optInRequest).toContain(PROGRAM);
    await answered(
      http()
        .put(`/v1/opt-in-keywords/${encodeURIComponent(IN_KEYWORD)}`)
        .set(auth)
        .send({ programName: PROGRAM, frequency: 'Up to 4 msgs/month', purposes: ['marketing'] }),
      400,
    );
    const messageOf = (twiml: string) => /<Message>([^<]*)<\/Message>/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
    expect(messageOf((await handsetSays(p, { from: JOINER, to: ownNumber, body: 'Join' })).webhook.body)).toBe(optInRequest);
    const subscribed = messageOf((await handsetSays(p, { from: JOINER, to: ownNumber, body: 'YES' })).webhook.body);
    expect(subscribed).toContain(PROGRAM);
    const joinerId = (await contactIdOf(JOINER))!;
    const joined = (await http().get(`/v1/contacts/${joinerId}/consents`).set(auth).expect(200)).body.history as Array<Record<string, unknown>>;
    expect(joined).toEqual([expect.objectContaining({ method: 'keyword', source: 'JOIN', wording: optInRequest })]);

    // Erasure of a contact with a message, a reply and an emailed notification, through its workflow.
    // An unknown contact, a phone number where the id belongs, an unknown field: 404, 404, 400; a viewer: 403.
    const replierId = (await contactIdOf(REPLIER))!;
    const erase = (contactId: string, who: Record<string, string> = auth) => http().post(`/v1/contacts/${contactId}/erasure`).set(who);
    await answered(erase('00000000-0000-4000-8000-000000000000').send({}), 404);
    await answered(erase(encodeURIComponent(IN_ERASURE_PATH)).send({}), 404);
    await answered(erase(replierId).send({ reason: ERASURE_REASON, phone: REPLIER }), 400);
    await answered(erase(replierId, vera).send({ reason: ERASURE_REASON }), 403);
    const erasure = await answered(erase(replierId).send({ reason: ERASURE_REASON }), 202);
    expect(erasure.body.erased).toMatchObject({ contacts: 1, messages: 1 });
    const erased = await eventually(async () => {
      const view = (
        await http()
          .get(`/v1/erasures/${erasure.body.id as string}`)
          .set(auth)
          .expect(200)
      ).body;
      return view.finishedAt ? view : undefined;
    }, 30_000);
    expect(erased.twilio).toMatchObject({ failures: 0 });
    expect(erased.twilio.redacted).toBeGreaterThanOrEqual(2);
    await answered(http().get('/v1/erasures/00000000-0000-4000-8000-000000000000').set(auth), 404);

    // Retention: out of range is a 400; 7 days, with a retention day of a tenth of a second, purges every body
    // of the run here and redacts it at Twilio within a pass or two (its own workflow, this tenant only).
    for (const retentionDays of [6, 731]) await answered(http().patch(`/v1/tenants/${id}/settings`).set(auth).send({ retentionDays }), 400);
    await answered(http().patch(`/v1/tenants/${id}/settings`).set(auth).send({ retentionDays: 7 }), 200);
    await answered(http().get(`/v1/tenants/${id}/retention-runs?limit=0`).set(auth), 400);
    const retention = await p.api.temporal.workflow.start(dataRetention, {
      ...startDataRetentionOptions({ intervalMs: 500, dayMs: 100, onlyTenantIds: [id] }, `data-retention/log-residency-${randomBytes(4).toString('hex')}`),
      taskQueue: p.config.TEMPORAL_TASK_QUEUE,
    });
    try {
      const purged = await eventually(async () => {
        const runs = (await http().get(`/v1/tenants/${id}/retention-runs`).set(auth).expect(200)).body.runs as Array<Record<string, number>>;
        const sum = (k: string) => runs.reduce((n, r) => n + Number(r[k]), 0);
        const left = await p.api.db('outbox').where({ tenant_id: id }).whereNotNull('body').count<Array<{ count: string }>>({ count: '*' });
        const leftIn = await p.api.db('inbound_messages').where({ tenant_id: id }).whereNot({ body: '' }).count<Array<{ count: string }>>({ count: '*' });
        const totals = { outbound: sum('outboundPurged'), inbound: sum('inboundPurged'), redacted: sum('twilioRedacted') };
        return Number(left[0].count) === 0 && Number(leftIn[0].count) === 0 && totals.redacted >= totals.outbound + totals.inbound ? totals : undefined;
      }, 30_000);
      expect(purged.outbound).toBeGreaterThanOrEqual(4);
      expect(purged.inbound).toBeGreaterThanOrEqual(4);
    } finally {
      await retention.terminate('test over');
    }

    // What operators read: /metrics, and each workflow this run started (its task queue is the run's own).
    const metrics = (await http().get('/metrics').expect(200)).text;
    // Visibility is eventually consistent: wait until every kind of workflow the run started is listed.
    const ran = ['tenantLifecycle', 'carrierRegistration', 'campaignSend', 'tenantMonitor', 'notificationEmail', 'contactErasure', 'dataRetention'];
    const listed = await eventually(async () => {
      const found: Array<{ workflowId: string; runId: string; type: string }> = [];
      for await (const wf of p.api.temporal.workflow.list({ query: `TaskQueue = '${p.config.TEMPORAL_TASK_QUEUE}'` })) found.push(wf);
      return ran.every((type) => found.some((wf) => wf.type === type)) ? found : undefined;
    }, 30_000);
    const visible: string[] = [];
    const payloads: string[] = [];
    for (const wf of listed) {
      const handle = p.api.temporal.workflow.getHandle(wf.workflowId, wf.runId);
      const described = await handle.describe();
      const { events } = await handle.fetchHistory();
      // Without its payloads (checked on their own below): failure messages, stack traces, identities.
      const history = JSON.stringify(events, (k, v: unknown) => (k === 'data' ? undefined : v));
      payloads.push(...payloadTexts(events));
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
      CONSENTED,
      JOINER,
      IN_ERASURE_PATH,
      IN_KEYWORD,
      IN_BAD_CONSENT,
      IN_CONSENTS_PATH,
      ownNumber,
    ].flatMap(writtenForms);
    const texts = [SAMPLE, SANDBOX_BODY, CAMPAIGN_BODY, HELP_TEXT, REPLY, NOT_INTERESTED, STRANGER, PAPER_WORDING, WEB_WORDING, optInRequest, subscribed!];
    const words = ['Ocelotine', 'Pangolinade', 'Quokkafest', 'Axolotlia', 'Wombatine', 'Narwhalio', 'Capybarra', 'Tarsierine', 'Galagoish', 'Numbatish'];
    const names = [OWNER_NAME, REPLIER_NAME, CONSENTED_NAME].flatMap((n) => [n, n.split(' ')[1]]);
    const emails = [OWNER_EMAIL, REPRESENTATIVE_EMAIL, USER_EMAIL, VIEWER_EMAIL, REFUSED_EMAIL, HELP_EMAIL];
    const forbidden = [...numbers, ...texts, ...words, ...names, ...emails, ERASURE_REASON, 'Dugongal'];
    // Workflow inputs and results carry ids, never what people wrote, their names or addresses, nor a
    // person's number; they may name the tenant's own sending number and Twilio's magic test number.
    const notPersonal = new Set([ownNumber, MAGIC_FAILS].flatMap(writtenForms));
    const personal = forbidden.filter((f) => !notPersonal.has(f));

    const logged = logs.text();
    // The capture works: the run was logged, at every level, by the API, the activities and the SDK.
    expect(logged).toContain('"msg":"request completed"');
    expect(logged).toContain('"sdk":"temporal"');
    expect(logged).toContain(id);
    expect(logged).toContain(campaignId);
    expect(logged).toContain(erasure.body.id);
    expect(logged).toContain(retention.workflowId);
    // The payloads were read: the retention pass's input names the tenant it was limited to.
    expect(payloads.join('\n')).toContain(`"onlyTenantIds":["${id}"]`);
    expect(problems.length).toBeGreaterThanOrEqual(16);
    expect({
      logs: leaksIn(logged, forbidden),
      metrics: leaksIn(metrics, forbidden),
      workflows: leaksIn(visible.join('\n'), forbidden),
      payloads: leaksIn(payloads.join('\n'), personal),
      problems: leaksIn(problems.join('\n'), forbidden),
    }).toEqual({ logs: [], metrics: [], workflows: [], payloads: [], problems: [] });
  }, 120_000);
});
