import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { issueApiKey } from '../../src/api/api-keys';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

/**
 * Message types and the body as sent, over HTTP: a campaign must say what kind of message it
 * is (or nothing is stored); the creation answer and the preview show the body with the brand
 * prefix and the opt-out footer, and the cost counts the segments they add.
 */
describe('message types and the body as sent (API)', () => {
  const INTERVAL_SECONDS = 3600;
  const config = testConfig({ OPT_OUT_FOOTER_INTERVAL_SECONDS: String(INTERVAL_SECONDS) });
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness(config);
  });
  afterAll(() => api.close());

  const tenant = async (businessName = 'Harbor Pets') => {
    const [row] = await api
      .db('tenants')
      .insert({
        slug: `t-${randomBytes(5).toString('hex')}`,
        business_name: businessName,
        status: 'active',
        lifecycle_step: 'active',
        owner_phone: '+14155552671',
        destination_countries: ['US'],
      })
      .returning<{ id: string }[]>('id');
    const { key } = await issueApiKey(api.db, { role: 'tenant', tenantId: row.id });
    return { id: row.id, auth: { authorization: `Bearer ${key}` } };
  };
  const campaignsOf = async (tenantId: string) => Number((await api.db('campaigns').where({ tenant_id: tenantId }).count<{ n: string }[]>('* as n'))[0].n);

  it.each([
    ['a missing', {}],
    ['an unknown', { messageType: 'promotional' }],
    ['a non-string', { messageType: 1 }],
  ])('refuses %s messageType with a 400 naming the field, storing nothing', async (_label, extra) => {
    const t = await tenant();
    const res = await request(api.app)
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ name: 'Grooming', body: 'Harbor Pets: grooming Tue 2pm.', ...extra })
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'messageType' })]);
    expect(await campaignsOf(t.id)).toBe(0);
  });

  it('refuses a body that the prefix and footer would take past 1,600 characters, storing nothing', async () => {
    const t = await tenant();
    const res = await request(api.app)
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ name: 'Long', body: 'a'.repeat(1590), messageType: 'marketing' })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body', message: expect.stringMatching(/1600/) })]);
    expect(await campaignsOf(t.id)).toBe(0);
  });

  it('stores the message type and shows it; a body without brand or opt-out line is not refused', async () => {
    const t = await tenant();
    const created = await request(api.app)
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ name: 'Grooming', body: 'Grooming is Tue 2pm.', messageType: 'transactional' })
      .expect(201);
    expect(created.body).toMatchObject({
      messageType: 'transactional',
      scan: { blocked: false, findings: [] },
      bodyAsSent: 'Harbor Pets: Grooming is Tue 2pm.\nReply STOP to opt out.',
      bodyAsSentSegments: { encoding: 'GSM-7', segments: 1 },
    });
    expect((await request(api.app).get(`/v1/campaigns/${created.body.id}`).set(t.auth).expect(200)).body).toMatchObject({
      messageType: 'transactional',
      status: 'draft',
    });
    expect(await api.db('campaigns').where({ id: created.body.id }).first()).toMatchObject({ message_type: 'transactional' });
  });

  it('counts the footer for the contacts who will get it, by message type', async () => {
    const t = await tenant();
    const phones = ['+14155554001', '+14155554002', '+14155554003', '+14155554004'];
    await request(api.app)
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: phones.map((phone) => ({ phone, assignedUser: 'dana' })) })
      .expect(201);
    // Told 10 minutes ago, told 2 hours ago (longer than the interval), and two never told.
    await api.db('opt_out_notices').insert([
      { tenant_id: t.id, phone_e164: phones[0], last_sent_at: new Date(Date.now() - 600_000) },
      { tenant_id: t.id, phone_e164: phones[1], last_sent_at: new Date(Date.now() - 2 * INTERVAL_SECONDS * 1000) },
    ]);
    // Another tenant's notice for the same number tells this tenant's contacts nothing.
    const other = await tenant('Other Co');
    await api.db('opt_out_notices').insert({ tenant_id: other.id, phone_e164: phones[2], last_sent_at: new Date() });

    // 152 characters with the brand: one segment, two with the footer.
    const body = `Harbor Pets: ${'a'.repeat(139)}`;
    const audience = async (messageType: string) =>
      (await request(api.app).post('/v1/campaigns').set(t.auth).send({ name: 'x', body, messageType }).expect(201)).body.audience;
    expect(await audience('marketing')).toEqual({ contacts: 4, optOutFooters: 3, segments: 7, costEstimateUsd: 0.06 });
    expect(await audience('transactional')).toEqual({ contacts: 4, optOutFooters: 2, segments: 6, costEstimateUsd: 0.05 });
    expect(await audience('conversational')).toEqual({ contacts: 4, optOutFooters: 2, segments: 6, costEstimateUsd: 0.05 });
    // Opt-out language of its own: no footer for anyone.
    const own = (
      await request(api.app)
        .post('/v1/campaigns')
        .set(t.auth)
        .send({ name: 'x', body: 'Harbor Pets: hi. Reply STOP to opt out.', messageType: 'marketing' })
        .expect(201)
    ).body;
    expect(own.audience).toMatchObject({ contacts: 4, optOutFooters: 0, segments: 4 });
  });

  describe('POST /v1/scan', () => {
    it('shows the body as it will be sent and does not call a missing brand or opt-out line a finding', async () => {
      const t = await tenant();
      const res = await request(api.app)
        .post('/v1/scan')
        .set(t.auth)
        .send({ body: 'Grooming is Tue 2pm.', messageType: 'marketing', recipients: 1000 })
        .expect(200);
      expect(res.body).toMatchObject({
        blocked: false,
        findings: [],
        messageType: 'marketing',
        bodyAsSent: 'Harbor Pets: Grooming is Tue 2pm.\nReply STOP to opt out.',
        bodyAsSentSegments: { encoding: 'GSM-7', segments: 1, characters: 56 },
        segments: { segments: 1 },
        costEstimateUsd: 8.3,
      });
      // A footer that crosses a segment boundary is priced as sent.
      const long = await request(api.app)
        .post('/v1/scan')
        .set(t.auth)
        .send({ body: `Harbor Pets: ${'a'.repeat(139)}`, recipients: 1000 })
        .expect(200);
      expect(long.body).toMatchObject({ segments: { segments: 1 }, bodyAsSentSegments: { segments: 2 }, costEstimateUsd: 16.6 });
      // Content findings stay: a payday loan is still blocked.
      const bad = await request(api.app).post('/v1/scan').set(t.auth).send({ body: 'Payday loans today!' }).expect(200);
      expect(bad.body.blocked).toBe(true);
    });

    it('refuses an unknown messageType with a 400 naming the field', async () => {
      const t = await tenant();
      const res = await request(api.app)
        .post('/v1/scan')
        .set(t.auth)
        .send({ body: 'hi', messageType: 'promo' })
        .expect(400)
        .expect('content-type', /problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'messageType' })]);
    });
  });
});
