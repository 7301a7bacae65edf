import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { issueApiKey } from '../../src/api/api-keys';
import { MAX_LIVE_KEYS_PER_TENANT } from '../../src/api/api-key-lifecycle';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

type Auth = { authorization: string };
interface KeyView {
  id: string;
  prefix: string;
  label: string | null;
  state: 'active' | 'revoked' | 'expired';
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  rotatedFrom: string | null;
}
/** What create and rotate answer: the key itself, shown once, and its view. */
interface Issued {
  apiKey: string;
  key: KeyView;
  replaced: KeyView;
}
interface AuditEntry {
  actor: string;
  actorKind: string;
  tenantId: string | null;
  action: string;
  reason: string | null;
  details: Record<string, unknown>;
}

/**
 * API keys end: tenants list, create, rotate (at once or after a grace) and revoke their own;
 * staff revoke any key, audited; expired and revoked keys answer 401 saying why; `last_used_at`
 * is written at most once a minute per key. All through the real Express app on PostgreSQL.
 */
describe('API key lifecycle', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let staffName: string;
  let staff: Auth;
  // Every write of last_used_at, counted by a trigger this file adds (and drops) on api_keys.
  const probe = `test_key_use_writes_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    api = await apiHarness(config);
    staffName = `keys-${randomBytes(3).toString('hex')}`;
    staff = { authorization: `Bearer ${await api.staffKey(staffName)}` };
    await api.db.raw(`
      CREATE TABLE ${probe} (key_id uuid NOT NULL);
      CREATE FUNCTION ${probe}_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO ${probe} (key_id) VALUES (NEW.id); RETURN NEW; END $$;
      CREATE TRIGGER ${probe} AFTER UPDATE OF last_used_at ON api_keys FOR EACH ROW EXECUTE FUNCTION ${probe}_count();
    `);
  });
  afterAll(async () => {
    await api.db.raw(`DROP TRIGGER ${probe} ON api_keys; DROP FUNCTION ${probe}_count(); DROP TABLE ${probe};`);
    await api.close();
  });

  const http = () => request(api.app);
  const bearer = (key: string): Auth => ({ authorization: `Bearer ${key}` });
  /** A tenant with one key, inserted directly: these routes need no onboarding workflow. */
  const newTenant = async () => {
    const { id, keyId, key, auth } = await api.activeTenant({ keyLabel: 'sign-up' });
    return { id, keyId, key, auth };
  };
  const keysOf = async (t: { id: string; auth: Auth }) => (await http().get(`/v1/tenants/${t.id}/api-keys`).set(t.auth).expect(200)).body.keys as KeyView[];
  const auditOf = async (tenantId: string) =>
    (await http().get(`/v1/compliance/audit?tenantId=${tenantId}`).set(staff).expect(200)).body.entries as AuditEntry[];
  const keyRows = (tenantId: string) =>
    api.db('api_keys').where({ tenant_id: tenantId }).orderBy('id').select('id', 'revoked_at', 'revoked_by', 'expires_at', 'label');
  const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
  /** Passes when the key is refused with a 401 problem whose detail says why. */
  const refused = async (auth: Auth, tenantId: string, why: RegExp) => {
    const res = await http().get(`/v1/tenants/${tenantId}/api-keys`).set(auth).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.detail).toMatch(why);
    return res.body as { detail: string; keyState?: string };
  };

  describe('a tenant lists its keys', () => {
    it('shows prefix, label, state and times, never the secret nor its hash', async () => {
      const t = await newTenant();
      const [key] = await keysOf(t);
      expect(key).toEqual({
        id: t.keyId,
        prefix: t.key.slice(0, 'cs_tenant_'.length + 12),
        role: 'tenant',
        tenantId: t.id,
        // The owner's key: no user (it acts as admin), and no staff role.
        user: null,
        staffRole: null,
        label: 'sign-up',
        state: 'active',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        expiresAt: null,
        revokedAt: null,
        revokedBy: null,
        rotatedFrom: null,
      });
      expect(t.key.startsWith(`${key.prefix}_`)).toBe(true);
      const secret = t.key.slice(key.prefix.length + 1);
      const listing = JSON.stringify(await keysOf(t));
      expect(listing).not.toContain(secret);
      expect(listing).not.toMatch(/hash/i);
    });
  });

  describe('creating a key', () => {
    it('returns the new key once (201), with the expiry asked for, and it works', async () => {
      const t = await newTenant();
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const res = await http().post(`/v1/tenants/${t.id}/api-keys`).set(t.auth).send({ label: 'ci deploy', expiresAt }).expect(201);
      const body = res.body as Issued;
      expect(body.apiKey).toMatch(/^cs_tenant_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
      expect(body.key).toMatchObject({ label: 'ci deploy', state: 'active', expiresAt });
      await http().get(`/v1/tenants/${t.id}/settings`).set(bearer(body.apiKey)).expect(200);
      expect((await keysOf(t)).map((k) => k.id).sort()).toEqual([t.keyId, body.key.id].sort());
      expect((await auditOf(t.id)).find((e) => e.action === 'api_key.created')).toMatchObject({
        actor: `tenant:${t.id}`,
        actorKind: 'tenant',
        details: { keyId: body.key.id, byKeyId: t.keyId },
      });
    });

    it(`refuses more than ${MAX_LIVE_KEYS_PER_TENANT} live keys with a 409, storing nothing`, async () => {
      const t = await newTenant();
      for (let i = 1; i < MAX_LIVE_KEYS_PER_TENANT; i++) await http().post(`/v1/tenants/${t.id}/api-keys`).set(t.auth).send({}).expect(201);
      const before = await keyRows(t.id);
      expect(before).toHaveLength(MAX_LIVE_KEYS_PER_TENANT);
      const res = await http().post(`/v1/tenants/${t.id}/api-keys`).set(t.auth).send({}).expect(409);
      expect(res.body.detail).toMatch(/at most 10 live API keys/);
      expect(await keyRows(t.id)).toEqual(before);
    });
  });

  describe('expiry', () => {
    it('answers 401 problem+json saying the key expired, once its expiry has passed', async () => {
      const t = await newTenant();
      const created = (await http().post(`/v1/tenants/${t.id}/api-keys`).set(t.auth).send({ expiresAt: inAMinute() }).expect(201)).body as Issued;
      const auth = bearer(created.apiKey);
      await http().get(`/v1/tenants/${t.id}/api-keys`).set(auth).expect(200);
      // The minute passes: moved back in the database rather than waited for.
      await api
        .db('api_keys')
        .where({ id: created.key.id })
        .update({ expires_at: api.db.raw(`now() - interval '1 second'`) });
      const problem = await refused(auth, t.id, /expired at \d{4}-\d\d-\d\dT/);
      expect(problem.keyState).toBe('expired');
      expect((await keysOf(t)).find((k) => k.id === created.key.id)?.state).toBe('expired');
    });
  });

  describe('rotation', () => {
    it('issues a new key with the same label and revokes the old one at once', async () => {
      const t = await newTenant();
      const res = (await http().post(`/v1/tenants/${t.id}/api-keys/${t.keyId}/rotate`).set(t.auth).send({}).expect(201)).body as Issued;
      expect(res.key).toMatchObject({ label: 'sign-up', state: 'active', rotatedFrom: t.keyId, expiresAt: null });
      expect(res.replaced).toMatchObject({ id: t.keyId, state: 'revoked', revokedBy: `tenant:${t.id}` });
      const problem = await refused(t.auth, t.id, /revoked at/);
      expect(problem.keyState).toBe('revoked');
      const fresh = bearer(res.apiKey);
      expect((await keysOf({ id: t.id, auth: fresh })).map((k) => [k.id, k.state])).toEqual(
        expect.arrayContaining([
          [t.keyId, 'revoked'],
          [res.key.id, 'active'],
        ]),
      );
      expect((await auditOf(t.id)).find((e) => e.action === 'api_key.rotated')).toMatchObject({
        actor: `tenant:${t.id}`,
        details: { keyId: t.keyId, newKeyId: res.key.id, graceSeconds: 0, byKeyId: t.keyId },
      });
      // A revoked key cannot be rotated again (that would mint keys from a dead one).
      await http().post(`/v1/tenants/${t.id}/api-keys/${t.keyId}/rotate`).set(fresh).send({}).expect(409);
    });

    it('keeps the old key working through the grace asked for, then refuses it', async () => {
      const t = await newTenant();
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const res = (await http().post(`/v1/tenants/${t.id}/api-keys/${t.keyId}/rotate`).set(t.auth).send({ graceSeconds: 600, expiresAt }).expect(201))
        .body as Issued;
      expect(res.key.expiresAt).toBe(expiresAt);
      expect(res.replaced.state).toBe('active');
      // The new key is made in the same transaction: its creation is the moment of rotation.
      expect(Date.parse(res.replaced.revokedAt!) - Date.parse(res.key.createdAt)).toBe(600_000);
      await http().get(`/v1/tenants/${t.id}/settings`).set(t.auth).expect(200);
      await http().get(`/v1/tenants/${t.id}/settings`).set(bearer(res.apiKey)).expect(200);
      // The ten minutes pass: moved back in the database rather than waited for.
      await api
        .db('api_keys')
        .where({ id: t.keyId })
        .update({ revoked_at: api.db.raw(`now() - interval '1 second'`) });
      await refused(t.auth, t.id, /revoked at/);
      await http().get(`/v1/tenants/${t.id}/settings`).set(bearer(res.apiKey)).expect(200);
    });
  });

  describe('a tenant revokes its own key', () => {
    it('revokes at once and audits it; a revoked key answers 401 and cannot be revoked again', async () => {
      const t = await newTenant();
      const second = (await http().post(`/v1/tenants/${t.id}/api-keys`).set(t.auth).send({ label: 'laptop' }).expect(201)).body as Issued;
      const res = await http().post(`/v1/tenants/${t.id}/api-keys/${second.key.id}/revoke`).set(t.auth).send({ reason: 'laptop stolen' }).expect(200);
      expect(res.body.key).toMatchObject({ id: second.key.id, state: 'revoked', revokedBy: `tenant:${t.id}` });
      await refused(bearer(second.apiKey), t.id, /revoked at/);
      await http().post(`/v1/tenants/${t.id}/api-keys/${second.key.id}/revoke`).set(t.auth).send({}).expect(409);
      expect((await auditOf(t.id)).filter((e) => e.action === 'api_key.revoked')).toEqual([
        expect.objectContaining({
          actor: `tenant:${t.id}`,
          actorKind: 'tenant',
          reason: 'laptop stolen',
          details: expect.objectContaining({ keyId: second.key.id }),
        }),
      ]);
    });

    it('refuses to revoke its last live key (409: rotate instead), and the key keeps working', async () => {
      const t = await newTenant();
      const res = await http().post(`/v1/tenants/${t.id}/api-keys/${t.keyId}/revoke`).set(t.auth).send({}).expect(409);
      expect(res.body.detail).toMatch(/rotate it instead/);
      expect((await keysOf(t))[0].state).toBe('active');
    });
  });

  describe('isolation: one tenant never sees or touches another tenant’s keys', () => {
    it.each<[string, (a: { id: string }, b: { id: string; keyId: string }) => [string, string, object | undefined]]>([
      ['list them by its id', (_a, b) => ['get', `/v1/tenants/${b.id}/api-keys`, undefined]],
      ['create one under its id', (_a, b) => ['post', `/v1/tenants/${b.id}/api-keys`, {}]],
      ['rotate one under its id', (_a, b) => ['post', `/v1/tenants/${b.id}/api-keys/${b.keyId}/rotate`, {}]],
      ['revoke one under its id', (_a, b) => ['post', `/v1/tenants/${b.id}/api-keys/${b.keyId}/revoke`, {}]],
      ['rotate one under its own id', (a, b) => ['post', `/v1/tenants/${a.id}/api-keys/${b.keyId}/rotate`, {}]],
      ['revoke one under its own id', (a, b) => ['post', `/v1/tenants/${a.id}/api-keys/${b.keyId}/revoke`, {}]],
    ])('cannot %s (404, and nothing changes)', async (_label, call) => {
      const a = await newTenant();
      const b = await newTenant();
      await http().post(`/v1/tenants/${b.id}/api-keys`).set(b.auth).send({ label: 'second' }).expect(201);
      const [bKeys, bAudit] = [await keyRows(b.id), await auditOf(b.id)];
      const [method, path, body] = call(a, b);
      const res = await (method === 'get' ? http().get(path) : http().post(path).send(body)).set(a.auth).expect(404);
      expect(res.body.title).toBe('Not found');
      expect(JSON.stringify(res.body)).not.toContain(b.key.slice(10, 22));
      expect(await keyRows(b.id)).toEqual(bKeys);
      expect(await keyRows(a.id)).toHaveLength(1);
      expect(await auditOf(b.id)).toEqual(bAudit);
      await http().get(`/v1/tenants/${b.id}/settings`).set(b.auth).expect(200);
    });
  });

  describe('staff revoke any key', () => {
    it('revokes a tenant key with a reason, audited with the staff member’s name', async () => {
      const t = await newTenant();
      const listed = (await http().get(`/v1/compliance/tenants/${t.id}/api-keys`).set(staff).expect(200)).body.keys as KeyView[];
      expect(listed.map((k) => k.id)).toEqual([t.keyId]);
      const res = await http().post(`/v1/compliance/api-keys/${t.keyId}/revoke`).set(staff).send({ reason: 'key posted in a public repository' }).expect(200);
      expect(res.body.key).toMatchObject({ id: t.keyId, state: 'revoked', revokedBy: `staff:${staffName}` });
      await refused(t.auth, t.id, /revoked at/);
      expect((await auditOf(t.id)).find((e) => e.action === 'api_key.revoked')).toMatchObject({
        actor: `staff:${staffName}`,
        actorKind: 'staff',
        tenantId: t.id,
        reason: 'key posted in a public repository',
        details: { keyId: t.keyId, role: 'tenant' },
      });
      await http().post(`/v1/compliance/api-keys/${t.keyId}/revoke`).set(staff).send({ reason: 'again' }).expect(409);
    });

    it('revokes a staff key too, and that key is refused on staff routes', async () => {
      const other = await issueApiKey(api.db, { role: 'staff', label: 'bob' });
      await http().get('/v1/compliance/reviews').set(bearer(other.key)).expect(200);
      await http().post(`/v1/compliance/api-keys/${other.id}/revoke`).set(staff).send({ reason: 'left the company' }).expect(200);
      const res = await http().get('/v1/compliance/reviews').set(bearer(other.key)).expect(401);
      expect(res.body.detail).toMatch(/revoked at/);
      const audit = (await http().get('/v1/compliance/audit?limit=500').set(staff).expect(200)).body.entries as AuditEntry[];
      expect(audit.find((e) => e.action === 'api_key.revoked' && e.details.keyId === other.id)).toMatchObject({
        actor: `staff:${staffName}`,
        actorKind: 'staff',
        tenantId: null,
      });
    });

    it('needs a staff key, a reason and a known key id', async () => {
      const t = await newTenant();
      await http().post(`/v1/compliance/api-keys/${t.keyId}/revoke`).set(t.auth).send({ reason: 'self-service' }).expect(403);
      const noReason = await http().post(`/v1/compliance/api-keys/${t.keyId}/revoke`).set(staff).send({}).expect(400);
      expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
      await http().post(`/v1/compliance/api-keys/${randomUUID()}/revoke`).set(staff).send({ reason: 'unknown key' }).expect(404);
      expect((await keysOf(t))[0].state).toBe('active');
    });
  });

  describe('last_used_at', () => {
    const writesFor = async (keyId: string) => Number((await api.db(probe).where({ key_id: keyId }).count<{ c: string }[]>('* as c'))[0].c);

    it('is written once for a burst of requests and for requests within the minute, then again after a minute', async () => {
      const t = await newTenant();
      expect(await writesFor(t.keyId)).toBe(0);
      await Promise.all(Array.from({ length: 20 }, () => http().get(`/v1/tenants/${t.id}/settings`).set(t.auth).expect(200)));
      expect(await writesFor(t.keyId)).toBe(1);
      for (let i = 0; i < 5; i++) await http().get(`/v1/tenants/${t.id}/settings`).set(t.auth).expect(200);
      expect(await writesFor(t.keyId)).toBe(1);
      const firstUse = (await keysOf(t))[0].lastUsedAt;
      expect(firstUse).not.toBeNull();

      // A minute and more passes (moved back rather than waited for; this update is counted too).
      await api
        .db('api_keys')
        .where({ id: t.keyId })
        .update({ last_used_at: api.db.raw(`now() - interval '61 seconds'`) });
      expect(await writesFor(t.keyId)).toBe(2);
      await Promise.all(Array.from({ length: 10 }, () => http().get(`/v1/tenants/${t.id}/settings`).set(t.auth).expect(200)));
      expect(await writesFor(t.keyId)).toBe(3);
      expect(new Date((await keysOf(t))[0].lastUsedAt!).getTime()).toBeGreaterThanOrEqual(new Date(firstUse!).getTime());
    });

    it('is not written for a refused key', async () => {
      const t = await newTenant();
      await api
        .db('api_keys')
        .where({ id: t.keyId })
        .update({ expires_at: api.db.raw(`now() - interval '1 second'`) });
      await refused(t.auth, t.id, /expired/);
      expect(await writesFor(t.keyId)).toBe(0);
    });
  });

  describe('validation', () => {
    it.each<[string, 'create' | 'rotate' | 'revoke', object, string]>([
      ['an expiry in the past', 'create', { expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'expiresAt'],
      ['an expiry that is not a date-time', 'create', { expiresAt: 'next week' }, 'expiresAt'],
      ['an expiry without a time zone', 'rotate', { expiresAt: '2099-01-01T00:00:00' }, 'expiresAt'],
      ['a label too long', 'create', { label: 'x'.repeat(101) }, 'label'],
      ['a grace over an hour', 'rotate', { graceSeconds: 3601 }, 'graceSeconds'],
      ['a negative grace', 'rotate', { graceSeconds: -1 }, 'graceSeconds'],
      ['an unexpected field', 'create', { secret: 'mine' }, '(root)'],
      ['a reason too short', 'revoke', { reason: 'x' }, 'reason'],
    ])('refuses %s with a 400 naming the field, and changes nothing', async (_label, action, body, field) => {
      const t = await newTenant();
      await http().post(`/v1/tenants/${t.id}/api-keys`).set(t.auth).send({}).expect(201);
      const before = await keyRows(t.id);
      const path = action === 'create' ? `/v1/tenants/${t.id}/api-keys` : `/v1/tenants/${t.id}/api-keys/${t.keyId}/${action}`;
      const res = await http().post(path).set(t.auth).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect(await keyRows(t.id)).toEqual(before);
    });

    it('names keyId when the key id is not one', async () => {
      const t = await newTenant();
      const res = await http().post(`/v1/tenants/${t.id}/api-keys/nope/rotate`).set(t.auth).send({}).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['keyId']);
      expect(await keyRows(t.id)).toHaveLength(1);
    });
  });
});
