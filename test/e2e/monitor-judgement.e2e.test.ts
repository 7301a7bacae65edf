import request from 'supertest';
import { activeTenant, monitorReaches, platformHarness, startCampaignTo, startMonitor, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { eventually } from '../support/workflow-logic';
import { recordHistoryIfAsked } from '../support/histories';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { REMINDER_TITLE } from '../../src/domain/monitor-advice';

/**
 * The monitor's judgement against the real services: messages Twilio (the sandbox) refuses
 * when they are created count in the error rate as Twilio counts them, and a tenant that
 * stays warned is reminded every few seconds here (every three days by default) with its
 * current figures and advice for the error codes and campaigns behind them.
 */
describe('monitor judgement', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({
      config: {
        ...FAST_CAMPAIGNS,
        STATUS_REFRESH_AFTER_SECONDS: '5',
        MONITOR_MIN_VOLUME: '100',
        MONITOR_ESCALATE_AFTER_EVALUATIONS: '2',
        MONITOR_REMINDER_INTERVAL_SECONDS: '2',
      },
    });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const phones = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `+1628${prefix}${String(i).padStart(4, '0')}`);
  const campaignDone = (t: { auth: Record<string, string> }, id: string) =>
    eventually(async () => {
      const res = await http().get(`/v1/campaigns/${id}`).set(t.auth).expect(200);
      return res.body.status === 'completed' ? (res.body as { id: string; progress: { sent: number } }) : undefined;
    }, 180_000);
  /** A campaign to these numbers only (a tag of their own), where startCampaignTo sends to every contact. */
  const taggedCampaign = async (t: { auth: Record<string, string> }, phones: string[], name: string) => {
    for (const phone of phones) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    const tag = name.toLowerCase().replace(/\W+/g, '-');
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: phones.map((phone) => ({ phone, assignedUser: 'dana', tags: [tag] })) })
      .expect(201);
    const created = await http()
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ name, body: 'Bright Smiles Dental: checkup time. Reply STOP to opt out.', messageType: 'transactional', audienceTag: tag })
      .expect(201);
    await http()
      .post(`/v1/campaigns/${created.body.id as string}/start`)
      .set(t.auth)
      .expect(202);
    return created.body.id as string;
  };
  type Notice = { id: number; kind: string; title: string; body: string };
  const notices = async (t: { auth: Record<string, string> }) => (await http().get('/v1/notices?limit=500').set(t.auth).expect(200)).body.notices as Notice[];

  it('counts send-time refusals in the error rate, and keeps reminding a warned tenant with code- and campaign-specific advice', async () => {
    const t = await activeTenant(p, { mps: 200 });
    await startMonitor(p, t.id);
    const audience = phones('401', 100);
    // Three recipients had opted out at Twilio before (the sandbox refuses them with 21610 when
    // the message is created); two more are filtered by the carrier (30007). 5 of 100: approaching.
    for (const to of audience.slice(0, 3)) p.sandbox.sandbox.store.optOuts.add(`${t.from}|${to}`);
    await p.sandbox.control('/__sandbox/carrier', {
      body: { overrides: Object.fromEntries(audience.slice(3, 5).map((to) => [to, { status: 'failed', errorCode: 30007 }])) },
    });
    const promo = await campaignDone(t, await startCampaignTo(p, t, audience, 'Spring promo'));
    expect(promo.progress.sent).toBe(97);
    expect((await http().get(`/v1/campaigns/${promo.id}/report`).set(t.auth).expect(200)).body.refused).toEqual({ total: 3, byErrorCode: { 21610: 3 } });

    const warned = await monitorReaches(
      p,
      t.id,
      (s) =>
        s.state === 'warned' &&
        s.lastEvaluation?.rates.some((r) => r.metric === 'errorRate' && r.window === '7d' && r.numerator === 5 && r.denominator === 100),
    );
    expect([...(warned.lastEvaluation?.errorCodes ?? [])].sort((a, b) => a.code - b.code)).toEqual([
      { code: 21610, n: 3 },
      { code: 30007, n: 2 },
    ]);
    expect(warned.lastEvaluation?.campaigns).toEqual([
      expect.objectContaining({ campaignId: promo.id, name: 'Spring promo', sent: 97, refused: 3, errors: 5, delivered: 95 }),
    ]);
    expect((await http().get('/v1/reports/daily').set(t.auth).expect(200)).body).toMatchObject({ sends: 97, refused: 3, failed: 2 });

    // The warning itself already names the codes and the campaign behind them.
    const warning = (await notices(t)).find((n) => n.kind === 'monitor.warned');
    expect(warning?.body).toMatch(/21610, the recipient has opted out[^\n]*remove them/);
    expect(warning?.body).toContain('"Spring promo": 5 errors of 100 messages (5.00 %), 3 refused when sent');

    // Still warned two reminder intervals later: two reminders, each with the current figures.
    await eventually(async () => (await notices(t)).filter((n) => n.kind === 'monitor.reminder').length >= 2, 30_000);
    const [second, first] = (await notices(t)).filter((n) => n.kind === 'monitor.reminder').slice(-2);
    expect(first.title).toBe(REMINDER_TITLE);
    expect(first.body).toMatch(/\(reminder 1\)/);
    expect(second.body).toMatch(/\(reminder 2\)/);
    for (const reminder of [first, second]) {
      expect(reminder.body).toContain('error rate over the last 7d: 5.00 % (5 of 100)');
      expect(reminder.body).toMatch(/- 21610, the recipient has opted out \(replied STOP\) \(3\): These people asked not to be texted: remove them/);
      expect(reminder.body).toMatch(/- 30007, filtered by the carrier as unwanted or spam \(2\): .*send only to people who opted in/);
      expect(reminder.body).toContain('"Spring promo": 5 errors of 100 messages (5.00 %), 3 refused when sent');
    }

    // More traffic: a list with one unreachable number. 6 of 120 is still 5 %; the next reminder
    // has the new figures and names both campaigns, the one with most errors first.
    await p.sandbox.control('/__sandbox/carrier', { body: { overrides: { [phones('402', 20)[0]]: { status: 'undelivered', errorCode: 30003 } } } });
    expect((await campaignDone(t, await taggedCampaign(t, phones('402', 20), 'Clean list'))).progress.sent).toBe(20);
    const updated = await eventually(async () => (await notices(t)).find((n) => n.kind === 'monitor.reminder' && n.body.includes('(6 of 120)')), 60_000);
    expect(updated.body).toMatch(/"Spring promo": 5 errors[\s\S]*"Clean list": 1 errors of 20 messages \(5\.00 %\)/);
    expect(updated.body).toMatch(/- 30003, unreachable handset .*Clean your list/);

    // Each reminder is emailed to the tenant's contact as well.
    await eventually(async () => {
      const { messages } = (await p.sandbox.control('/__sandbox/mail?to=owner@tenant.example')).body as { messages: Array<{ subject: string; text: string }> };
      return messages.filter((m) => m.subject === REMINDER_TITLE && m.text.includes('(reminder 2)')).length === 1;
    }, 30_000);
    const state = await monitorReaches(p, t.id, (s) => (s.reminders?.sent ?? 0) >= 3);
    expect(state).toMatchObject({ state: 'warned', reminders: { warnedSeq: 1 } });
    expect(state.moves).toHaveLength(1);
    await recordHistoryIfAsked(p.api.temporal, monitorWorkflowId(t.id), 'warned-reminders');
  }, 420_000);
});
