import { randomBytes } from 'node:crypto';
import request from 'supertest';
import twilio from 'twilio';
import { activeTenant, monitorReaches, platformHarness, startCampaignTo, startMonitor, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { eventually } from '../support/workflow-logic';
import { recordHistoryIfAsked } from '../support/histories';
import { emailWorkflowId } from '../../src/workflows/notification-email';
import { handsetSays as say } from '../support/handset';

/**
 * Replies from handsets, through the sandbox's inbound simulation (which signs and posts to the
 * number's SmsUrl as Twilio does) into clearsend's inbound webhook: keywords, reply routing to
 * a tenant's users with email through a real SMTP server, retries counted once, and the reports.
 */
describe('inbound replies', () => {
  let p: PlatformHarness;
  let t: Awaited<ReturnType<typeof activeTenant>>;
  let other: Awaited<ReturnType<typeof activeTenant>>;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, STATUS_REFRESH_AFTER_SECONDS: '5' } });
    t = await activeTenant(p, { mps: 100 });
    other = await activeTenant(p, { mps: 100 });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const handsetSays = (from: string, body: string, to = t.from) => say(p, { from, to, body });
  const completed = (id: string) =>
    eventually(async () => {
      const res = await http().get(`/v1/campaigns/${id}`).set(t.auth).expect(200);
      return res.body.status === 'completed' ? res.body : undefined;
    }, 180_000);
  const ledgerTo = async (to: string) =>
    ((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}&to=${encodeURIComponent(to)}`)).body as { count: number }).count;
  const [a, b, c] = ['+16285550101', '+16285550102', '+16285550103'];

  it('STOP keeps the next campaign from that number; START lets it through again', async () => {
    await completed(await startCampaignTo(p, t, [a, b], 'First'));
    expect([await ledgerTo(a), await ledgerTo(b)]).toEqual([1, 1]);

    const stop = await handsetSays(a, 'stop');
    expect(stop.webhook.body).toContain('<Response/>'); // Twilio itself confirms an opt-out
    expect(await p.api.db('suppressions').where({ tenant_id: t.id, phone_e164: a }).first()).toMatchObject({ reason: 'opt_out' });
    const second = await completed(await startCampaignTo(p, t, [a, b], 'Second'));
    expect(second.progress).toMatchObject({ sent: 1, dropped: 1 });
    const report = (
      await http()
        .get(`/v1/campaigns/${second.id as string}/report`)
        .set(t.auth)
        .expect(200)
    ).body;
    expect(report.dropped).toMatchObject({ total: 1, byReason: { suppressed: 1 } });
    expect([await ledgerTo(a), await ledgerTo(b)]).toEqual([1, 2]);

    await handsetSays(a, 'START');
    expect(await p.api.db('suppressions').where({ tenant_id: t.id, phone_e164: a }).first()).toBeUndefined();
    await completed(await startCampaignTo(p, t, [a, b], 'Third'));
    expect([await ledgerTo(a), await ledgerTo(b)]).toEqual([2, 3]);
  }, 400_000);

  it('answers HELP with the tenant’s help text', async () => {
    expect((await handsetSays(b, 'HELP')).webhook.body).toMatch(
      /<Message>Bright Smiles Dental: for help, contact owner@tenant\.example\..*Reply STOP to opt out\.<\/Message>/,
    );
    await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ helpText: 'Bright Smiles: call 415-555-0100. Reply STOP to opt out.' }).expect(200);
    expect((await handsetSays(b, 'info')).webhook.body).toContain('<Message>Bright Smiles: call 415-555-0100. Reply STOP to opt out.</Message>');
    await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ helpText: 'short' }).expect(400);
  });

  it('routes a free-text reply to the contact’s user as a notification and an email', async () => {
    await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ replyEmails: true }).expect(200);
    await http().put(`/v1/tenants/${t.id}/users/dana`).set(t.auth).send({ email: 'dana@brightsmiles.example' }).expect(200);
    await http().put(`/v1/tenants/${t.id}/users/dana`).set(t.auth).send({ email: 'not-an-email' }).expect(400);
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone: '(628) 555-0103', name: 'Pat Lee', assignedUser: 'dana' }] })
      .expect(201);

    await handsetSays(c, 'Can I move my cleaning to Friday?');
    const { notifications } = (await http().get('/v1/notifications?user=dana').set(t.auth).expect(200)).body as {
      notifications: Array<Record<string, unknown>>;
    };
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ user: 'dana', from: c, body: 'Can I move my cleaning to Friday?', contactName: 'Pat Lee' });
    const mail = await eventually(async () => {
      const { messages } = (await p.sandbox.control('/__sandbox/mail?to=dana@brightsmiles.example')).body as {
        messages: Array<{ subject: string; text: string }>;
      };
      return messages.length ? messages : undefined;
    });
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe(`Bright Smiles Dental: a reply from Pat Lee (${c})`);
    expect(mail[0].text).toContain('Can I move my cleaning to Friday?');
    await eventually(async () => (await http().get('/v1/notifications?user=dana').set(t.auth)).body.notifications[0].emailStatus === 'sent');
    const email = p.api.temporal.workflow.getHandle(emailWorkflowId('reply', String(notifications[0].id)));
    expect(await email.result()).toBe('sent');
    await recordHistoryIfAsked(p.api.temporal, email.workflowId, 'reply');

    // Not a contact: the tenant's default user (the owner) gets it.
    await handsetSays('+16285550199', 'Who is this?');
    const owner = (await http().get('/v1/notifications?user=owner').set(t.auth).expect(200)).body.notifications as Array<{
      from: string;
      contactId: string | null;
    }>;
    expect(owner).toEqual([expect.objectContaining({ from: '+16285550199', contactId: null })]);
    await eventually(async () => ((await p.sandbox.control('/__sandbox/mail?to=owner@tenant.example')).body as { count: number }).count === 1);

    // Another tenant sees none of it.
    expect((await http().get('/v1/notifications').set(other.auth).expect(200)).body.notifications).toEqual([]);
    expect((await http().get('/v1/notices').set(other.auth).expect(200)).body.notices).toEqual([]);
  });

  it('counts a retried webhook once, and refuses one without a valid signature', async () => {
    const { subaccount_sid: accountSid } = await p.api.db('tenant_credentials').where({ tenant_id: t.id }).first<{ subaccount_sid: string }>('subaccount_sid');
    const token = p.sandbox.sandbox.store.accounts.get(accountSid)!.authToken;
    const url = `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`;
    const post = (params: Record<string, string>, signature = twilio.getExpectedTwilioSignature(token, url, params)) =>
      http().post('/webhooks/twilio/inbound').set('x-twilio-signature', signature).type('form').send(params);
    const params = (body: string) => ({
      MessageSid: `SM${randomBytes(16).toString('hex')}`,
      AccountSid: accountSid,
      From: '+16285550177',
      To: t.from,
      Body: body,
    });
    const optOutsToday = async () => (await http().get('/v1/reports/daily').set(t.auth).expect(200)).body.optOuts as number;

    const before = await optOutsToday();
    const stop = params('STOPALL');
    for (let i = 0; i < 3; i++) await post(stop).expect(200);
    expect(await optOutsToday()).toBe(before + 1);
    const reply = params('Thanks!');
    await post(reply).expect(200);
    await post(reply).expect(200);
    expect(await p.api.db('notifications').where({ inbound_message_sid: reply.MessageSid }).count<{ n: string }[]>('* as n')).toEqual([{ n: '1' }]);

    const forged = params('STOP');
    await post(forged, 'not-a-signature').expect(403);
    await post({ ...forged, Body: 'START' }, twilio.getExpectedTwilioSignature(token, url, forged)).expect(403); // signed other content
    expect(await p.api.db('inbound_messages').where({ message_sid: forged.MessageSid }).first()).toBeUndefined();
    await post({ ...params('hi'), MessageSid: 'nope' }).expect(400);
  });

  it('reports opt-outs (JSON and CSV), the daily summary, and usage per subaccount for staff', async () => {
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'America/Los_Angeles' });
    const optOuts = (await http().get(`/v1/reports/opt-outs?from=${today}&to=${today}`).set(t.auth).expect(200)).body;
    expect(optOuts.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ phone: a, keyword: 'stop', stillSuppressed: false, assignedUser: 'dana' }),
        expect.objectContaining({ phone: '+16285550177', keyword: 'STOPALL', stillSuppressed: true }),
      ]),
    );
    const csv = await http().get(`/v1/reports/opt-outs?from=${today}&to=${today}&format=csv`).set(t.auth).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('phone,keyword,optedOutAt,sender,contactName,assignedUser,stillSuppressed');
    expect(csv.text).toContain(`${a},stop,`);
    await http().get('/v1/reports/opt-outs?from=2026-13-01').set(t.auth).expect(400);
    await http().get('/v1/reports/opt-outs?from=2026-11-20&to=2026-11-01').set(t.auth).expect(400);
    expect((await http().get(`/v1/reports/opt-outs?from=${today}&to=${today}`).set(other.auth).expect(200)).body.rows).toEqual([]);

    const daily = (await http().get('/v1/reports/daily').set(t.auth).expect(200)).body;
    expect(daily).toMatchObject({ date: today, complianceState: 'good', sends: 5, optOuts: 2, optIns: 1 }); // 2 + 1 (one suppressed) + 2
    expect(daily.replies).toBeGreaterThanOrEqual(4); // HELP, INFO, the rescheduling question, "Who is this?", "Thanks!"
    expect(daily.campaignsStarted).toHaveLength(3);
    await eventually(async () => (await http().get('/v1/reports/daily').set(t.auth)).body.deliveries === 5);

    const staff = { authorization: `Bearer ${p.staffKey}` };
    const usage = (await http().get(`/v1/compliance/usage?tenantId=${t.id}`).set(staff).expect(200)).body;
    expect(usage.rows).toEqual([
      expect.objectContaining({ tenantId: t.id, messages: 5, segments: 5, costEstimateUsd: 0.0415, subaccountSid: expect.stringMatching(/^AC/) }),
    ]);
    await http().get('/v1/compliance/usage').set(t.auth).expect(403);
    await http().get('/v1/compliance/usage?tenantId=nope').set(staff).expect(400);
  });

  describe('free-text opt-outs, read by the compliance engine', () => {
    let u: Awaited<ReturnType<typeof activeTenant>>;
    const [d, e] = ['+16285550111', '+16285550112'];
    const ledger = async (to: string) =>
      ((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(u.from)}&to=${encodeURIComponent(to)}`)).body as { count: number }).count;
    const says = async (from: string, body: string) => {
      const res = await p.sandbox.control('/__sandbox/inbound', { body: { from, to: u.from, body } });
      expect(res.body.webhook).toMatchObject({ delivered: true, status: 200 });
      return res.body as { webhook: { body: string } };
    };
    const done = (id: string) =>
      eventually(async () => {
        const res = await http().get(`/v1/campaigns/${id}`).set(u.auth).expect(200);
        return res.body.status === 'completed' ? (res.body as { id: string; progress: { sent: number; dropped: number } }) : undefined;
      }, 180_000);
    const report = async (id: string) =>
      (await http().get(`/v1/campaigns/${id}/report`).set(u.auth).expect(200)).body as {
        optOuts: { total: number; sent: number; rate: number | null; openRequests: number };
        replies: number;
      };
    beforeAll(async () => {
      u = await activeTenant(p, { mps: 100 });
      await startMonitor(p, u.id);
      await http().patch(`/v1/tenants/${u.id}/settings`).set(u.auth).send({ replyEmails: true }).expect(200);
      await http().put(`/v1/tenants/${u.id}/users/dana`).set(u.auth).send({ email: 'dana@free-text.example' }).expect(200);
    });

    it('suppresses a confident "please stop texting me" like STOP, attributed to the campaign that last messaged the number', async () => {
      const spring = (await done(await startCampaignTo(p, u, [d], 'Spring'))).id;
      const stop = await says(d, 'Please stop texting me');
      // One message confirms it (Twilio confirms keyword opt-outs itself; free text is clearsend's to answer).
      expect(stop.webhook.body).toMatch(
        /<Message>Bright Smiles Dental: you are unsubscribed and will receive no more messages\. Reply START to resubscribe\.<\/Message>/,
      );
      expect(await p.api.db('suppressions').where({ tenant_id: u.id, phone_e164: d }).first()).toMatchObject({
        reason: 'opt_out',
        source: expect.stringMatching(/^inbound-free-text:SM/),
      });
      expect(await report(spring)).toMatchObject({ replies: 1, optOuts: { total: 1, sent: 1, rate: 1, openRequests: 0 } });
      expect((await http().get('/v1/opt-out-requests?status=applied').set(u.auth).expect(200)).body.requests).toEqual([
        expect.objectContaining({ from: d, campaignId: spring, campaignName: 'Spring' }),
      ]);

      // The next campaign skips it: the sandbox ledger has no second message to it.
      const summer = await done(await startCampaignTo(p, u, [d, e], 'Summer'));
      expect(summer.progress).toMatchObject({ sent: 1, dropped: 1 });
      expect([await ledger(d), await ledger(e)]).toEqual([1, 1]);
      expect((await http().get('/v1/reports/daily').set(u.auth).expect(200)).body.optOuts).toBe(1);
    }, 400_000);

    it('holds an uncertain "not interested" for the tenant: listed, flagged to the user, suppressed only once confirmed', async () => {
      const summer = (await p.api.db('campaigns').where({ tenant_id: u.id, name: 'Summer' }).first<{ id: string }>('id')).id;
      const reply = await says(e, 'not interested');
      expect(reply.webhook.body).toContain('<Response/>');
      const open = (await http().get('/v1/opt-out-requests?status=open').set(u.auth).expect(200)).body.requests as Array<{
        id: string;
        from: string;
        campaignId: string;
        campaignName: string;
      }>;
      expect(open).toEqual([expect.objectContaining({ from: e, body: 'not interested', campaignId: summer, campaignName: 'Summer', assignedUser: 'dana' })]);
      const notification = (await http().get('/v1/notifications?user=dana').set(u.auth).expect(200)).body.notifications[0];
      expect(notification).toMatchObject({ from: e, body: 'not interested', optOutRequest: { id: open[0].id, status: 'open' } });
      const mail = await eventually(async () => {
        const { messages } = (await p.sandbox.control('/__sandbox/mail?to=dana@free-text.example')).body as {
          messages: Array<{ subject: string; text: string }>;
        };
        return messages.length ? messages[0] : undefined;
      });
      expect(mail.subject).toBe(`Bright Smiles Dental: a reply from ${e} (possible opt-out request)`);
      expect(mail.text).toContain(`POST /v1/opt-out-requests/${open[0].id}/confirm`);
      expect(await report(summer)).toMatchObject({ optOuts: { total: 0, openRequests: 1 } });

      // Not acted on yet: the next campaign still reaches it.
      await done(await startCampaignTo(p, u, [d, e], 'Autumn'));
      expect([await ledger(d), await ledger(e)]).toEqual([1, 2]);

      await http().post(`/v1/opt-out-requests/${open[0].id}/confirm`).set(u.auth).send({ reason: 'They asked on the phone too' }).expect(200);
      await http().post(`/v1/opt-out-requests/${open[0].id}/confirm`).set(u.auth).expect(409);
      expect(await report(summer)).toMatchObject({ optOuts: { total: 1, openRequests: 0 } });
      const winter = await done(await startCampaignTo(p, u, [d, e], 'Winter'));
      expect(winter.progress).toMatchObject({ sent: 0, dropped: 2 });
      expect([await ledger(d), await ledger(e)]).toEqual([1, 2]);
      await http().post(`/v1/opt-out-requests/${open[0].id}/dismiss`).set(other.auth).expect(404);

      // Both count in the tenant's opt-out rate and in the campaigns' figures the monitor reads.
      expect((await http().get('/v1/reports/daily').set(u.auth).expect(200)).body.optOuts).toBe(2);
      const evaluated = await monitorReaches(p, u.id, (s) =>
        s.lastEvaluation?.rates.some((r) => r.metric === 'optOutRate' && r.window === '7d' && r.numerator === 2),
      );
      expect(
        evaluated.lastEvaluation?.campaigns
          ?.filter((c) => c.optOuts > 0)
          .map((c) => [c.name, c.optOuts])
          .sort(),
      ).toEqual([
        ['Spring', 1],
        ['Summer', 1],
      ]);
    }, 400_000);
  });
});
