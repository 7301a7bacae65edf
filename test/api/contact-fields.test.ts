import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { dataKeysFor } from '../../src/crypto/data-keys';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

type Auth = { authorization: string };
const SEALED = /^cs1:\d+:[A-Za-z0-9_-]+$/;

/**
 * Contacts' custom fields (issue 15): given in the JSON upload (`fields`) or as `field:<name>`
 * CSV columns, stored as one value sealed with the tenant's data key (never in clear), shown
 * opened by the list, the contact and the CSV export, to a restricted user only for their own
 * contacts; bad names, too many fields or too long values are a 400 naming the field, nothing stored.
 */
describe('contact custom fields', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let t: Awaited<ReturnType<typeof api.activeTenant>>;
  beforeAll(async () => {
    api = await apiHarness(config);
    t = await api.activeTenant();
  });
  afterAll(() => api.close());

  const http = () => request(api.app);
  const stored = (phone: string) =>
    api.db('contacts').where({ tenant_id: t.id, phone }).first<{ id: string; fields: string | null } | undefined>('id', 'fields');
  const count = async () => Number((await api.db('contacts').where({ tenant_id: t.id }).count<{ n: string }[]>('* as n'))[0].n);
  const csvRows = (text: string) => parseCsv(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;

  it('stores JSON fields sealed as one value, and shows them opened in the list, the contact and the export', async () => {
    const fields = { plan: 'Gold Quasarwick', store_id: '0042', notes: '=HYPERLINK("http://evil.example")' };
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone: '+14155550301', name: 'Ann Field', assignedUser: 'dana', tags: ['vip'], fields }] })
      .expect(201);
    const row = (await stored('+14155550301'))!;
    // One sealed value, bound to this tenant and field: nothing of the fields in clear.
    expect(row.fields).toMatch(SEALED);
    expect(row.fields).not.toMatch(/Quasarwick|plan|store_id/);
    const keys = dataKeysFor(api.db, config);
    expect(JSON.parse(await keys.open(t.id, 'contacts.fields', row.fields!))).toEqual(fields);
    await expect(keys.open(t.id, 'contacts.name', row.fields!)).rejects.toThrow(/failed authentication/);
    const raw = await api.db.raw<{ rows: Array<{ row: string }> }>(`SELECT row_to_json(c)::text AS row FROM contacts c WHERE id = ?`, [row.id]);
    expect(raw.rows[0].row).not.toContain('Quasarwick');

    const listed = (await http().get('/v1/contacts').set(t.auth).expect(200)).body.contacts as Array<Record<string, unknown>>;
    expect(listed.find((c) => c.id === row.id)).toMatchObject({ name: 'Ann Field', tags: ['vip'], fields });
    const one = await http().get(`/v1/contacts/${row.id}`).set(t.auth).expect(200);
    expect(one.body).toMatchObject({ id: row.id, phone: '+14155550301', name: 'Ann Field', assignedUser: 'dana', tags: ['vip'], fields });
    expect(one.body.consent).toBeDefined();

    const csv = await http().get('/v1/contacts?format=csv').set(t.auth).expect(200);
    const header = csv.text.split(/\r?\n/)[0].split(',');
    expect(header.slice(0, 8)).toEqual(['contact_id', 'phone', 'name', 'assigned_user', 'tags', 'field:notes', 'field:plan', 'field:store_id']);
    const line = csvRows(csv.text).find((l) => l.contact_id === row.id)!;
    // Values are the tenant's text: one that begins like a formula reaches the spreadsheet as text.
    expect(line).toMatchObject({ 'field:plan': 'Gold Quasarwick', 'field:store_id': '0042', 'field:notes': `'${fields.notes}` });

    // A re-upload replaces the fields, as it does the name and tags; none left is NULL, shown as {}.
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone: '+14155550301', name: 'Ann Field', assignedUser: 'dana', fields: { plan: 'Silver' } }] })
      .expect(201);
    expect((await http().get(`/v1/contacts/${row.id}`).set(t.auth).expect(200)).body.fields).toEqual({ plan: 'Silver' });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: [{ phone: '+14155550301', assignedUser: 'dana' }] })
      .expect(201);
    expect(await stored('+14155550301')).toMatchObject({ fields: null });
    expect((await http().get(`/v1/contacts/${row.id}`).set(t.auth).expect(200)).body.fields).toEqual({});
  });

  it('takes `field:<name>` CSV columns (an empty cell: no such field), sealed the same way', async () => {
    const csv = 'phone,assigned_user,name,field:plan,FIELD:store_id\n+14155550302,dana,Bo,Bronze Zephyrine,7\n+14155550303,dana,Cy,,\n';
    await http().post('/v1/contacts').set(t.auth).set('content-type', 'text/csv').send(csv).expect(201);
    const bo = (await stored('+14155550302'))!;
    expect(bo.fields).toMatch(SEALED);
    expect(bo.fields).not.toContain('Zephyrine');
    expect((await http().get(`/v1/contacts/${bo.id}`).set(t.auth).expect(200)).body.fields).toEqual({ plan: 'Bronze Zephyrine', store_id: '7' });
    const cy = (await stored('+14155550303'))!;
    expect(cy.fields).toBeNull();
    expect((await http().get(`/v1/contacts/${cy.id}`).set(t.auth).expect(200)).body.fields).toEqual({});
  });

  describe('bad fields are a 400 naming the field, and nothing is stored', () => {
    const contact = (fields: unknown) => ({ contacts: [{ phone: '+14155550399', assignedUser: 'dana', fields }] });
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, 'x']));
    it.each([
      ['an upper-case name', { Plan: 'x' }, 'contacts.0.fields.Plan'],
      ['a name with a dash', { 'store-id': 'x' }, 'contacts.0.fields.store-id'],
      ['an empty name', { '': 'x' }, 'contacts.0.fields.'],
      ['a name of 41 characters', { ['a'.repeat(41)]: 'x' }, `contacts.0.fields.${'a'.repeat(41)}`],
      ['the prototype’s name', JSON.parse('{"__proto__": "x"}'), 'contacts.0.fields.__proto__'],
      ['a value of 201 characters', { plan: 'x'.repeat(201) }, 'contacts.0.fields.plan'],
      ['a number', { plan: 5 }, 'contacts.0.fields.plan'],
      ['21 fields', tooMany, 'contacts.0.fields'],
      ['a list', ['x'], 'contacts.0.fields'],
    ])('%s', async (_what, fields, field) => {
      const before = await count();
      const res = await http().post('/v1/contacts').set(t.auth).send(contact(fields)).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect(await count()).toBe(before);
    });

    it('accepts the limits themselves: 20 fields, names of 40, values of 200', async () => {
      const most = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${'n'.repeat(38)}${String(i).padStart(2, '0')}`, 'v'.repeat(200)]));
      await http()
        .post('/v1/contacts')
        .set(t.auth)
        .send({ contacts: [{ phone: '+14155550304', assignedUser: 'dana', fields: most }] })
        .expect(201);
      const { id } = (await stored('+14155550304'))!;
      expect((await http().get(`/v1/contacts/${id}`).set(t.auth).expect(200)).body.fields).toEqual(most);
    });

    it.each([
      ['a column that is not a field name', 'phone,assigned_user,field:Plan\n+14155550399,dana,x\n', 'field:Plan'],
      ['an empty field name', 'phone,assigned_user,field:\n+14155550399,dana,x\n', 'field:'],
      ['a field named twice', 'phone,assigned_user,field:plan,field:plan\n+14155550399,dana,x,y\n', 'field:plan'],
    ])('CSV: %s', async (_what, csv, field) => {
      const before = await count();
      const res = await http().post('/v1/contacts').set(t.auth).set('content-type', 'text/csv').send(csv).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field, message: expect.any(String) }]);
      expect(await count()).toBe(before);
    });

    it('CSV: a value too long names its row and column', async () => {
      const before = await count();
      const csv = `phone,assigned_user,field:plan\n+14155550398,dana,ok\n+14155550399,dana,${'x'.repeat(201)}\n`;
      const res = await http().post('/v1/contacts').set(t.auth).set('content-type', 'text/csv').send(csv).expect(400);
      expect(res.body.errors).toEqual([{ row: 3, problems: [expect.stringMatching(/^field:plan: must be at most 200 characters/)] }]);
      expect(await count()).toBe(before);
    });
  });

  it('a user restricted to their assigned contacts reads only their own contact’s fields', async () => {
    const bearer = async (name: string) => {
      await http().put(`/v1/tenants/${t.id}/users/${name}`).set(t.auth).send({ role: 'sender', restrictedToAssigned: true }).expect(200);
      const issued = await http().post(`/v1/tenants/${t.id}/users/${name}/api-keys`).set(t.auth).send({}).expect(201);
      const auth: Auth = { authorization: `Bearer ${issued.body.apiKey as string}` };
      return auth;
    };
    const rhea = await bearer('rhea');
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({
        contacts: [
          { phone: '+14155550311', assignedUser: 'rhea', fields: { plan: 'Rhea’s plan' } },
          { phone: '+14155550312', assignedUser: 'erin', fields: { plan: 'Erin’s secret plan' } },
        ],
      })
      .expect(201);
    const [mine, theirs] = [(await stored('+14155550311'))!, (await stored('+14155550312'))!];
    expect((await http().get(`/v1/contacts/${mine.id}`).set(rhea).expect(200)).body.fields).toEqual({ plan: 'Rhea’s plan' });
    const refused = await http().get(`/v1/contacts/${theirs.id}`).set(rhea).expect(404);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const listed = await http().get('/v1/contacts').set(rhea).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain('Erin’s secret plan');
    const csv = await http().get('/v1/contacts?format=csv').set(rhea).expect(200);
    expect(csv.text).not.toContain('Erin’s secret plan');
    expect(csvRows(csv.text).map((l) => l['field:plan'])).toEqual(['Rhea’s plan']);
    // Another tenant's key, or an id that is not one, finds nothing.
    const other = await api.activeTenant({ businessName: 'Harbor Pets' });
    await http().get(`/v1/contacts/${mine.id}`).set(other.auth).expect(404);
    await http().get('/v1/contacts/not-a-contact').set(t.auth).expect(404);
  });
});
