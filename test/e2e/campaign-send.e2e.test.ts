import request from 'supertest';
import { activeTenant, platformHarness, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { recordHistoryIfAsked } from '../support/histories';
import { until } from '../support/sandbox';
import { eventually } from '../support/workflow-logic';
import { campaignWorkflowId } from '../../src/workflows/campaign-send/definitions';

/**
 * Campaigns end to end: the real API, worker, Temporal, PostgreSQL and the Twilio sandbox
 * (its ledger is the proof of what reached "Twilio"). Cadence and polls are seconds here.
 */
const COMPLIANT = 'Bright Smiles Dental: your checkup is due. Book at brightsmiles.example. Reply STOP to opt out.';

describe('campaign send', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({
      config: { ...FAST_CAMPAIGNS, RELAY_HEARTBEAT_TIMEOUT_SECONDS: '5', STATUS_REFRESH_AFTER_SECONDS: '5' },
    });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  type Ledger = { count: number; entries: Array<{ to: string; from: string; body: string; params: Record<string, string> }> };
  const ledger = async (from: string) => (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(from)}`)).body as Ledger;
  const lookups = async () => ((await p.sandbox.control('/__sandbox/lookups')).body as { lookups: unknown[] }).lookups.length;

  const createAndStart = async (auth: Record<string, string>, body = COMPLIANT, extra: Record<string, unknown> = {}) => {
    const created = await http()
      .post('/v1/campaigns')
      .set(auth)
      .send({ name: 'Checkup reminders', body, messageType: 'transactional', ...extra })
      .expect(201);
    const id = created.body.id as string;
    await http().post(`/v1/campaigns/${id}/start`).set(auth).expect(202).expect('location', `/v1/campaigns/${id}`);
    return id;
  };
  const finished = (auth: Record<string, string>, id: string, timeoutMs = 60_000) =>
    eventually(async () => {
      const res = await http().get(`/v1/campaigns/${id}`).set(auth).expect(200);
      return ['completed', 'canceled', 'refused'].includes(res.body.status as string) ? res.body : undefined;
    }, timeoutMs);

  it('reaches every eligible contact exactly once, drops the rest with reasons, and reports it all', async () => {
    const t = await activeTenant(p, { mps: 50 });
    // Who may not be texted, and why.
    await p.api.db('suppressions').insert({ tenant_id: t.id, phone_e164: '+14155550103', reason: 'opt_out', source: 'test' });
    await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: '+14155550104', lineType: 'landline' } });
    for (const n of ['+14155550101', '+14155550102', '+14155550106'])
      await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: n, lineType: 'mobile' } });
    await p.sandbox.control('/__sandbox/carrier', { body: { overrides: { '+14155550102': { status: 'undelivered', errorCode: 30003 } } } });
    const csv = [
      'phone,name,assigned_user,tags',
      '+14155550101,Ana,dana@brightsmiles.example,patients',
      '(415) 555-0102,Ben,dana@brightsmiles.example,patients',
      '415.555.0101,Ana again,dana@brightsmiles.example,patients', // same number, other format
      '+14155550103,Cy,dana@brightsmiles.example,patients', // opted out
      '+14155550104,Dee,dana@brightsmiles.example,patients', // landline
      '+1415555,Eve,dana@brightsmiles.example,patients', // not a number
      '+447911123456,Fay,dana@brightsmiles.example,patients', // outside the tenant's countries
      '+14155550106,Gus,dana@brightsmiles.example,patients',
    ].join('\n');
    expect((await http().post('/v1/contacts').set(t.auth).type('text/csv').send(csv).expect(201)).body).toEqual({ received: 8, created: 8, updated: 0 });

    const id = await createAndStart(t.auth);
    const done = await finished(t.auth, id);
    expect(done).toMatchObject({ status: 'completed', progress: { phase: 'completed', sent: 3, failed: 0, dropped: 5, final: 3 } });
    await recordHistoryIfAsked(p.api.temporal, campaignWorkflowId(id), 'completed');

    const sent = await ledger(t.from);
    expect(sent.entries.map((e) => e.to).sort()).toEqual(['+14155550101', '+14155550102', '+14155550106']);
    // Only To, From, Body and StatusCallback reach Twilio: nothing else about a contact.
    for (const e of sent.entries) expect(Object.keys(e.params).sort()).toEqual(['Body', 'From', 'StatusCallback', 'To']);
    expect(sent.entries[0].params.StatusCallback).toBe(`${p.config.PUBLIC_BASE_URL}/webhooks/twilio/status`);

    const report = (await http().get(`/v1/campaigns/${id}/report`).set(t.auth).expect(200)).body;
    expect(report).toMatchObject({
      status: 'completed',
      recipients: 8,
      dropped: { total: 5, byReason: { duplicate: 1, suppressed: 1, landline: 1, invalid: 1, country: 1 } },
      pending: 0,
      sending: 0,
      refused: { total: 0 },
      sent: 3,
      delivery: { delivered: 2, undelivered: 1, failed: 0, awaiting: 0, failedByErrorCode: { '30003': 1 } },
      encoding: 'GSM-7',
      segmentsPerMessage: 1,
      segmentsSent: 3,
    });
    expect(report.costEstimateUsd).toBeCloseTo(0.02, 2);

    const csvReport = await http()
      .get(`/v1/campaigns/${id}/report?format=csv`)
      .set(t.auth)
      .expect(200)
      .expect('content-type', /text\/csv/);
    const lines = csvReport.text.trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines.find((l) => l.includes('+14155550102'))).toMatch(/undelivered/);
    expect(lines.find((l) => l.includes('+14155550104'))).toMatch(/dropped,landline/);

    // The same audience again within the Lookup TTL: no new Lookup calls, and again once each.
    const lookupsBefore = await lookups();
    const again = await createAndStart(t.auth);
    expect((await finished(t.auth, again)).status).toBe('completed');
    expect(await lookups()).toBe(lookupsBefore);
    expect((await ledger(t.from)).count).toBe(6);
  }, 120_000);

  it('refuses to start blocked content and never sends it', async () => {
    const t = await activeTenant(p);
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone: '+14155550111', assignedUser: 'dana' }] })
      .expect(201);
    const created = await http()
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ name: 'Loans', body: 'Bright Smiles Dental: need cash fast? Payday loans approved in minutes! Reply STOP to opt out.', messageType: 'marketing' })
      .expect(201);
    expect(created.body.scan.blocked).toBe(true);
    const refused = await http()
      .post(`/v1/campaigns/${created.body.id}/start`)
      .set(t.auth)
      .expect(422)
      .expect('content-type', /application\/problem\+json/);
    expect(refused.body.detail).toMatch(/cannot be sent/);
    expect((await http().get(`/v1/campaigns/${created.body.id}`).set(t.auth).expect(200)).body).toMatchObject({ status: 'draft', progress: null });
    expect((await ledger(t.from)).count).toBe(0);
  });

  it('refuses a tenant under review, with the reason, before anything is sent', async () => {
    const t = await activeTenant(p);
    await p.api.db('tenants').where({ id: t.id }).update({ sending_state: 'under_review' });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone: '+14155550121', assignedUser: 'dana' }] })
      .expect(201);
    const id = await createAndStart(t.auth);
    const done = await finished(t.auth, id);
    expect(done).toMatchObject({ status: 'refused', refusalReason: expect.stringMatching(/under compliance review/) });
    await recordHistoryIfAsked(p.api.temporal, campaignWorkflowId(id), 'refused');
    expect((await ledger(t.from)).count).toBe(0);
  });

  it('records Twilio’s 21610 per message and suppresses that number from then on', async () => {
    const t = await activeTenant(p);
    await p.sandbox.control('/__sandbox/inbound', { body: { from: '+14155550131', to: t.from, body: 'STOP' } });
    // Twilio blocks the number; clearsend is made to miss the webhook, so only Twilio's 21610 can tell it.
    await p.api.db('suppressions').where({ tenant_id: t.id, phone_e164: '+14155550131' }).delete();
    await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: '+14155550131', lineType: 'mobile' } });
    await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: '+14155550132', lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({
        contacts: [
          { phone: '+14155550131', assignedUser: 'dana' },
          { phone: '+14155550132', assignedUser: 'dana' },
        ],
      })
      .expect(201);
    const id = await createAndStart(t.auth);
    await finished(t.auth, id);
    const report = (await http().get(`/v1/campaigns/${id}/report`).set(t.auth).expect(200)).body;
    expect(report).toMatchObject({ sent: 1, refused: { total: 1, byErrorCode: { '21610': 1 } } });
    expect(await p.api.db('suppressions').where({ tenant_id: t.id, phone_e164: '+14155550131' }).first()).toMatchObject({ reason: 'unsubscribed' });
  });

  it('sends each message once through injected 429s and 500s', async () => {
    const t = await activeTenant(p, { mps: 100 });
    const phones = Array.from({ length: 40 }, (_, i) => `+1415555${String(1000 + i)}`);
    for (const phone of phones) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: phones.map((phone) => ({ phone, assignedUser: 'dana' })) })
      .expect(201);
    const sub = (await p.api.db('tenant_credentials').where({ tenant_id: t.id }).first()).subaccount_sid as string;
    await p.sandbox.control('/__sandbox/faults', {
      body: { rate429: 0.25, rate500: 0.15, accountSid: sub, only: { method: 'POST', pathEndsWith: '/Messages.json' } },
    });
    try {
      const id = await createAndStart(t.auth);
      expect((await finished(t.auth, id, 90_000)).progress).toMatchObject({ sent: 40, failed: 0 });
      const injected = (await p.sandbox.control('/__sandbox/faults')).body.injected as Record<string, number>;
      expect(injected['429'] + injected['500']).toBeGreaterThan(0);
    } finally {
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
    }
    const sent = await ledger(t.from);
    expect(sent.entries.map((e) => e.to).sort()).toEqual([...phones].sort());
  }, 120_000);

  it('cancel stops further relays; what was not sent is dropped as canceled', async () => {
    const t = await activeTenant(p, { mps: 100 });
    const phones = Array.from({ length: 6 }, (_, i) => `+1415555${String(2000 + i)}`);
    for (const phone of phones) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: phones.map((phone) => ({ phone, assignedUser: 'dana' })) })
      .expect(201);
    // Two per batch, a batch a second: cancel after the first batch.
    const created = await http()
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ name: 'Slow', body: COMPLIANT, messageType: 'transactional', batchSize: 2 })
      .expect(201);
    const id = created.body.id as string;
    await http().post(`/v1/campaigns/${id}/start`).set(t.auth).expect(202);
    await until(async () => (await ledger(t.from)).count >= 2, 30_000);
    await http().post(`/v1/campaigns/${id}/cancel`).set(t.auth).expect(202);
    const done = await finished(t.auth, id);
    expect(done.status).toBe('canceled');
    await recordHistoryIfAsked(p.api.temporal, campaignWorkflowId(id), 'canceled');
    const report = (await http().get(`/v1/campaigns/${id}/report`).set(t.auth).expect(200)).body;
    expect(report.sent).toBe((await ledger(t.from)).count);
    expect(report.sent).toBeLessThan(6);
    expect(report.dropped.byReason.canceled).toBe(6 - report.sent);
    await http().post(`/v1/campaigns/${id}/cancel`).set(t.auth).expect(409);
  }, 60_000);

  it('keeps tenants apart and answers bad input with problems that change nothing', async () => {
    const a = await activeTenant(p);
    const b = await activeTenant(p);
    const created = await http().post('/v1/campaigns').set(a.auth).send({ name: 'Mine', body: COMPLIANT, messageType: 'transactional' }).expect(201);
    for (const path of [`/v1/campaigns/${created.body.id}`, `/v1/campaigns/${created.body.id}/report`]) await http().get(path).set(b.auth).expect(404);
    await http().post(`/v1/campaigns/${created.body.id}/start`).set(b.auth).expect(404);
    await http().get('/v1/campaigns/not-a-uuid').set(a.auth).expect(404);
    await http()
      .post('/v1/campaigns')
      .set(a.auth)
      .send({ name: 'x' })
      .expect(400)
      .expect('content-type', /problem\+json/);
    await http().post('/v1/campaigns').set(a.auth).send({ name: 'x', body: COMPLIANT, messageType: 'transactional', extra: 1 }).expect(400);
    await http().post('/v1/campaigns').send({ name: 'x', body: COMPLIANT, messageType: 'transactional' }).expect(401);

    const before = await p.api.db('contacts').where({ tenant_id: a.id }).count<{ n: string }[]>('* as n');
    const bad = await http().post('/v1/contacts').set(a.auth).type('text/csv').send('phone,assigned_user\n+14155550141,dana\n+14155550142,\n').expect(400);
    expect(bad.body).toMatchObject({ title: 'Invalid contacts', errors: [{ row: 3 }] });
    await http().post('/v1/contacts').set(a.auth).type('text/csv').send('name,owner\nAna,dana\n').expect(400);
    await http().post('/v1/contacts').set(a.auth).send({ contacts: [] }).expect(400);
    expect(await p.api.db('contacts').where({ tenant_id: a.id }).count<{ n: string }[]>('* as n')).toEqual(before);

    await http()
      .post('/v1/contacts')
      .set(a.auth)
      .send({ contacts: [{ phone: '+14155550143', assignedUser: 'dana', tags: ['vip'] }] })
      .expect(201);
    expect((await http().get('/v1/contacts').set(b.auth).expect(200)).body.contacts).toEqual([]);
    expect((await http().get('/v1/contacts?tag=vip').set(a.auth).expect(200)).body.contacts).toMatchObject([
      { phone: '+14155550143', assignedUser: 'dana', tags: ['vip'] },
    ]);
  });
});
