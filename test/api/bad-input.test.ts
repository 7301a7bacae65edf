import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import twilio from 'twilio';
import { newAuthToken, newSid } from '../../src/sandbox/ids';
import { sealSecret } from '../../src/twilio/credential-sealing';
import { apiHarness, signupBody } from '../support/api';
import { testConfig } from '../support/test-env';

type Problem = { status: number; detail?: string; errors?: Array<{ field: string; message: string; in?: string }> };

/**
 * Input that used to reach PostgreSQL and come back as a 500 (issue 12 item 7): webhooks
 * without a form body, text PostgreSQL cannot store (NUL, unpaired surrogates) in bodies, CSV
 * uploads, query strings and paths, and report days in year 0000. Each is a 400 problem+json
 * naming the field (a query parameter as one), or a 403 where the Twilio signature comes first,
 * and nothing is stored.
 */
describe('bad input never reaches PostgreSQL', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let staff: Record<string, string>;
  beforeAll(async () => {
    api = await apiHarness(config);
    staff = { authorization: `Bearer ${await api.staffKey()}` };
  });
  afterAll(() => api.close());

  const http = () => request(api.app);
  /** A tenant as sign-up leaves it, with a key and (for webhooks) a subaccount whose token signs. */
  const newTenant = async () => {
    const { id, auth } = await api.activeTenant();
    const accountSid = newSid('AC');
    const token = newAuthToken();
    await api
      .db('tenant_credentials')
      .insert({ tenant_id: id, subaccount_sid: accountSid, sealed_auth_token: sealSecret(token, config.CREDENTIALS_KEY, accountSid) });
    return { id, accountSid, token, auth };
  };
  const expectProblem = (res: request.Response, status: number): Problem => {
    expect([res.status, res.headers['content-type']]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
    return res.body as Problem;
  };
  const count = async (table: string, where: Record<string, unknown>) => Number((await api.db(table).where(where).count<{ c: string }[]>('* as c'))[0].c);

  describe('Twilio webhooks without a form body', () => {
    const paths = ['/webhooks/twilio/status', '/webhooks/twilio/inbound', '/webhooks/twilio/registration'];
    const signed = (path: string, token: string, params: Record<string, string>) =>
      twilio.getExpectedTwilioSignature(token, `${config.PUBLIC_BASE_URL}${path}`, params);

    it.each(paths)('%s: a text/plain body is a 400 naming the body, not a 500', async (path) => {
      const res = await http().post(path).set('content-type', 'text/plain').send('MessageSid=SM1&MessageStatus=delivered');
      expect(expectProblem(res, 400).errors).toEqual([expect.objectContaining({ field: 'body' })]);
    });

    it.each(paths)('%s: no body at all, even with a signature made by a tenant’s token, is a 400 naming the body', async (path) => {
      const t = await newTenant();
      const res = await http()
        .post(path)
        .set('x-twilio-signature', signed(path, t.token, {}));
      expect(expectProblem(res, 400).errors).toEqual([expect.objectContaining({ field: 'body' })]);
    });

    it.each(paths)('%s: an account SID holding NUL is refused without a lookup: a 403', async (path) => {
      const t = await newTenant();
      const params = { AccountSid: `${t.accountSid}\u0000`, MessageSid: newSid('SM') };
      const res = await http()
        .post(path)
        .type('form')
        .set('x-twilio-signature', signed(path, t.token, params))
        .send(params);
      expectProblem(res, 403);
    });

    it.each<[string, string[]]>([
      ['/webhooks/twilio/status', ['MessageSid', 'MessageStatus']],
      ['/webhooks/twilio/inbound', ['MessageSid', 'From', 'To']],
    ])('%s: a validly signed form that carries only the account is a 400 naming the missing fields', async (path, fields) => {
      const t = await newTenant();
      const params = { AccountSid: t.accountSid };
      const res = await http()
        .post(path)
        .type('form')
        .set('x-twilio-signature', signed(path, t.token, params))
        .send(params);
      expect(expectProblem(res, 400).errors?.map((e) => e.field)).toEqual(fields);
    });

    it('an inbound message with NUL in its body: signed, a 400 naming Body; unsigned, a 403; neither stored', async () => {
      const t = await newTenant();
      // A number the tenant holds, so nothing but the body stands between the message and PostgreSQL.
      const to = `+1628${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
      await api.db('tenant_phone_numbers').insert({
        phone_number_sid: newSid('PN'),
        tenant_id: t.id,
        subaccount_sid: t.accountSid,
        phone_number: to,
        sms_url: `${config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`,
      });
      const path = '/webhooks/twilio/inbound';
      const params = { AccountSid: t.accountSid, MessageSid: newSid('SM'), From: '+14155550123', To: to, Body: 'STOP\u0000' };
      const unsigned = await http()
        .post(path)
        .type('form')
        .set('x-twilio-signature', signed(path, 'not-the-token', params))
        .send(params);
      expectProblem(unsigned, 403);
      const res = await http()
        .post(path)
        .type('form')
        .set('x-twilio-signature', signed(path, t.token, params))
        .send(params);
      expect(expectProblem(res, 400).errors).toEqual([{ field: 'Body', message: expect.stringMatching(/NUL/) }]);
      expect(await count('inbound_messages', { message_sid: params.MessageSid })).toBe(0);
    });
  });

  describe('text PostgreSQL cannot store, in a JSON body', () => {
    it('a contact’s name with NUL: a 400 naming contacts.1.name, and no contact of the upload stored', async () => {
      const t = await newTenant();
      const contacts = [
        { phone: '+14155550101', assignedUser: 'dana' },
        { phone: '+14155550102', name: 'Ana\u0000', assignedUser: 'dana' },
      ];
      const res = await http().post('/v1/contacts').set(t.auth).send({ contacts });
      expect(expectProblem(res, 400).errors).toEqual([{ field: 'contacts.1.name', message: 'must not contain NUL characters (U+0000)' }]);
      expect(await count('contacts', { tenant_id: t.id })).toBe(0);
    });

    it('a CSV upload with NUL in a cell: a 400 naming the line, and no contact stored', async () => {
      const t = await newTenant();
      const csv = 'phone,assigned_user,name\n+14155550103,dana,Ana\n+14155550104,dana,B\u0000b\n';
      const res = await http().post('/v1/contacts').set(t.auth).set('content-type', 'text/csv').send(csv);
      expect(expectProblem(res, 400).errors).toEqual([{ field: '(root)', message: expect.stringMatching(/NUL.*line 3/) }]);
      expect(await count('contacts', { tenant_id: t.id })).toBe(0);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['its name', { name: 'Recall\u0000' }, 'name'],
      ['its body', { body: 'Bright Smiles Dental: checkup due.\u0000' }, 'body'],
      ['its audience tag', { audienceTag: 'vip\u0000' }, 'audienceTag'],
    ])('a campaign with NUL in %s: a 400 naming it, and no campaign stored', async (_label, change, field) => {
      const t = await newTenant();
      const body = { name: 'Recall', body: 'Bright Smiles Dental: checkup due.', messageType: 'transactional', ...change };
      const res = await http().post('/v1/campaigns').set(t.auth).send(body);
      expect(expectProblem(res, 400).errors?.map((e) => e.field)).toEqual([field]);
      expect(await count('campaigns', { tenant_id: t.id })).toBe(0);
    });

    it.each<[string, Record<string, unknown>, string, RegExp]>([
      ['NUL in the use-case description (kept in jsonb)', { useCaseDescription: 'Appointment reminders\u0000 for patients.' }, 'useCaseDescription', /NUL/],
      [
        'an unpaired surrogate in a sample message (jsonb refuses it)',
        { sampleMessages: ['Your cleaning is Tue 3pm \uD83E. Reply STOP to opt out.'] },
        'sampleMessages.0',
        /unpaired/,
      ],
      ['NUL in the contact’s name', { contact: { name: 'Dana\u0000', email: 'dana@brightsmiles.example' } }, 'contact.name', /NUL/],
    ])('sign-up with %s: a 400 naming the field, and no tenant stored', async (_label, change, field, message) => {
      const body = signupBody({ website: `https://${randomUUID()}.example`, ...change });
      const res = await http().post('/v1/tenants').send(body);
      expect(expectProblem(res, 400).errors).toEqual([{ field, message: expect.stringMatching(message) }]);
      expect(await count('tenants', { website: body.website })).toBe(0);
    });

    it('the HELP text with NUL: a 400 naming helpText, and the settings unchanged', async () => {
      const t = await newTenant();
      const res = await http()
        .patch(`/v1/tenants/${t.id}/settings`)
        .set(t.auth)
        .send({ helpText: 'Bright Smiles Dental: call 415-555-0100.\u0000 Reply STOP to opt out.' });
      expect(expectProblem(res, 400).errors?.map((e) => e.field)).toEqual(['helpText']);
      expect(await api.db('tenants').where({ id: t.id }).first('help_text')).toEqual({ help_text: null });
    });

    it('a user name with %00 in the path: a 400 naming the path, and no user stored', async () => {
      const t = await newTenant();
      const res = await http().put(`/v1/tenants/${t.id}/users/dana%00`).set(t.auth).send({ email: 'dana@brightsmiles.example' });
      expect(expectProblem(res, 400).errors).toEqual([{ field: 'path', in: 'path', message: expect.stringMatching(/NUL/) }]);
      expect(await count('tenant_users', { tenant_id: t.id })).toBe(0);
    });

    it('a staff content decision with NUL in its reason: a 400 naming reason, and the campaign still pending', async () => {
      const t = await newTenant();
      const [{ id }] = await api
        .db('campaigns')
        .insert({
          tenant_id: t.id,
          name: 'Recall',
          body: 'Checkup due.',
          message_type: 'marketing',
          batch_size: 10,
          scan: JSON.stringify({ findings: [] }),
          encoding: 'GSM-7',
          segments: 1,
          content_review: 'pending',
        })
        .returning<{ id: string }[]>('id');
      const res = await http().post(`/v1/compliance/campaigns/${id}/content/reject`).set(staff).send({ reason: 'Misleading\u0000 claims' });
      expect(expectProblem(res, 400).errors?.map((e) => e.field)).toEqual(['reason']);
      expect(await api.db('campaigns').where({ id }).first('content_review')).toEqual({ content_review: 'pending' });
    });
  });

  describe('query strings', () => {
    it.each([
      ['/v1/contacts?tag=vip%00', 'tag'],
      ['/v1/notifications?user=dana%00', 'user'],
    ])('%s: a 400 naming the query parameter', async (url, parameter) => {
      const t = await newTenant();
      const res = await http().get(url).set(t.auth);
      expect(expectProblem(res, 400).errors).toEqual([{ field: parameter, in: 'query', message: expect.stringMatching(/NUL/) }]);
    });

    it.each<[string, string, string[], boolean]>([
      ['the opt-out report', '/v1/reports/opt-outs?from=0000-01-01&to=0000-01-02', ['from', 'to'], false],
      ['the daily report', '/v1/reports/daily?date=0000-12-31', ['date'], false],
      ['the staff usage report', '/v1/compliance/usage?from=0000-01-01&to=0000-01-31', ['from', 'to'], true],
    ])('%s in year 0000: a 400 naming each query parameter', async (_label, url, parameters, asStaff) => {
      const t = await newTenant();
      const res = await http()
        .get(url)
        .set(asStaff ? staff : t.auth);
      const problem = expectProblem(res, 400);
      expect(problem.errors).toEqual(parameters.map((field) => ({ field, in: 'query', message: 'must be 1970-01-01 or later' })));
      expect(problem.detail).toBe(`The query string has ${parameters.length} invalid parameter(s): ${parameters.join(', ')}.`);
    });

    it('a report day that is no date names its query parameter as one', async () => {
      const t = await newTenant();
      const res = await http().get('/v1/reports/opt-outs?from=yesterday').set(t.auth);
      expect(expectProblem(res, 400).errors).toEqual([{ field: 'from', in: 'query', message: 'must be a date such as 2026-11-27' }]);
    });

    it('the earliest report day still answers', async () => {
      const t = await newTenant();
      const res = await http().get('/v1/reports/opt-outs?from=1970-01-01&to=1970-01-02').set(t.auth).expect(200);
      expect(res.body).toMatchObject({ from: '1970-01-01', to: '1970-01-02', count: 0 });
    });
  });
});
