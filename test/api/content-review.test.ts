import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { issueApiKey } from '../../src/api/api-keys';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

/**
 * The compliance judgement over HTTP: `POST /v1/scan` and campaign creation judge with the
 * tenant's route and declared age gate; `review` content waits for a person (the staff queue
 * shows its findings with spans, decisions are audited) and `block` content never starts.
 */
describe('content judgement and review (API)', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let staff: { authorization: string };
  beforeAll(async () => {
    api = await apiHarness(config);
    staff = { authorization: `Bearer ${await api.staffKey('rita')}` };
  });
  afterAll(() => api.close());

  /** A draft-only tenant (no workflow needed): its KYC says whether it age-gates, its number which route it is on. */
  const tenant = async (opts: { ageGate?: boolean; number?: string } = {}) => {
    const [row] = await api
      .db('tenants')
      .insert({
        slug: `t-${randomBytes(5).toString('hex')}`,
        business_name: 'Riverside Grill',
        status: 'active',
        lifecycle_step: 'active',
        owner_phone: '+14155552671',
        destination_countries: ['US'],
      })
      .returning<{ id: string }[]>('id');
    await api
      .db('kyc_submissions')
      .insert({ tenant_id: row.id, submission: JSON.stringify({ businessName: 'Riverside Grill', ageGate: opts.ageGate ?? false }) });
    if (opts.number) {
      await api.db('tenant_phone_numbers').insert({
        phone_number_sid: `PN${randomBytes(16).toString('hex')}`,
        tenant_id: row.id,
        subaccount_sid: `AC${randomBytes(16).toString('hex')}`,
        phone_number: opts.number,
        sms_url: 'http://127.0.0.1/x',
      });
    }
    const { key } = await issueApiKey(api.db, { role: 'tenant', tenantId: row.id });
    return { id: row.id, auth: { authorization: `Bearer ${key}` } };
  };
  const beer = 'Riverside Grill: $4 craft beer pints all night, happy hour 4-7.';
  const createCampaign = (auth: Record<string, string>, body: string) =>
    request(api.app).post('/v1/campaigns').set(auth).send({ name: 'Tonight', body, messageType: 'marketing' });

  it('scan: age-gated content is review without a declared age gate and warn with one; blocked follows', async () => {
    const ungated = await tenant();
    const gated = await tenant({ ageGate: true });
    const a = await request(api.app).post('/v1/scan').set(ungated.auth).send({ body: beer }).expect(200);
    expect(a.body.blocked).toBe(true);
    expect(a.body.findings).toEqual([
      expect.objectContaining({
        code: 'age_gated.alcohol',
        verdict: 'review',
        span: expect.objectContaining({ text: expect.stringMatching(/beer/i) }),
        source: expect.objectContaining({ url: expect.stringMatching(/^https:/) }),
      }),
    ]);
    const b = await request(api.app).post('/v1/scan').set(gated.auth).send({ body: beer }).expect(200);
    expect(b.body).toMatchObject({ blocked: false, findings: [expect.objectContaining({ verdict: 'warn' })] });
  });

  it('scan: the route decides too — vapes are blocked on a toll-free sender even with an age gate', async () => {
    const t = await tenant({ ageGate: true, number: '+18335550142' });
    const res = await request(api.app).post('/v1/scan').set(t.auth).send({ body: 'Cloud Nine: disposable vapes 2 for $30 this week.' }).expect(200);
    expect(res.body.findings).toEqual([expect.objectContaining({ code: 'age_gated.tobacco_vape', verdict: 'block' })]);
  });

  it('a campaign in review waits for a person: start is refused, the staff queue shows it with spans, approval is audited, then it starts', async () => {
    const t = await tenant();
    const created = await createCampaign(t.auth, beer).expect(201);
    expect(created.body).toMatchObject({ contentReview: { status: 'pending' } });
    const id = created.body.id as string;

    const refused = await request(api.app).post(`/v1/campaigns/${id}/start`).set(t.auth).expect(409);
    expect(refused.body.detail).toMatch(/review/i);
    expect((await api.db('campaigns').where({ id }).first()).status).toBe('draft');

    const queue = await request(api.app).get('/v1/compliance/content-reviews').set(staff).expect(200);
    const entry = queue.body.reviews.find((r: { campaignId: string }) => r.campaignId === id);
    expect(entry).toMatchObject({
      tenantId: t.id,
      body: beer,
      status: 'pending',
      findings: [expect.objectContaining({ code: 'age_gated.alcohol', verdict: 'review', span: expect.objectContaining({ text: expect.any(String) }) })],
    });

    await request(api.app).post(`/v1/compliance/campaigns/${id}/content/approve`).set(staff).send({}).expect(400);
    const approved = await request(api.app)
      .post(`/v1/compliance/campaigns/${id}/content/approve`)
      .set(staff)
      .send({ reason: 'Opt-in page checks date of birth.' })
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'staff:rita', decisionReason: 'Opt-in page checks date of birth.' });
    const audit = await api.db('audit_log').where({ tenant_id: t.id, action: 'campaign.content_approved' });
    expect(audit).toEqual([expect.objectContaining({ actor: 'staff:rita', reason: 'Opt-in page checks date of birth.', details: { campaignId: id } })]);
    await request(api.app).post(`/v1/compliance/campaigns/${id}/content/reject`).set(staff).send({ reason: 'changed my mind' }).expect(409);
    expect((await request(api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body.contentReview).toMatchObject({
      status: 'approved',
      decidedBy: 'staff:rita',
    });
  });

  it('rejected content never starts, and says why', async () => {
    const t = await tenant();
    const id = (await createCampaign(t.auth, beer).expect(201)).body.id as string;
    await request(api.app).post(`/v1/compliance/campaigns/${id}/content/reject`).set(staff).send({ reason: 'No age verification at opt-in.' }).expect(200);
    const res = await request(api.app).post(`/v1/campaigns/${id}/start`).set(t.auth).expect(422);
    expect(res.body.detail).toMatch(/No age verification at opt-in/);
  });

  it('blocked content is refused at start with its findings; it never enters the review queue', async () => {
    const t = await tenant();
    const created = await createCampaign(t.auth, 'Short on rent? Borrow up to $800 before your next paycheck, approved in minutes.').expect(201);
    expect(created.body.contentReview).toBeNull();
    const res = await request(api.app).post(`/v1/campaigns/${created.body.id}/start`).set(t.auth).expect(422);
    expect(res.body.findings).toEqual([expect.objectContaining({ code: 'high_risk_financial.payday_loans', verdict: 'block' })]);
    const queue = await request(api.app).get('/v1/compliance/content-reviews').set(staff).expect(200);
    expect(queue.body.reviews.map((r: { campaignId: string }) => r.campaignId)).not.toContain(created.body.id);
  });

  it('review decisions: staff only, unknown campaign 404, nothing pending 409, bad input 400', async () => {
    const t = await tenant();
    const clean = (await createCampaign(t.auth, 'Riverside Grill: trivia night Thursday at 7, free entry.').expect(201)).body.id as string;
    await request(api.app).post(`/v1/compliance/campaigns/${clean}/content/approve`).set(t.auth).send({ reason: 'self approval' }).expect(403);
    await request(api.app).post(`/v1/compliance/campaigns/${clean}/content/approve`).set(staff).send({ reason: 'nothing to review' }).expect(409);
    await request(api.app)
      .post('/v1/compliance/campaigns/00000000-0000-4000-8000-000000000000/content/approve')
      .set(staff)
      .send({ reason: 'no such' })
      .expect(404);
    const bad = await request(api.app).post('/v1/compliance/campaigns/not-a-uuid/content/approve').set(staff).send({ reason: 'bad id' }).expect(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    await request(api.app).get('/v1/compliance/content-reviews?status=maybe').set(staff).expect(400);
    expect(await api.db('audit_log').where({ tenant_id: t.id }).whereLike('action', 'campaign.content_%')).toEqual([]);
  });

  it("the HELP answer sent on the tenant's behalf is judged too: held content is refused, naming the field, nothing changed", async () => {
    const t = await tenant();
    const before = await api.db('tenants').where({ id: t.id }).first('help_text');
    const res = await request(api.app)
      .patch(`/v1/tenants/${t.id}/settings`)
      .set(t.auth)
      .send({ helpText: 'Riverside Grill: need cash fast? Payday loans approved in minutes, bad credit OK. Reply STOP to opt out.' })
      .expect(422)
      .expect('content-type', /problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'helpText' })]);
    expect(res.body.findings).toEqual([expect.objectContaining({ code: 'high_risk_financial.payday_loans' })]);
    expect(await api.db('tenants').where({ id: t.id }).first('help_text')).toEqual(before);
    const ok = 'Riverside Grill: call 555-0100 or email help@riversidegrill.example. Reply STOP to opt out.';
    expect((await request(api.app).patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ helpText: ok }).expect(200)).body.helpText).toBe(ok);
  });

  it('accepts the Bearer scheme in any case', async () => {
    const t = await tenant();
    const key = t.auth.authorization.slice('Bearer '.length);
    for (const scheme of ['bearer', 'BEARER', 'Bearer'])
      await request(api.app)
        .post('/v1/scan')
        .set({ authorization: `${scheme} ${key}` })
        .send({ body: 'hello' })
        .expect(200);
    await request(api.app)
      .post('/v1/scan')
      .set({ authorization: `Basic ${key}` })
      .send({ body: 'hello' })
      .expect(401);
  });

  it('bad bodies are 400 naming the field and store nothing', async () => {
    const t = await tenant();
    for (const body of ['', 'x'.repeat(1601)]) {
      const res = await createCampaign(t.auth, body).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    }
    await request(api.app).post('/v1/scan').set(t.auth).send({ body: '' }).expect(400);
    await request(api.app).post('/v1/scan').set(t.auth).send({ body: 'hi', messageType: 'promo' }).expect(400);
    expect(await api.db('campaigns').where({ tenant_id: t.id })).toEqual([]);
  });
});
