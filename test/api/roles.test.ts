import { randomBytes, randomUUID } from 'node:crypto';
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
 * reads). Every tenant route the app answers must be listed here, so a new one is decided.
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
  'GET /v1/contacts': 'viewer',
  'GET /v1/contacts/:contactId/consents': 'viewer',
  'POST /v1/contacts/:contactId/consents': 'sender',
  'POST /v1/contacts/:contactId/erasure': 'admin',
  'GET /v1/erasures/:id': 'viewer',
  'GET /v1/opt-in-keywords': 'viewer',
  'PUT /v1/opt-in-keywords/:keyword': 'admin',
  'POST /v1/campaigns': 'sender',
  'GET /v1/campaigns/:id': 'viewer',
  'POST /v1/campaigns/:id/start': 'sender',
  'POST /v1/campaigns/:id/cancel': 'sender',
  'GET /v1/campaigns/:id/report': 'viewer',
  'GET /v1/notices': 'viewer',
  'GET /v1/notifications': 'viewer',
  'GET /v1/opt-out-requests': 'viewer',
  'POST /v1/opt-out-requests/:id/confirm': 'sender',
  'POST /v1/opt-out-requests/:id/dismiss': 'sender',
  'GET /v1/reports/opt-outs': 'viewer',
  'GET /v1/reports/daily': 'viewer',
};
/** Routes that take no tenant key at all. */
const NOT_TENANT_ROUTES = (route: RouteKey) =>
  / \/v1\/compliance\//.test(route) || / \/webhooks\//.test(route) || ['GET /healthz', 'GET /metrics', 'POST /v1/tenants'].includes(route);
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
    const ids = {} as Record<'dana' | 'erin', string>;
    const phones = { dana: '+14155550201', erin: '+14155550202' };
    beforeAll(async () => {
      t = await api.activeTenant();
      dana = await userWithKey(t, 'dana', 'sender', true);
      await http()
        .post('/v1/contacts')
        .set(t.auth)
        .send({
          contacts: [
            { phone: phones.dana, name: 'Dana’s patient', assignedUser: 'dana', consent: WEB_FORM_CONSENT },
            { phone: phones.erin, name: 'Erin’s patient', assignedUser: 'erin', consent: WEB_FORM_CONSENT },
          ],
        })
        .expect(201);
      for (const who of ['dana', 'erin'] as const)
        ids[who] = (await api.db('contacts').where({ tenant_id: t.id, assigned_user: who }).first<{ id: string }>('id')).id;
      const keys = dataKeysFor(api.db, config);
      for (const who of ['dana', 'erin'] as const) {
        const sid = () => `SM${randomBytes(16).toString('hex')}`;
        await recordInboundMessage(api.db, keys, {
          messageSid: sid(),
          tenantId: t.id,
          from: phones[who],
          to: '+14155550100',
          body: 'Can I move my appointment?',
        });
        await recordInboundMessage(api.db, keys, { messageSid: sid(), tenantId: t.id, from: phones[who], to: '+14155550100', body: 'STOP' });
      }
    });

    it('lists and exports only their contacts; the owner sees both', async () => {
      const mine = await http().get('/v1/contacts').set(dana).expect(200);
      expect(mine.body.contacts.map((c: { id: string }) => c.id)).toEqual([ids.dana]);
      const all = await http().get('/v1/contacts').set(t.auth).expect(200);
      expect(all.body.contacts.map((c: { id: string }) => c.id).sort()).toEqual([ids.dana, ids.erin].sort());
      const csv = await http().get('/v1/contacts?format=csv').set(dana).expect(200);
      expect(csv.text).toContain(ids.dana);
      expect(csv.text).not.toContain(ids.erin);
    });

    it('reads consents of their contacts only: another’s is 404 and its consent cannot be withdrawn', async () => {
      await http().get(`/v1/contacts/${ids.dana}/consents`).set(dana).expect(200);
      const other = await http().get(`/v1/contacts/${ids.erin}/consents`).set(dana).expect(404);
      expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
      const before = await api.db('contact_consents').where({ contact_id: ids.erin }).count<{ count: string }[]>('* as count');
      await http()
        .post(`/v1/contacts/${ids.erin}/consents`)
        .set(dana)
        .send({ status: 'withdrawn', purposes: ['marketing'] })
        .expect(404);
      expect(await api.db('contact_consents').where({ contact_id: ids.erin }).count<{ count: string }[]>('* as count')).toEqual(before);
    });

    it('sees replies and opt-outs of their contacts only', async () => {
      const notifications = await http().get('/v1/notifications').set(dana).expect(200);
      expect(notifications.body.notifications.map((n: { from: string }) => n.from)).toEqual([phones.dana]);
      expect((await http().get('/v1/notifications').set(t.auth).expect(200)).body.notifications).toHaveLength(2);
      const optOuts = await http().get('/v1/reports/opt-outs').set(dana).expect(200);
      expect(optOuts.body.rows.map((r: { phone: string }) => r.phone)).toEqual([phones.dana]);
    });

    it('may not create a campaign, which would reach every user’s contacts', async () => {
      const campaign = { name: 'Checkups', body: 'Your checkup is due: reply to book a time.', messageType: 'transactional' };
      const res = await http().post('/v1/campaigns').set(dana).send(campaign).expect(403);
      expect(res.body.detail).toMatch(/restricted to their assigned contacts/);
      expect(await api.db('campaigns').where({ tenant_id: t.id })).toEqual([]);
      await http().post('/v1/campaigns').set(t.auth).send(campaign).expect(201);
    });

    it('uploads only contacts assigned to them, and never takes over another’s contact', async () => {
      const named = await http()
        .post('/v1/contacts')
        .set(dana)
        .send({ contacts: [{ phone: '+14155550203', assignedUser: 'erin' }] })
        .expect(400);
      expect(named.body.errors.map((e: { field: string }) => e.field)).toEqual(['contacts[0].assignedUser']);
      const before = await snapshot(t.id);
      await http()
        .post('/v1/contacts')
        .set(dana)
        .send({ contacts: [{ phone: phones.erin, name: 'Mine now', assignedUser: 'dana' }] })
        .expect(409);
      expect(await snapshot(t.id)).toEqual(before);
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
      const vera = await userWithKey(t, 'vera', 'viewer');
      const day = new Date().toISOString().slice(0, 10);
      await http().get('/v1/contacts?format=csv').set(vera).expect(200);
      await http().get(`/v1/reports/opt-outs?format=csv&from=${day}&to=${day}`).set(vera).expect(200);
      await http().get('/v1/reports/daily?format=csv').set(t.auth).expect(200);
      // JSON reads are not exports.
      await http().get('/v1/contacts').set(vera).expect(200);
      await http().get(`/v1/reports/opt-outs?from=${day}&to=${day}`).set(vera).expect(200);
      const exports = (await auditRows({ tenant_id: t.id })).filter((a) => a.action.startsWith('export.'));
      expect(exports.map((a) => [a.action, a.actor, a.details.user])).toEqual([
        ['export.contacts', `tenant:${t.id}`, 'vera'],
        ['export.opt_outs', `tenant:${t.id}`, 'vera'],
        ['export.daily', `tenant:${t.id}`, null],
      ]);
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
