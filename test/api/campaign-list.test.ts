import request from 'supertest';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

const BODY = 'Bright Smiles Dental: your checkup is due. Reply STOP to opt out.';

/** `GET /v1/campaigns` (the console's campaign list): the caller's own campaigns, newest first, paged; no message text. */
describe('campaign list', () => {
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness(testConfig());
  });
  afterAll(() => api.close());

  const http = () => request(api.app);
  const create = async (auth: Record<string, string>, name: string) =>
    (await http().post('/v1/campaigns').set(auth).send({ name, body: BODY, messageType: 'transactional' }).expect(201)).body.id as string;

  it('lists the tenant’s own campaigns newest first, pages with before/limit, and never another tenant’s', async () => {
    const a = await api.activeTenant();
    const b = await api.activeTenant({ businessName: 'Other Clinic' });
    const first = await create(a.auth, 'First');
    const second = await create(a.auth, 'Second');
    const third = await create(a.auth, 'Third');
    await create(b.auth, 'Not yours');

    const all = (await http().get('/v1/campaigns').set(a.auth).expect(200)).body.campaigns as Array<Record<string, unknown>>;
    expect(all.map((c) => c.id)).toEqual([third, second, first]);
    expect(all[0]).toEqual({
      id: third,
      name: 'Third',
      messageType: 'transactional',
      status: 'draft',
      contentReview: null,
      createdAt: expect.any(String),
      startedAt: null,
      finishedAt: null,
    });
    expect(JSON.stringify(all)).not.toContain('checkup is due');

    const page1 = (await http().get('/v1/campaigns?limit=2').set(a.auth).expect(200)).body.campaigns as Array<{ id: string; createdAt: string }>;
    expect(page1.map((c) => c.id)).toEqual([third, second]);
    const page2 = (await http().get('/v1/campaigns').query({ limit: 2, before: page1[1].createdAt }).set(a.auth).expect(200)).body.campaigns as Array<{
      id: string;
    }>;
    expect(page2.map((c) => c.id)).toEqual([first]);

    const others = (await http().get('/v1/campaigns').set(b.auth).expect(200)).body.campaigns as Array<{ name: string }>;
    expect(others.map((c) => c.name)).toEqual(['Not yours']);
  });

  it('a viewer lists campaigns (figures, not text)', async () => {
    const t = await api.activeTenant();
    const id = await create(t.auth, 'Checkups');
    await http().put(`/v1/tenants/${t.id}/users/vera`).set(t.auth).send({ role: 'viewer' }).expect(200);
    const key = (await http().post(`/v1/tenants/${t.id}/users/vera/api-keys`).set(t.auth).send({}).expect(201)).body.apiKey as string;
    const seen = await http()
      .get('/v1/campaigns')
      .set({ authorization: `Bearer ${key}` })
      .expect(200);
    expect(seen.body.campaigns.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it.each([
    ['a limit out of range', { limit: '0' }, 'limit'],
    ['a limit that is not a number', { limit: 'many' }, 'limit'],
    ['a before that is not a date-time', { before: 'yesterday' }, 'before'],
    ['an unknown parameter', { status: 'draft' }, ''],
  ])('refuses %s with 400 problem+json', async (_what, query, field) => {
    const t = await api.activeTenant();
    const res = await http().get('/v1/campaigns').query(query).set(t.auth).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(res.body.errors)).toContain(field);
  });

  it('needs a tenant key', async () => {
    await http().get('/v1/campaigns').expect(401);
    await http()
      .get('/v1/campaigns')
      .set({ authorization: `Bearer ${await api.staffKey()}` })
      .expect(403);
  });
});
