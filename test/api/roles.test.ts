import { randomBytes, randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { issueApiKey } from '../../src/api/api-keys';
import { dataKeysFor } from '../../src/crypto/data-keys';
import { recordInboundMessage } from '../../src/db/inbound-messages';
import { apiHarness } from '../support/api';
import { WEB_FORM_CONSENT } from '../support/consent';
import { routeTable, type RouteKey } from '../support/route-table';
import { testConfig } from '../support/test-env';

type Auth = { authorization: string };
type TenantRole = 'admin' | 'sender' | 'viewer';
interface AuditRow {
  actor: string;
  actor_kind: string;
  tenant_id: string | null;
  action: string;
  details: Record<string, unknown>;
}

/**
 * The least role each tenant route needs, written out from the issue (admin: settings, users,
 * keys, onboarding, erasure; sender: contacts, campaigns, consents, opt-out requests; viewer:
 * reports only, so no contact, reply or message text). Every tenant route the app answers must be
 * listed here, so a new one is decided. `GET /v1/campaigns/:id/report` is a viewer's as JSON
 * (figures); its CSV names every recipient and needs a sender (tested below).
 */
const LEAST_ROLE: Partial<Record<RouteKey, TenantRole>> = {
  'GET /v1/tenants/:id': 'viewer',
  'GET /v1/tenants/:id/settings': 'viewer',
  'PATCH /v1/tenants/:id/settings': 'admin',
  'GET /v1/tenants/:id/users': 'admin',
  'PUT /v1/tenants/:id/users/:name': 'admin',
  'POST /v1/tenants/:id/users/:name/api-keys': 'admin',
  'POST /v1/tenants/:id/verification': 'admin',
  'POST /v1/tenants/:id/verification/resend': 'admin',
  'POST /v1/tenants/:id/kyc': 'admin',
  'POST /v1/tenants/:id/number-preference': 'admin',
  'PUT /v1/tenants/:id/registration-details': 'admin',
  'GET /v1/tenants/:id/registration': 'viewer',
  'POST /v1/tenants/:id/registration/corrections': 'admin',
  'POST /v1/tenants/:id/registration/otp-answered': 'admin',
  'POST /v1/tenants/:id/registration/otp-resend': 'admin',
  'GET /v1/tenants/:id/api-keys': 'admin',
  'POST /v1/tenants/:id/api-keys': 'admin',
  'POST /v1/tenants/:id/api-keys/:keyId/rotate': 'admin',
  'POST /v1/tenants/:id/api-keys/:keyId/revoke': 'admin',
  'GET /v1/tenants/:id/retention-runs': 'viewer',
  'POST /v1/sandbox/messages': 'sender',
  'POST /v1/scan': 'sender',
  'POST /v1/contacts': 'sender',
  'GET /v1/contacts': 'sender',
  'GET /v1/contacts/:contactId': 'sender',
  'GET /v1/contacts/:contactId/consents': 'sender',
  'POST /v1/contacts/:contactId/consents': 'sender',
  'POST /v1/contacts/:contactId/erasure': 'admin',
  'GET /v1/erasures/:id': 'sender',
  'GET /v1/opt-in-keywords': 'viewer',
  'PUT /v1/opt-in-keywords/:keyword': 'admin',
  'POST /v1/campaigns': 'sender',
  'POST /v1/templates': 'sender',
  'GET /v1/templates': 'sender',
  'GET /v1/templates/:id': 'sender',
  'PUT /v1/templates/:id': 'sender',
  'DELETE /v1/templates/:id': 'sender',
  'GET /v1/templates/:id/preview': 'sender',
  'GET /v1/campaigns': 'viewer',
  'GET /v1/campaigns/:id': 'viewer',
  'POST /v1/campaigns/:id/start': 'sender',
  'POST /v1/campaigns/:id/cancel': 'sender',
  'GET /v1/campaigns/:id/report': 'viewer',
  'GET /v1/notices': 'viewer',
  'GET /v1/notifications': 'sender',
  'GET /v1/opt-out-requests': 'sender',
  'POST /v1/opt-out-requests/:id/confirm': 'sender',
  'POST /v1/opt-out-requests/:id/dismiss': 'sender',
  'GET /v1/reports/opt-outs': 'sender',
  'GET /v1/reports/daily': 'viewer',
};
/**
 * What each tenant route shows a user restricted to their assigned contacts (issue 15: such a
 * user "sees only those"). `scoped`: it returns or changes contacts or per-contact data, and only
 * the user's own (each has a probe in RESTRICTED_PROBES below that fails if it leaks another's);
 * `refused`: 403 for a restricted user (a campaign reaches every user's contacts); `none`: no
 * contact or per-contact data (tenant state, settings, users, keys, onboarding, aggregate
 * figures). A new tenant route fails "decides every tenant route for a restricted user" until
 * it is listed here.
 */
type RestrictedScope = 'scoped' | 'refused' | 'none';
const RESTRICTED: Partial<Record<RouteKey, RestrictedScope>> = {
  'GET /v1/tenants/:id': 'none',
  'GET /v1/tenants/:id/settings': 'none',
  'PATCH /v1/tenants/:id/settings': 'none',
  'GET /v1/tenants/:id/users': 'none',
  'PUT /v1/tenants/:id/users/:name': 'none',
  'POST /v1/tenants/:id/users/:name/api-keys': 'none',
  'POST /v1/tenants/:id/verification': 'none',
  'POST /v1/tenants/:id/verification/resend': 'none',
  'POST /v1/tenants/:id/kyc': 'none',
  'POST /v1/tenants/:id/number-preference': 'none',
  'PUT /v1/tenants/:id/registration-details': 'none',
  'GET /v1/tenants/:id/registration': 'none',
  'POST /v1/tenants/:id/registration/corrections': 'none',
  'POST /v1/tenants/:id/registration/otp-answered': 'none',
  'POST /v1/tenants/:id/registration/otp-resend': 'none',
  'GET /v1/tenants/:id/api-keys': 'none',
  'POST /v1/tenants/:id/api-keys': 'none',
  'POST /v1/tenants/:id/api-keys/:keyId/rotate': 'none',
  'POST /v1/tenants/:id/api-keys/:keyId/revoke': 'none',
  // Counts per pass, no contact.
  'GET /v1/tenants/:id/retention-runs': 'none',
  // Onboarding test sends to Twilio's magic numbers, not to contacts.
  'POST /v1/sandbox/messages': 'none',
  'POST /v1/scan': 'none',
  'POST /v1/contacts': 'scoped',
  'GET /v1/contacts': 'scoped',
  'GET /v1/contacts/:contactId': 'scoped',
  'GET /v1/contacts/:contactId/consents': 'scoped',
  'POST /v1/contacts/:contactId/consents': 'scoped',
  'POST /v1/contacts/:contactId/erasure': 'scoped',
  'GET /v1/erasures/:id': 'scoped',
  'GET /v1/opt-in-keywords': 'none',
  'PUT /v1/opt-in-keywords/:keyword': 'none',
  'POST /v1/campaigns': 'refused',
  // Templates are every user's: a restricted user reads them, and previews only their own contacts.
  'POST /v1/templates': 'refused',
  'PUT /v1/templates/:id': 'refused',
  'DELETE /v1/templates/:id': 'refused',
  'GET /v1/templates': 'none',
  'GET /v1/templates/:id': 'none',
  'GET /v1/templates/:id/preview': 'scoped',
  'POST /v1/campaigns/:id/start': 'refused',
  'POST /v1/campaigns/:id/cancel': 'refused',
  // Status and figures of the whole campaign (counts), no recipient.
  'GET /v1/campaigns/:id': 'none',
  // Names, status and times of the tenant's campaigns, no recipient.
  'GET /v1/campaigns': 'none',
  // JSON: figures; CSV: one line per recipient, the user's own only.
  'GET /v1/campaigns/:id/report': 'scoped',
  // The monitor's notices: rates and advice, no contact.
  'GET /v1/notices': 'none',
  'GET /v1/notifications': 'scoped',
  'GET /v1/opt-out-requests': 'scoped',
  'POST /v1/opt-out-requests/:id/confirm': 'scoped',
  'POST /v1/opt-out-requests/:id/dismiss': 'scoped',
  'GET /v1/reports/opt-outs': 'scoped',
  // Counters of the day, no contact.
  'GET /v1/reports/daily': 'none',
};
/** Routes that take no tenant key at all. */
const NOT_TENANT_ROUTES = (route: RouteKey) =>
  / \/v1\/compliance\//.test(route) ||
  / \/webhooks\//.test(route) ||
  // The browser console's page and its session routes: any key signs in; the session then acts with the key's role.
  / \/console(\/|$)/.test(route) ||
  ['GET /healthz', 'GET /metrics', 'POST /v1/tenants'].includes(route);
const RANK: Record<TenantRole, number> = { viewer: 0, sender: 1, admin: 2 };

/**
 * Per-user keys and roles (issue 15), through the real Express app on PostgreSQL: each tenant
 * route refuses the roles below its least one (403 problem+json, nothing changed), admins manage
 * users and their keys, a user restricted to their assigned contacts sees only those, reviewers
 * cannot do a staff admin's actions, and exports and staff reads are audited.
 */
describe('roles', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let staffAdmin: Auth;
  let staffAdminName: string;
  let reviewer: Auth;
  beforeAll(async () => {
    api = await apiHarness(config);
    staffAdminName = `admin-${randomBytes(3).toString('hex')}`;
    staffAdmin = bearer(await api.staffKey(staffAdminName));
    reviewer = bearer((await issueApiKey(api.db, { role: 'staff', label: `rev-${randomBytes(3).toString('hex')}`, staffRole: 'reviewer' })).key);
  });
  afterAll(() => api.close());

  const http = () => request(api.app);
  const bearer = (key: string): Auth => ({ authorization: `Bearer ${key}` });
  /** A user of the tenant with a role, and a key of theirs (issued through the users API by the owner's key). */
  const userWithKey = async (t: { id: string; auth: Auth }, name: string, role: TenantRole, restrictedToAssigned = false) => {
    await http().put(`/v1/tenants/${t.id}/users/${name}`).set(t.auth).send({ role, restrictedToAssigned }).expect(200);
    const issued = await http().post(`/v1/tenants/${t.id}/users/${name}/api-keys`).set(t.auth).send({}).expect(201);
    return bearer(issued.body.apiKey as string);
  };
  const auditRows = (where: Record<string, unknown>) => api.db('audit_log').where(where).orderBy('id').select<AuditRow[]>();
  /** Every row of every table the tenant owns. */
  const snapshot = async (tenantId: string) => {
    const { rows } = await api.db.raw<{ rows: Array<{ table_name: string }> }>(
      `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
       WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const tables: Record<string, string[]> = {};
    for (const { table_name: table } of [{ table_name: 'tenants' }, ...rows]) {
      const found = await api.db(table).where(table === 'tenants' ? { id: tenantId } : { tenant_id: tenantId });
      tables[table] = found.map((r: Record<string, unknown>) => JSON.stringify({ ...r, last_used_at: undefined })).sort();
    }
    return tables;
  };

  describe('every tenant route and the roles it refuses', () => {
    let t: Awaited<ReturnType<typeof api.activeTenant>>;
    const count = async (table: string, where: Record<string, unknown>) =>
      Number((await api.db(table).where(where).count<{ count: string }[]>('* as count'))[0].count);
    const keys = {} as Record<TenantRole, Auth>;
    beforeAll(async () => {
      t = await api.activeTenant();
      keys.admin = t.auth;
      keys.sender = await userWithKey(t, 'sam', 'sender');
      keys.viewer = await userWithKey(t, 'vera', 'viewer');
    });

    it('names the least role of every tenant route', () => {
      const routes = routeTable(api.app).filter((r) => !NOT_TENANT_ROUTES(r));
      const stale = Object.keys(LEAST_ROLE).filter((r) => !routes.includes(r as RouteKey));
      expect({ undecided: routes.filter((r) => !LEAST_ROLE[r]), stale }).toEqual({ undecided: [], stale: [] });
    });

    /** Placeholder values: a refusal by role comes before any of them is read. */
    const call = (route: RouteKey, auth: Auth) => {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
        if (name === 'id' && pattern.startsWith('/v1/tenants/')) return t.id;
        if (name === 'name') return 'nobody';
        if (name === 'keyword') return 'JOIN';
        if (name === 'id' && pattern.startsWith('/v1/opt-out-requests')) return '999999';
        return randomUUID();
      });
      const req = http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](path).set(auth);
      return method === 'GET' ? req : req.send({});
    };

    const cases = Object.entries(LEAST_ROLE).flatMap(([route, least]) =>
      (['viewer', 'sender'] as const).map((role) => ({ route: route as RouteKey, role, refused: RANK[role] < RANK[least!] })),
    );
    it.each(cases)('$route as $role: refused $refused', async ({ route, role, refused }) => {
      const before = refused ? await snapshot(t.id) : undefined;
      const res = await call(route, keys[role]);
      if (refused) {
        expect({ status: res.status, contentType: res.headers['content-type'] }).toEqual({
          status: 403,
          contentType: expect.stringMatching(/^application\/problem\+json/),
        });
        expect(res.body.detail).toMatch(new RegExp(`role \\(${role}\\)`));
        expect(await snapshot(t.id)).toEqual(before);
      } else {
        // Allowed past the role check: whatever the placeholders make of it, not a refusal by role.
        expect(res.status).not.toBe(403);
        expect(res.status).toBeLessThan(500);
      }
    });

    it('a viewer’s upload is 403 and stores nothing; the same upload by a sender is stored', async () => {
      const upload = { contacts: [{ phone: '+14155550987', name: 'Ada', assignedUser: 'sam', consent: WEB_FORM_CONSENT }] };
      const count = async () => Number((await api.db('contacts').where({ tenant_id: t.id }).count<{ count: string }[]>('* as count'))[0].count);
      const before = await count();
      const res = await http().post('/v1/contacts').set(keys.viewer).send(upload).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await count()).toBe(before);
      await http().post('/v1/contacts').set(keys.sender).send(upload).expect(201);
      expect(await count()).toBe(before + 1);
    });

    it('a viewer reads a campaign’s status and figures, but not its text nor its recipient CSV', async () => {
      const body = 'Bright Smiles Dental: your checkup is due, reply to book.';
      const created = await http().post('/v1/campaigns').set(keys.sender).send({ name: 'Checkups', body, messageType: 'transactional' }).expect(201);
      const id = created.body.id as string;
      const seen = (await http().get(`/v1/campaigns/${id}`).set(keys.viewer).expect(200)).body;
      expect(seen).toMatchObject({ id, name: 'Checkups', status: 'draft', body: null, scan: null });
      expect(JSON.stringify(seen)).not.toContain('checkup is due');
      expect((await http().get(`/v1/campaigns/${id}`).set(keys.sender).expect(200)).body.body).toBe(body);
      await http().get(`/v1/campaigns/${id}/report`).set(keys.viewer).expect(200);
      const exportsBefore = await count('audit_log', { tenant_id: t.id });
      const csv = await http().get(`/v1/campaigns/${id}/report?format=csv`).set(keys.viewer);
      expect({ status: csv.status, detail: csv.body.detail as string }).toEqual({
        status: 403,
        detail: expect.stringMatching(/role \(viewer\).*contacts\.read/),
      });
      expect(await count('audit_log', { tenant_id: t.id })).toBe(exportsBefore);
      await http().get(`/v1/campaigns/${id}/report?format=csv`).set(keys.sender).expect(200);
    });

    it('a viewer may not export contacts as CSV: 403 and no export recorded', async () => {
      const audits = await count('audit_log', { tenant_id: t.id });
      const res = await http().get('/v1/contacts?format=csv').set(keys.viewer);
      expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: 403, type: expect.stringMatching(/^application\/problem\+json/) });
      expect(res.text).not.toContain('+1415');
      expect(await count('audit_log', { tenant_id: t.id })).toBe(audits);
    });
  });

  describe('users API', () => {
    it('creates, lists and changes users, refuses an unknown role, and a user’s key acts with the role as it stands', async () => {
      const t = await api.activeTenant();
      const bad = await http().put(`/v1/tenants/${t.id}/users/dana`).set(t.auth).send({ role: 'superuser' }).expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['role']);
      expect(await api.db('tenant_users').where({ tenant_id: t.id })).toEqual([]);

      const dana = await userWithKey(t, 'dana', 'viewer');
      const listed = await http().get(`/v1/tenants/${t.id}/users`).set(t.auth).expect(200);
      expect(listed.body.users).toEqual([
        expect.objectContaining({ name: 'dana', role: 'viewer', restrictedToAssigned: false, email: null, liveKeys: [expect.any(String)] }),
      ]);
      const upload = { contacts: [{ phone: '+14155550111', assignedUser: 'dana' }] };
      await http().post('/v1/contacts').set(dana).send(upload).expect(403);
      // Promoted: the same key may now upload; and a sender still may not manage users.
      await http().put(`/v1/tenants/${t.id}/users/dana`).set(t.auth).send({ role: 'sender', email: 'dana@clinic.example' }).expect(200);
      await http().post('/v1/contacts').set(dana).send(upload).expect(201);
      await http().put(`/v1/tenants/${t.id}/users/erin`).set(dana).send({ role: 'admin' }).expect(403);
      await http().post(`/v1/tenants/${t.id}/users/dana/api-keys`).set(dana).send({}).expect(403);
      expect(await api.db('tenant_users').where({ tenant_id: t.id }).pluck('name')).toEqual(['dana']);
      // A key for a user who does not exist: 404, no key.
      const keysBefore = await api.db('api_keys').where({ tenant_id: t.id }).count<{ count: string }[]>('* as count');
      await http().post(`/v1/tenants/${t.id}/users/nobody/api-keys`).set(t.auth).send({}).expect(404);
      expect(await api.db('api_keys').where({ tenant_id: t.id }).count<{ count: string }[]>('* as count')).toEqual(keysBefore);

      const audit = await auditRows({ tenant_id: t.id });
      expect(audit.map((a) => a.action)).toEqual(['user.created', 'api_key.created', 'user.updated']);
      expect(audit[1].details).toMatchObject({ user: 'dana' });
      expect(audit[2].details).toMatchObject({ name: 'dana', from: { role: 'viewer' }, to: { role: 'sender', hasEmail: true }, emailChanged: true });
      expect(JSON.stringify(audit)).not.toContain('dana@clinic.example');
    });

    it('keeps a rotated user key the user’s, and the last admin key is not revoked', async () => {
      const t = await api.activeTenant();
      await userWithKey(t, 'vic', 'viewer');
      const [userKey] = await api.db('api_keys').where({ tenant_id: t.id, user_name: 'vic' }).pluck<string[]>('id');
      const rotated = await http().post(`/v1/tenants/${t.id}/api-keys/${userKey}/rotate`).set(t.auth).send({}).expect(201);
      expect(rotated.body.key.user).toBe('vic');
      await http()
        .post('/v1/contacts')
        .set(bearer(rotated.body.apiKey as string))
        .send({ contacts: [] })
        .expect(403);
      const refused = await http().post(`/v1/tenants/${t.id}/api-keys/${t.keyId}/revoke`).set(t.auth).send({}).expect(409);
      expect(refused.body.title).toBe('Last admin key');
    });

    it('does not demote the user holding the last admin keys', async () => {
      const t = await api.activeTenant();
      const ann = await userWithKey(t, 'ann', 'admin');
      await http().post(`/v1/tenants/${t.id}/api-keys/${t.keyId}/revoke`).set(ann).send({}).expect(200);
      const refused = await http().put(`/v1/tenants/${t.id}/users/ann`).set(ann).send({ role: 'viewer' }).expect(409);
      expect(refused.body.title).toBe('Last admin');
      expect(await api.db('tenant_users').where({ tenant_id: t.id, name: 'ann' }).pluck('role')).toEqual(['admin']);
      // With another admin, the demotion goes through.
      await userWithKey({ id: t.id, auth: ann }, 'bea', 'admin');
      await http().put(`/v1/tenants/${t.id}/users/ann`).set(ann).send({ role: 'viewer' }).expect(200);
    });
  });

  describe('a user restricted to their assigned contacts', () => {
    let t: Awaited<ReturnType<typeof api.activeTenant>>;
    let dana: Auth;
    /** A restricted admin: may erase, but only her own contacts. */
    let rhea: Auth;
    let campaignId: string;
    const ids = {} as Record<'dana' | 'erin' | 'dana2' | 'erin2' | 'rhea' | 'erin3', string>;
    const requests = {} as Record<'dana2' | 'erin2', string>;
    const phones = {
      dana: '+14155550201',
      erin: '+14155550202',
      dana2: '+14155550211',
      erin2: '+14155550212',
      rhea: '+14155550221',
      erin3: '+14155550222',
    };
    const ownerOf = { dana: 'dana', erin: 'erin', dana2: 'dana', erin2: 'erin', rhea: 'rhea', erin3: 'erin' } as const;
    const sid = () => `SM${randomBytes(16).toString('hex')}`;
    const count = async (table: string, where: Record<string, unknown>) =>
      Number((await api.db(table).where(where).count<{ count: string }[]>('* as count'))[0].count);
    beforeAll(async () => {
      t = await api.activeTenant();
      dana = await userWithKey(t, 'dana', 'sender', true);
      rhea = await userWithKey(t, 'rhea', 'admin', true);
      await http()
        .post('/v1/contacts')
        .set(t.auth)
        .send({
          contacts: (Object.keys(phones) as Array<keyof typeof phones>).map((who) => ({
            phone: phones[who],
            name: `Patient of ${ownerOf[who]}`,
            assignedUser: ownerOf[who],
            consent: WEB_FORM_CONSENT,
          })),
        })
        .expect(201);
      for (const who of Object.keys(phones) as Array<keyof typeof phones>)
        ids[who] = (await api.db('contacts').where({ tenant_id: t.id, phone: phones[who] }).first<{ id: string }>('id')).id;
      const keys = dataKeysFor(api.db, config);
      for (const who of ['dana', 'erin'] as const) {
        await recordInboundMessage(api.db, keys, {
          messageSid: sid(),
          tenantId: t.id,
          from: phones[who],
          to: '+14155550100',
          body: 'Can I move my appointment?',
        });
        await recordInboundMessage(api.db, keys, { messageSid: sid(), tenantId: t.id, from: phones[who], to: '+14155550100', body: 'STOP' });
      }
      // A campaign the owner sent to all four (as the relay leaves it), then an uncertain "stop" from dana2 and erin2.
      [{ id: campaignId }] = await api
        .db('campaigns')
        .insert({
          tenant_id: t.id,
          name: 'Spring cleaning',
          body: 'Bright Smiles Dental: checkup time.',
          message_type: 'transactional',
          batch_size: 10,
          scan: JSON.stringify({ blocked: false, findings: [] }),
          encoding: 'GSM-7',
          segments: 1,
          status: 'completed',
        })
        .returning<{ id: string }[]>('id');
      await api.db('outbox').insert(
        (['dana', 'erin', 'dana2', 'erin2'] as const).map((who) => ({
          campaign_id: campaignId,
          tenant_id: t.id,
          contact_id: ids[who],
          phone_raw: phones[who],
          to_e164: phones[who],
          status: 'sent',
          message_sid: sid(),
          sent_at: api.db.fn.now(),
        })),
      );
      for (const who of ['dana2', 'erin2'] as const) {
        const recorded = await recordInboundMessage(api.db, keys, {
          messageSid: sid(),
          tenantId: t.id,
          from: phones[who],
          to: '+14155550100',
          body: 'not interested',
        });
        expect(recorded.optOutRequest).toMatchObject({ status: 'open' });
        requests[who] = String(recorded.optOutRequest!.id);
      }
    });

    const danasNumbers = [phones.dana, phones.dana2];
    /** What dana got back must be hers, and the owner's key gets erin's too (so the probe can fail). */
    const onlyDanas = (numbers: unknown[]) => expect([...new Set(numbers)].sort()).toEqual(danasNumbers.sort());
    const unchanged = async (change: () => Promise<{ status: number }>, status: number) => {
      const before = await snapshot(t.id);
      expect((await change()).status).toBe(status);
      expect(await snapshot(t.id)).toEqual(before);
    };

    /** One probe per `scoped` route in RESTRICTED: it fails if the route leaks or changes another user's contact. */
    const RESTRICTED_PROBES: Partial<Record<RouteKey, () => Promise<void>>> = {
      'POST /v1/contacts': async () => {
        const named = await http()
          .post('/v1/contacts')
          .set(dana)
          .send({ contacts: [{ phone: '+14155550203', assignedUser: 'erin' }] })
          .expect(400);
        expect(named.body.errors.map((e: { field: string }) => e.field)).toEqual(['contacts[0].assignedUser']);
        await unchanged(
          () =>
            http()
              .post('/v1/contacts')
              .set(dana)
              .send({ contacts: [{ phone: phones.erin, name: 'Mine now', assignedUser: 'dana' }] }),
          409,
        );
      },
      'GET /v1/contacts': async () => {
        const danas = (await api.db('contacts').where({ tenant_id: t.id, assigned_user: 'dana' }).pluck<string[]>('id')).sort();
        const mine = await http().get('/v1/contacts').set(dana).expect(200);
        expect(mine.body.contacts.map((c: { id: string }) => c.id).sort()).toEqual(danas);
        const all = await http().get('/v1/contacts').set(t.auth).expect(200);
        expect(all.body.contacts.map((c: { id: string }) => c.id)).toContain(ids.erin);
        const csv = await http().get('/v1/contacts?format=csv').set(dana).expect(200);
        const lines = parseCsv(csv.text, { columns: true }) as Array<Record<string, string>>;
        expect([...new Set(lines.map((l) => l.contact_id))].sort()).toEqual(danas);
      },
      'GET /v1/contacts/:contactId': async () => {
        expect((await http().get(`/v1/contacts/${ids.dana}`).set(dana).expect(200)).body.id).toBe(ids.dana);
        const other = await http().get(`/v1/contacts/${ids.erin}`).set(dana).expect(404);
        expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect((await http().get(`/v1/contacts/${ids.erin}`).set(t.auth).expect(200)).body.id).toBe(ids.erin);
      },
      'GET /v1/templates/:id/preview': async () => {
        const template = await http()
          .post('/v1/templates')
          .set(t.auth)
          .send({ name: `Probe ${randomUUID()}`, body: 'Hi {{name|there}}, see you soon.', messageType: 'transactional' })
          .expect(201);
        const preview = (contactId: string, auth: Auth) =>
          http()
            .get(`/v1/templates/${template.body.id as string}/preview`)
            .query({ contactId })
            .set(auth);
        expect((await preview(ids.dana, dana).expect(200)).body.contactId).toBe(ids.dana);
        const other = await preview(ids.erin, dana).expect(404);
        expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect((await preview(ids.erin, t.auth).expect(200)).body.contactId).toBe(ids.erin);
      },
      'GET /v1/contacts/:contactId/consents': async () => {
        await http().get(`/v1/contacts/${ids.dana}/consents`).set(dana).expect(200);
        const other = await http().get(`/v1/contacts/${ids.erin}/consents`).set(dana).expect(404);
        expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
      },
      'POST /v1/contacts/:contactId/consents': async () => {
        await unchanged(
          () =>
            http()
              .post(`/v1/contacts/${ids.erin}/consents`)
              .set(dana)
              .send({ status: 'withdrawn', purposes: ['marketing'] }),
          404,
        );
      },
      'POST /v1/contacts/:contactId/erasure': async () => {
        // Another user's contact: 404 as if absent, nothing erased, nothing audited.
        const refused = await http().post(`/v1/contacts/${ids.erin3}/erasure`).set(rhea).send({});
        expect({ status: refused.status, type: refused.headers['content-type'] }).toEqual({
          status: 404,
          type: expect.stringMatching(/^application\/problem\+json/),
        });
        await unchanged(() => http().post(`/v1/contacts/${ids.erin3}/erasure`).set(rhea).send({}), 404);
        expect(await count('contacts', { id: ids.erin3 })).toBe(1);
        // Her own contact: erased.
        await http().post(`/v1/contacts/${ids.rhea}/erasure`).set(rhea).send({}).expect(202);
        expect(await count('contacts', { id: ids.rhea })).toBe(0);
      },
      'GET /v1/erasures/:id': async () => {
        const own = await http().post(`/v1/contacts/${ids.erin3}/erasure`).set(t.auth).send({}).expect(202);
        // rhea's own erasure, if the erasure probe has not run yet.
        if (await count('contacts', { id: ids.rhea })) await http().post(`/v1/contacts/${ids.rhea}/erasure`).set(rhea).send({}).expect(202);
        const [rheas] = await api.db('contact_erasures').where({ tenant_id: t.id, contact_id: ids.rhea }).pluck<string[]>('id');
        // The owner's erasure of erin's contact is not there for rhea; hers is, and not for dana.
        await http()
          .get(`/v1/erasures/${own.body.id as string}`)
          .set(rhea)
          .expect(404);
        await http()
          .get(`/v1/erasures/${own.body.id as string}`)
          .set(t.auth)
          .expect(200);
        expect((await http().get(`/v1/erasures/${rheas}`).set(rhea).expect(200)).body.contactId).toBe(ids.rhea);
        await http().get(`/v1/erasures/${rheas}`).set(dana).expect(404);
      },
      'GET /v1/campaigns/:id/report': async () => {
        const csv = await http().get(`/v1/campaigns/${campaignId}/report?format=csv`).set(dana).expect(200);
        onlyDanas((parseCsv(csv.text, { columns: true }) as Array<Record<string, string>>).map((l) => l.to_e164));
        const all = await http().get(`/v1/campaigns/${campaignId}/report?format=csv`).set(t.auth).expect(200);
        expect(parseCsv(all.text, { columns: true })).toHaveLength(4);
      },
      'GET /v1/notifications': async () => {
        const mine = await http().get('/v1/notifications').set(dana).expect(200);
        onlyDanas((mine.body.notifications as Array<{ from: string }>).map((n) => n.from));
        expect((await http().get('/v1/notifications').set(t.auth).expect(200)).body.notifications.map((n: { from: string }) => n.from)).toContain(phones.erin);
      },
      'GET /v1/opt-out-requests': async () => {
        const mine = await http().get('/v1/opt-out-requests').set(dana).expect(200);
        expect(mine.body.requests.map((r: { id: string | number }) => String(r.id))).toEqual([requests.dana2]);
        expect((await http().get('/v1/opt-out-requests').set(t.auth).expect(200)).body.requests).toHaveLength(2);
      },
      'POST /v1/opt-out-requests/:id/confirm': async () => {
        await unchanged(() => http().post(`/v1/opt-out-requests/${requests.erin2}/confirm`).set(dana).send({}), 404);
        if ((await api.db('opt_out_requests').where({ id: requests.dana2 }).first<{ status: string }>('status')).status === 'open')
          await http().post(`/v1/opt-out-requests/${requests.dana2}/confirm`).set(dana).send({}).expect(200);
      },
      'POST /v1/opt-out-requests/:id/dismiss': async () => {
        await unchanged(() => http().post(`/v1/opt-out-requests/${requests.erin2}/dismiss`).set(dana).send({}), 404);
        expect((await api.db('opt_out_requests').where({ id: requests.erin2 }).first<{ status: string }>('status')).status).toBe('open');
      },
      'GET /v1/reports/opt-outs': async () => {
        const optOuts = await http().get('/v1/reports/opt-outs').set(dana).expect(200);
        // dana's STOP (and dana2's, once the confirm probe has confirmed it); never erin's.
        const mine = optOuts.body.rows.map((r: { phone: string }) => r.phone) as string[];
        expect(mine).toContain(phones.dana);
        expect(mine.filter((p) => !danasNumbers.includes(p))).toEqual([]);
        expect((await http().get('/v1/reports/opt-outs').set(t.auth).expect(200)).body.rows.map((r: { phone: string }) => r.phone)).toContain(phones.erin);
      },
    };

    it('decides every tenant route for a restricted user, and each scoped route has a probe', () => {
      const routes = routeTable(api.app).filter((r) => !NOT_TENANT_ROUTES(r));
      expect({
        undecided: routes.filter((r) => !RESTRICTED[r]),
        stale: Object.keys(RESTRICTED).filter((r) => !routes.includes(r as RouteKey)),
        scopedWithoutProbe: routes.filter((r) => RESTRICTED[r] === 'scoped' && !RESTRICTED_PROBES[r]),
      }).toEqual({ undecided: [], stale: [], scopedWithoutProbe: [] });
    });

    it.each(Object.keys(RESTRICTED_PROBES) as RouteKey[])('%s shows and changes only their own contacts', async (route) => {
      await RESTRICTED_PROBES[route]!();
    });

    it.each((Object.keys(RESTRICTED) as RouteKey[]).filter((r) => RESTRICTED[r] === 'refused'))('%s is refused to them, nothing changed', async (route) => {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern.replace(':id', campaignId);
      const before = await snapshot(t.id);
      const verb = method.toLowerCase() as 'post';
      const agent = http();
      const res = await agent[verb](path)
        .set(dana)
        .send({ name: 'Checkups', body: 'Your checkup is due: reply to book a time.', messageType: 'transactional' });
      expect({ status: res.status, detail: res.body.detail as string }).toEqual({
        status: 403,
        detail: expect.stringMatching(/restricted to their assigned contacts/),
      });
      expect(await snapshot(t.id)).toEqual(before);
    });

    it('records who recorded a consent: the user for a user’s key, the key for the tenant’s own', async () => {
      await http()
        .post('/v1/contacts')
        .set(dana)
        .send({ contacts: [{ phone: '+14155550231', assignedUser: 'dana', consent: WEB_FORM_CONSENT }] })
        .expect(201);
      await http()
        .post(`/v1/contacts/${ids.dana}/consents`)
        .set(dana)
        .send({ status: 'withdrawn', purposes: ['marketing'] })
        .expect(201);
      const [uploaded] = await api.db('contacts').where({ tenant_id: t.id, phone: '+14155550231' }).pluck<string[]>('id');
      const expected = {
        [uploaded]: ['user:dana'],
        [ids.dana]: [`api-key:${t.keyId}`, 'user:dana'],
        [ids.erin]: [`api-key:${t.keyId}`],
      };
      const all = (await http().get('/v1/contacts?limit=1000').set(t.auth).expect(200)).body.contacts as Array<{
        id: string;
        consent: { history: Array<{ recordedBy: string }> };
      }>;
      const json = Object.fromEntries(all.filter((c) => c.id in expected).map((c) => [c.id, c.consent.history.map((h) => h.recordedBy)]));
      expect(json).toEqual(expected);
      const csv = parseCsv((await http().get('/v1/contacts?format=csv').set(t.auth).expect(200)).text, { columns: true }) as Array<Record<string, string>>;
      const fromCsv: Record<string, string[]> = {};
      for (const line of csv.filter((l) => l.contact_id in expected)) (fromCsv[line.contact_id] ??= []).push(line.consent_recorded_by);
      expect(fromCsv).toEqual(expected);
    });
  });

  describe('staff roles', () => {
    it('a reviewer reads and decides, but may not reinstate, change MPS, revoke keys or start a registration', async () => {
      const t = await api.activeTenant();
      await http().get('/v1/compliance/reviews').set(reviewer).expect(200);
      const admin = [
        http().post(`/v1/compliance/tenants/${t.id}/reinstate`).set(reviewer).send({ reason: 'complaint resolved' }),
        http().put(`/v1/compliance/tenants/${t.id}/senders/%2B14155550100/mps`).set(reviewer).send({ mps: 1, reason: 'complaints' }),
        http().post(`/v1/compliance/api-keys/${t.keyId}/revoke`).set(reviewer).send({ reason: 'leaked' }),
        http().post(`/v1/compliance/tenants/${t.id}/registration`).set(reviewer).send({ reason: 'legacy tenant' }),
        http().post(`/v1/compliance/tenants/${t.id}/registration/restart`).set(reviewer).send({ reason: 'timed out' }),
      ];
      for (const res of await Promise.all(admin)) {
        expect({ status: res.status, detail: res.body.detail as string }).toEqual({ status: 403, detail: expect.stringMatching(/role \(reviewer\)/) });
      }
      expect((await api.db('api_keys').where({ id: t.keyId }).first<{ revoked_at: Date | null }>('revoked_at')).revoked_at).toBeNull();
      // A reviewer's decision passes the role check (this tenant has no workflow, so it is not found).
      const decided = await http().post(`/v1/compliance/tenants/${randomUUID()}/suspend`).set(reviewer).send({ reason: 'many complaints' });
      expect(decided.status).toBe(404);
      // A staff admin's revocation goes through.
      await http().post(`/v1/compliance/api-keys/${t.keyId}/revoke`).set(staffAdmin).send({ reason: 'leaked' }).expect(200);
    });
  });

  describe('audit of exports and staff reads', () => {
    it('records every export with who, which user and whose data', async () => {
      const t = await api.activeTenant();
      const sam = await userWithKey(t, 'sam', 'sender');
      const day = new Date().toISOString().slice(0, 10);
      const campaign = await http()
        .post('/v1/campaigns')
        .set(t.auth)
        .send({ name: 'Checkups', body: 'Bright Smiles Dental: your checkup is due, reply to book.', messageType: 'transactional' })
        .expect(201);
      await http().get('/v1/contacts?format=csv').set(sam).expect(200);
      await http().get(`/v1/reports/opt-outs?format=csv&from=${day}&to=${day}`).set(sam).expect(200);
      await http().get('/v1/reports/daily?format=csv').set(t.auth).expect(200);
      await http()
        .get(`/v1/campaigns/${campaign.body.id as string}/report?format=csv`)
        .set(sam)
        .expect(200);
      // JSON reads are not exports.
      await http().get('/v1/contacts').set(sam).expect(200);
      await http().get(`/v1/reports/opt-outs?from=${day}&to=${day}`).set(sam).expect(200);
      await http()
        .get(`/v1/campaigns/${campaign.body.id as string}/report`)
        .set(sam)
        .expect(200);
      const exports = (await auditRows({ tenant_id: t.id })).filter((a) => a.action.startsWith('export.'));
      expect(exports.map((a) => [a.action, a.actor, a.details.user])).toEqual([
        ['export.contacts', `tenant:${t.id}`, 'sam'],
        ['export.opt_outs', `tenant:${t.id}`, 'sam'],
        ['export.daily', `tenant:${t.id}`, null],
        ['export.campaign_report', `tenant:${t.id}`, 'sam'],
      ]);
      expect(exports[3].details).toMatchObject({ campaignId: campaign.body.id });
      await http().get(`/v1/compliance/usage?format=csv&tenantId=${t.id}`).set(staffAdmin).expect(200);
      expect((await auditRows({ tenant_id: t.id, action: 'export.usage' })).map((a) => a.actor)).toEqual([`staff:${staffAdminName}`]);
    });

    it('records every staff read of a tenant’s data, and the audit listing shows reads only when asked', async () => {
      const t = await api.activeTenant();
      await http().get(`/v1/compliance/tenants/${t.id}/sending`).set(reviewer).expect(200);
      await http().get(`/v1/compliance/tenants/${t.id}/api-keys`).set(staffAdmin).expect(200);
      // A tenant key is refused before anything is read or recorded.
      await http().get(`/v1/compliance/tenants/${t.id}/sending`).set(t.auth).expect(403);
      const reads = await auditRows({ tenant_id: t.id, action: 'staff.read' });
      expect(reads.map((a) => [a.actor_kind, a.details.path])).toEqual([
        ['staff', `/v1/compliance/tenants/${t.id}/sending`],
        ['staff', `/v1/compliance/tenants/${t.id}/api-keys`],
      ]);
      expect(reads[0].details).toMatchObject({ staffRole: 'reviewer' });
      const listed = await http().get(`/v1/compliance/audit?tenantId=${t.id}`).set(staffAdmin).expect(200);
      expect(listed.body.entries.map((e: { action: string }) => e.action)).not.toContain('staff.read');
      const withReads = await http().get(`/v1/compliance/audit?tenantId=${t.id}&includeReads=true`).set(staffAdmin).expect(200);
      expect(withReads.body.entries.filter((e: { action: string }) => e.action === 'staff.read')).toHaveLength(4);
    });
  });
});
