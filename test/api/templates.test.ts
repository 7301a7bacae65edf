import request from 'supertest';
import { dataKeysFor } from '../../src/crypto/data-keys';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

type Auth = { authorization: string };
const SEALED = /^cs1:\d+:[A-Za-z0-9_-]+$/;
const REMINDER = 'Hi {{firstName|there}}, your cleaning at {{store}} is on {{day|Monday}}.';

/**
 * Message templates (issue 18): stored sealed, judged on their fixed text, refused with where the
 * problem is when they do not parse, listed and read by the tenant's senders only, previewed for
 * one contact as the relay would send it (values judged, brand and opt-out line as due, segments
 * and cost); another tenant's template or contact is a 404.
 */
describe('message templates', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness(config);
  });
  afterAll(() => api.close());

  const http = () => request(api.app);
  const create = async (auth: Auth, name: string, body = REMINDER, messageType = 'transactional') =>
    (await http().post('/v1/templates').set(auth).send({ name, body, messageType }).expect(201)).body as Record<string, unknown> & { id: string };
  const contact = async (auth: Auth, c: Record<string, unknown>) => {
    await http()
      .post('/v1/contacts')
      .set(auth)
      .send({ contacts: [{ assignedUser: 'dana', ...c }] })
      .expect(201);
    const listed = (await http().get('/v1/contacts').set(auth).expect(200)).body.contacts as Array<{ id: string; phone: string }>;
    return listed.find((l) => l.phone === c.phone)!.id;
  };
  const userKey = async (t: { id: string; auth: Auth }, name: string, body: Record<string, unknown>): Promise<Auth> => {
    await http().put(`/v1/tenants/${t.id}/users/${name}`).set(t.auth).send(body).expect(200);
    const issued = await http().post(`/v1/tenants/${t.id}/users/${name}/api-keys`).set(t.auth).send({}).expect(201);
    return { authorization: `Bearer ${issued.body.apiKey as string}` };
  };

  it('creates a template sealed at rest, judged on its fixed text, and lists, reads, replaces and deletes it', async () => {
    const t = await api.activeTenant();
    const res = await http().post('/v1/templates').set(t.auth).send({ name: 'Reminder', body: REMINDER, messageType: 'transactional' }).expect(201);
    const id = res.body.id as string;
    expect(res.headers.location).toBe(`/v1/templates/${id}`);
    expect(res.body).toMatchObject({
      name: 'Reminder',
      body: REMINDER,
      messageType: 'transactional',
      mergeFields: ['first_name', 'store', 'day'],
      scan: { blocked: false, findings: [], segments: { encoding: 'GSM-7', segments: 1 } },
    });
    const row = await api.db('message_templates').where({ id }).first<{ body: string; tenant_id: string }>();
    expect(row.body).toMatch(SEALED);
    expect(row.body).not.toContain('cleaning');
    expect(await dataKeysFor(api.db, config).open(t.id, 'message_templates.body', row.body)).toBe(REMINDER);

    const other = await create(t.auth, 'Another', 'Your order {{order}} has shipped.');
    const listed = (await http().get('/v1/templates').set(t.auth).expect(200)).body.templates as Array<{ id: string; body: string }>;
    expect(listed.map((l) => l.id)).toEqual([other.id, id]);
    expect(listed[1].body).toBe(REMINDER);
    expect((await http().get('/v1/templates?limit=1&after=Another').set(t.auth).expect(200)).body.templates.map((l: { id: string }) => l.id)).toEqual([id]);
    expect((await http().get(`/v1/templates/${id}`).set(t.auth).expect(200)).body.body).toBe(REMINDER);

    const replaced = await http()
      .put(`/v1/templates/${id}`)
      .set(t.auth)
      .send({ name: 'Reminder v2', body: 'See you {{day}}!', messageType: 'marketing' })
      .expect(200);
    expect(replaced.body).toMatchObject({ name: 'Reminder v2', mergeFields: ['day'], messageType: 'marketing' });
    expect(new Date(replaced.body.updatedAt as string).getTime()).toBeGreaterThanOrEqual(new Date(res.body.createdAt as string).getTime());

    await http().delete(`/v1/templates/${id}`).set(t.auth).expect(204);
    await http().get(`/v1/templates/${id}`).set(t.auth).expect(404);
    const audited = await api.db('audit_log').where({ tenant_id: t.id }).whereLike('action', 'template.%').orderBy('id').pluck<string[]>('action');
    expect(audited).toEqual(['template.created', 'template.created', 'template.replaced', 'template.deleted']);
  });

  it('judges the fixed text: content the engine holds is shown in the scan', async () => {
    const t = await api.activeTenant();
    const held = await create(t.auth, 'Gummies', 'Hi {{firstName}}, our THC gummies and weed are back in stock!', 'marketing');
    expect(held.scan).toMatchObject({ blocked: true });
    expect((held.scan as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  });

  it.each([
    ['an unclosed field', { body: 'Hi {{firstName, see you' }, /"\{\{" at 3 is not closed/],
    ['a field that is not a name', { body: 'Hi {{first name}}' }, /"first name" at 3 is not a field name/],
    ['too many fields', { body: Array.from({ length: 11 }, (_, i) => `{{f${i}}}`).join(' ') }, /names 11 different fields/],
    ['an empty name', { name: ' ' }, /name/],
    ['an unknown message type', { messageType: 'promo' }, /messageType/],
    ['an unknown property', { audience: 'all' }, /audience/],
    ['a body over 1,600 characters', { body: 'x'.repeat(1601) }, /body/],
  ])('refuses %s with a 400 problem+json and stores nothing', async (_what, change, problem) => {
    const t = await api.activeTenant();
    const res = await http()
      .post('/v1/templates')
      .set(t.auth)
      .send({ name: 'Bad', body: 'Hi {{firstName}}', messageType: 'transactional', ...change })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body.errors as Array<{ field: string; message: string }>).map((e) => `${e.field}: ${e.message}`).join('; ')).toMatch(problem);
    expect(await api.db('message_templates').where({ tenant_id: t.id }).count<{ n: string }[]>('* as n')).toEqual([{ n: '0' }]);
  });

  it('refuses a second template of the same name, on create and on rename, with 409', async () => {
    const t = await api.activeTenant();
    await create(t.auth, 'Welcome');
    const other = await create(t.auth, 'Goodbye');
    await http().post('/v1/templates').set(t.auth).send({ name: 'Welcome', body: 'Hi', messageType: 'transactional' }).expect(409);
    const res = await http().put(`/v1/templates/${other.id}`).set(t.auth).send({ name: 'Welcome', body: 'Bye', messageType: 'transactional' }).expect(409);
    expect(res.body.detail).toMatch(/already a template named "Welcome"/);
    expect((await http().get(`/v1/templates/${other.id}`).set(t.auth).expect(200)).body.name).toBe('Goodbye');
  });

  it('previews one contact’s message as the relay would send it: values filled and judged, brand, opt-out line, segments and cost', async () => {
    const t = await api.activeTenant();
    const template = await create(t.auth, 'Reminder');
    const ana = await contact(t.auth, { phone: '+14155550501', name: 'Ana María López', fields: { store: 'Main St' } });
    const preview = async (contactId: string) =>
      (await http().get(`/v1/templates/${template.id}/preview`).query({ contactId }).set(t.auth).expect(200)).body as Record<string, unknown>;

    expect(await preview(ana)).toMatchObject({
      templateId: template.id,
      contactId: ana,
      sendable: true,
      body: 'Hi Ana, your cleaning at Main St is on Monday.',
      // Never told how to opt out: the first message carries the line; the brand is put in front.
      bodyAsSent: 'Bright Smiles Dental: Hi Ana, your cleaning at Main St is on Monday.\nReply STOP to opt out.',
      optOutFooterAdded: true,
      segments: { encoding: 'GSM-7', segments: 1 },
      costEstimateUsd: 0.01,
      filled: [
        { field: 'first_name', value: 'Ana', from: 'contact' },
        { field: 'store', value: 'Main St', from: 'contact' },
        { field: 'day', value: 'Monday', from: 'fallback' },
      ],
    });

    // A value with a link is not sent: the fallback stands in where there is one, else no message.
    const linked = await contact(t.auth, { phone: '+14155550502', name: 'Bo', fields: { store: 'main-st.example.com', first_name: 'www.bo.example' } });
    expect(await preview(linked)).toMatchObject({
      sendable: false,
      missing: [],
      refused: [{ field: 'store', reason: 'link' }],
      why: expect.stringMatching(/store holds a link/),
      filled: [{ field: 'first_name', value: 'there', from: 'fallback', refused: { reason: 'link' } }, expect.anything()],
    });
    const nameless = await contact(t.auth, { phone: '+14155550503' });
    expect(await preview(nameless)).toMatchObject({ sendable: false, missing: ['store'], why: 'no value for store, and no fallback' });
    const longOne = await contact(t.auth, { phone: '+14155550504', name: 'Cy', fields: { store: 'Ünïcode Plaza' } });
    expect(await preview(longOne)).toMatchObject({ sendable: true, segments: { encoding: 'UCS-2', segments: 2 }, costEstimateUsd: 0.02 });
  });

  it('keeps templates to their tenant and to senders: another tenant’s is a 404, a viewer is refused, a restricted user previews only their own contacts', async () => {
    const a = await api.activeTenant();
    const b = await api.activeTenant({ businessName: 'Other Clinic' });
    const template = await create(a.auth, 'Reminder');
    const bContact = await contact(b.auth, { phone: '+14155550601', fields: { store: 'B' } });
    for (const [method, path] of [
      ['get', `/v1/templates/${template.id}`],
      ['put', `/v1/templates/${template.id}`],
      ['delete', `/v1/templates/${template.id}`],
      ['get', `/v1/templates/${template.id}/preview?contactId=${bContact}`],
    ] as const)
      await http()[method](path).set(b.auth).send({ name: 'Mine now', body: 'x', messageType: 'marketing' }).expect(404);
    expect((await http().get('/v1/templates').set(b.auth).expect(200)).body.templates).toEqual([]);
    // A's template with B's contact: the contact is not A's.
    await http().get(`/v1/templates/${template.id}/preview`).query({ contactId: bContact }).set(a.auth).expect(404);
    expect((await http().get(`/v1/templates/${template.id}`).set(a.auth).expect(200)).body.name).toBe('Reminder');

    const viewer = await userKey(a, 'vera', { role: 'viewer' });
    await http().get('/v1/templates').set(viewer).expect(403);
    await http().post('/v1/templates').set(viewer).send({ name: 'V', body: 'x', messageType: 'marketing' }).expect(403);

    const rhea = await userKey(a, 'rhea', { role: 'sender', restrictedToAssigned: true });
    const hers = await contact(a.auth, { phone: '+14155550602', assignedUser: 'rhea', fields: { store: 'R' } });
    const erins = await contact(a.auth, { phone: '+14155550603', assignedUser: 'erin', fields: { store: 'E' } });
    await http().get(`/v1/templates/${template.id}/preview`).query({ contactId: hers }).set(rhea).expect(200);
    await http().get(`/v1/templates/${template.id}/preview`).query({ contactId: erins }).set(rhea).expect(404);
    expect((await http().get('/v1/templates').set(rhea).expect(200)).body.templates).toHaveLength(1);
    await http().put(`/v1/templates/${template.id}`).set(rhea).send({ name: 'R', body: 'x', messageType: 'marketing' }).expect(403);
  });

  it('refuses a preview without a contact id, or with one that is not an id, with 400', async () => {
    const t = await api.activeTenant();
    const template = await create(t.auth, 'Reminder');
    for (const query of [{}, { contactId: 'ana' }, { contactId: '00000000-0000-4000-8000-000000000000', extra: '1' }]) {
      const res = await http().get(`/v1/templates/${template.id}/preview`).query(query).set(t.auth).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
