import { createHash } from 'node:crypto';
import request from 'supertest';
import { issueApiKey } from '../../src/api/api-keys';
import { apiHarness } from '../support/api';
import { captureLogs } from '../support/log-capture';
import { testConfig } from '../support/test-env';

/**
 * Console sessions (issue 16): an API key exchanged for an HttpOnly cookie, the principal rebuilt
 * from the key on every request, and CSRF checks (same origin AND the session's token) on every
 * change made with the cookie. Through the real Express app on PostgreSQL.
 */
describe('console sessions', () => {
  const config = testConfig({ PUBLIC_BASE_URL: 'http://console.example:3000', TEMPORAL_UI_URL: 'http://127.0.0.1:8233' });
  const ownOrigin = 'http://console.example:3000';
  let api: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => {
    api = await apiHarness(config);
  });
  afterAll(() => api.close());

  /** Signs in from the console's own page; returns the Cookie header value and the session's view. */
  async function signIn(key: string) {
    const res = await request(api.app).post('/console/session').set('sec-fetch-site', 'same-origin').send({ key }).expect(201);
    const setCookie = setCookieOf(res.headers);
    const sessionId = /^cs_session=([^;]+)/.exec(setCookie)![1];
    return { cookie: `cs_session=${sessionId}`, sessionId, setCookie, session: res.body };
  }
  const setCookieOf = (headers: Record<string, unknown>) => ([] as string[]).concat((headers['set-cookie'] as string[] | undefined) ?? []).join('\n');
  const auditOf = (action: string, tenantId: string) => api.db('audit_log').where({ action, tenant_id: tenantId }).orderBy('id');
  const keyCount = async (tenantId: string) =>
    Number((await api.db('api_keys').where({ tenant_id: tenantId }).count<{ count: string }[]>('* as count'))[0].count);

  it('signs in with a tenant key: an HttpOnly SameSite=Strict cookie, the id stored only as its SHA-256, audited', async () => {
    const tenant = await api.activeTenant({ businessName: 'Console Dental' });
    const { setCookie, sessionId, session } = await signIn(tenant.key);
    expect(setCookie).toMatch(/^cs_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(session).toEqual({
      kind: 'tenant',
      tenantId: tenant.id,
      role: 'admin',
      name: 'Console Dental',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      temporalUiUrl: 'http://127.0.0.1:8233/namespaces/default',
    });
    const rows = await api.db('console_sessions').where({ api_key_id: tenant.keyId });
    expect(rows).toHaveLength(1);
    expect(rows[0].id_hash).toEqual(createHash('sha256').update(sessionId).digest());
    const stored = JSON.stringify(rows) + rows[0].id_hash.toString('latin1');
    expect(stored).not.toContain(sessionId);
    expect(stored).not.toContain(session.csrfToken);
    const [entry] = await auditOf('console.signed_in', tenant.id);
    expect(entry).toMatchObject({ actor: `tenant:${tenant.id}`, actor_kind: 'tenant', details: { apiKeyId: tenant.keyId } });
  });

  it('names the local sandbox (and the owner phone its Verify code is filed under) only when Twilio is the sandbox', async () => {
    const tenant = await api.activeTenant();
    await api.db('tenants').where({ id: tenant.id }).update({ owner_phone: '+14155550771' });
    // This harness has no TWILIO_API_BASE: real Twilio, no sandbox hint.
    const real = await signIn(tenant.key);
    expect(real.session.sandboxUrl).toBeUndefined();
    expect(real.session.ownerPhone).toBeUndefined();
    const sandboxed = await apiHarness(testConfig({ PUBLIC_BASE_URL: ownOrigin, TWILIO_API_BASE: 'http://127.0.0.1:4010/' }));
    try {
      const res = await request(sandboxed.app).post('/console/session').set('sec-fetch-site', 'same-origin').send({ key: tenant.key }).expect(201);
      expect(res.body).toMatchObject({ kind: 'tenant', sandboxUrl: 'http://127.0.0.1:4010', ownerPhone: '+14155550771' });
      const staff = await request(sandboxed.app)
        .post('/console/session')
        .set('sec-fetch-site', 'same-origin')
        .send({ key: await api.staffKey() })
        .expect(201);
      expect(staff.body.sandboxUrl).toBe('http://127.0.0.1:4010');
      expect(staff.body.ownerPhone).toBeUndefined();
    } finally {
      await sandboxed.close();
    }
  });

  it('marks the cookie Secure when the request came over HTTPS (a trusted proxy says so)', async () => {
    const tenant = await api.activeTenant();
    const res = await request(api.app)
      .post('/console/session')
      .set({ 'sec-fetch-site': 'same-origin', 'x-forwarded-proto': 'https' })
      .send({ key: tenant.key })
      .expect(201);
    expect(setCookieOf(res.headers)).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('signs in with a staff key, and from a plain form post (redirected to the console)', async () => {
    const staffKey = await api.staffKey('console-staff');
    const { session } = await signIn(staffKey);
    expect(session).toMatchObject({ kind: 'staff', role: 'admin', name: 'console-staff' });
    const form = await request(api.app).post('/console/session').set('origin', ownOrigin).type('form').send({ key: staffKey }).expect(303);
    expect(form.headers.location).toBe('/console/');
    expect(setCookieOf(form.headers)).toMatch(/^cs_session=/);
  });

  it('refuses a bad, a revoked and an expired key with the API’s 401, and sets no cookie', async () => {
    const tenant = await api.activeTenant();
    const before = await api.db('console_sessions').count<{ count: string }[]>('* as count');
    const bad = await request(api.app).post('/console/session').set('sec-fetch-site', 'same-origin').send({ key: 'cs_tenant_000000000000_nope' }).expect(401);
    expect(bad.body.detail).toBe('The API key is not valid.');
    expect(bad.headers['set-cookie']).toBeUndefined();
    await api.db('api_keys').where({ id: tenant.keyId }).update({ revoked_at: api.db.fn.now(), revoked_by: 'test' });
    const revoked = await request(api.app).post('/console/session').set('sec-fetch-site', 'same-origin').send({ key: tenant.key }).expect(401);
    expect(revoked.body).toMatchObject({ keyState: 'revoked', detail: expect.stringMatching(/^The API key was revoked at /) });
    expect(revoked.headers['set-cookie']).toBeUndefined();
    const expiring = await issueApiKey(api.db, { role: 'tenant', tenantId: tenant.id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await request(api.app).post('/console/session').set('sec-fetch-site', 'same-origin').send({ key: expiring.key }).expect(401);
    expect(expired.body.keyState).toBe('expired');
    await request(api.app).post('/console/session').set('sec-fetch-site', 'same-origin').send({}).expect(400);
    expect(await api.db('console_sessions').count<{ count: string }[]>('* as count')).toEqual(before);
  });

  it('refuses a sign-in posted from another site or without an Origin (no one is signed in with someone else’s key)', async () => {
    const tenant = await api.activeTenant();
    await request(api.app).post('/console/session').set('sec-fetch-site', 'cross-site').send({ key: tenant.key }).expect(403);
    await request(api.app).post('/console/session').set('sec-fetch-site', 'same-site').send({ key: tenant.key }).expect(403);
    await request(api.app).post('/console/session').set('origin', 'http://evil.example').send({ key: tenant.key }).expect(403);
    await request(api.app).post('/console/session').send({ key: tenant.key }).expect(403);
    expect(await api.db('console_sessions').where({ api_key_id: tenant.keyId })).toHaveLength(0);
  });

  it('answers who is signed in; 401 without a session', async () => {
    await request(api.app).get('/console/session').expect(401);
    await request(api.app)
      .get('/console/session')
      .set('cookie', `cs_session=${'A'.repeat(43)}`)
      .expect(401);
    const tenant = await api.activeTenant();
    const { cookie, session } = await signIn(tenant.key);
    const res = await request(api.app).get('/console/session').set('cookie', cookie).expect(200);
    expect(res.body).toEqual(session);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('lets the cookie stand in for the bearer key, rebuilt from the key each request: a revoked key ends its sessions at once', async () => {
    const tenant = await api.activeTenant();
    const { cookie } = await signIn(tenant.key);
    await request(api.app).get(`/v1/tenants/${tenant.id}/api-keys`).set('cookie', cookie).expect(200);
    await api.db('api_keys').where({ id: tenant.keyId }).update({ revoked_at: api.db.fn.now(), revoked_by: 'test' });
    const refused = await request(api.app).get(`/v1/tenants/${tenant.id}/api-keys`).set('cookie', cookie).expect(401);
    expect(refused.body.keyState).toBe('revoked');
    expect(await api.db('console_sessions').where({ api_key_id: tenant.keyId })).toHaveLength(0);
    await request(api.app).get('/console/session').set('cookie', cookie).expect(401);
  });

  it('applies a changed staff role to the next request', async () => {
    const staff = await issueApiKey(api.db, { role: 'staff', label: 'role-change', staffRole: 'admin' });
    const { cookie } = await signIn(staff.key);
    await api.db('api_keys').where({ id: staff.id }).update({ staff_role: 'reviewer' });
    expect((await request(api.app).get('/console/session').set('cookie', cookie).expect(200)).body.role).toBe('reviewer');
  });

  it('ends a session idle too long or past its lifetime', async () => {
    const tenant = await api.activeTenant();
    const idle = await signIn(tenant.key);
    const old = await signIn(tenant.key);
    const hash = (id: string) => createHash('sha256').update(id).digest();
    await api
      .db('console_sessions')
      .where({ id_hash: hash(idle.sessionId) })
      .update({ last_seen_at: api.db.raw(`now() - make_interval(secs => ?)`, [config.CONSOLE_SESSION_IDLE_SECONDS + 5]) });
    await api
      .db('console_sessions')
      .where({ id_hash: hash(old.sessionId) })
      .update({ expires_at: api.db.raw(`now() - interval '1 second'`) });
    for (const { cookie } of [idle, old]) await request(api.app).get(`/v1/tenants/${tenant.id}/api-keys`).set('cookie', cookie).expect(401);
  });

  it('keeps a used session from going idle', async () => {
    const tenant = await api.activeTenant();
    const { cookie, sessionId } = await signIn(tenant.key);
    const row = () => api.db('console_sessions').where({ id_hash: createHash('sha256').update(sessionId).digest() });
    await row().update({ last_seen_at: api.db.raw(`now() - interval '100 seconds'`) });
    await request(api.app).get(`/v1/tenants/${tenant.id}/api-keys`).set('cookie', cookie).expect(200);
    const [{ idle }] = await row().select(api.db.raw('extract(epoch from now() - last_seen_at) AS idle'));
    expect(Number(idle)).toBeLessThan(5);
  });

  it('never logs the session id or the CSRF token (Set-Cookie and X-CSRF-Token are redacted)', async () => {
    const logs = captureLogs();
    const logged = await apiHarness(config, logs.log);
    try {
      const tenant = await logged.activeTenant();
      const res = await request(logged.app).post('/console/session').set('sec-fetch-site', 'same-origin').send({ key: tenant.key }).expect(201);
      const sessionId = /^cs_session=([^;]+)/.exec(setCookieOf(res.headers))![1];
      const csrf = res.body.csrfToken as string;
      await request(logged.app)
        .post(`/v1/tenants/${tenant.id}/api-keys`)
        .set({ cookie: `cs_session=${sessionId}`, 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf })
        .send({})
        .expect(201);
      expect(logs.text()).toContain('/console/session');
      expect(logs.text()).not.toContain(sessionId);
      expect(logs.text()).not.toContain(csrf);
      expect(logs.text()).not.toContain(tenant.key);
    } finally {
      logs.restore();
      await logged.close();
    }
  });

  describe('CSRF on changes made with the cookie', () => {
    let tenant: Awaited<ReturnType<typeof api.activeTenant>>;
    let cookie: string;
    let csrf: string;
    beforeAll(async () => {
      tenant = await api.activeTenant();
      const signedIn = await signIn(tenant.key);
      cookie = signedIn.cookie;
      csrf = signedIn.session.csrfToken;
    });
    const createKey = (headers: Record<string, string>) =>
      request(api.app)
        .post(`/v1/tenants/${tenant.id}/api-keys`)
        .set({ cookie, ...headers })
        .send({ label: 'made in the console' });

    it.each([
      ['no token', { 'sec-fetch-site': 'same-origin' }],
      ['a wrong token', { 'sec-fetch-site': 'same-origin', 'x-csrf-token': 'A'.repeat(43) }],
      ['a token of another length', { 'sec-fetch-site': 'same-origin', 'x-csrf-token': 'short' }],
      ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site', 'x-csrf-token': '<token>' }],
      ['Sec-Fetch-Site same-site (another port of the host)', { 'sec-fetch-site': 'same-site', 'x-csrf-token': '<token>' }],
      ['a foreign Origin', { origin: 'http://127.0.0.1:8233', 'x-csrf-token': '<token>' }],
      ['neither Sec-Fetch-Site nor Origin', { 'x-csrf-token': '<token>' }],
    ])('refuses %s with 403 and changes nothing', async (_case, headers: Record<string, string>) => {
      const before = await keyCount(tenant.id);
      const withToken = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === '<token>' ? csrf : v]));
      const res = await createKey(withToken).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await keyCount(tenant.id)).toBe(before);
    });

    it('accepts the right token from the console’s own origin (Sec-Fetch-Site, Origin, or a _csrf form field)', async () => {
      const before = await keyCount(tenant.id);
      await createKey({ 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf }).expect(201);
      await createKey({ origin: ownOrigin, 'x-csrf-token': csrf }).expect(201);
      await request(api.app)
        .post(`/v1/tenants/${tenant.id}/api-keys`)
        .set({ cookie, 'sec-fetch-site': 'same-origin' })
        .type('form')
        .send({ _csrf: csrf })
        .expect(201);
      expect(await keyCount(tenant.id)).toBe(before + 3);
    });

    it('leaves bearer requests as they were: no CSRF token needed', async () => {
      await request(api.app).post(`/v1/tenants/${tenant.id}/api-keys`).set(tenant.auth).send({ label: 'by bearer' }).expect(201);
    });

    it('keeps a tenant session to its own tenant (404 for another) and off staff routes (403)', async () => {
      const other = await api.activeTenant({ businessName: 'Other Dental' });
      await request(api.app).get(`/v1/tenants/${other.id}`).set('cookie', cookie).expect(404);
      await request(api.app).get(`/v1/tenants/${other.id}/api-keys`).set('cookie', cookie).expect(404);
      const before = await keyCount(other.id);
      await request(api.app)
        .post(`/v1/tenants/${other.id}/api-keys`)
        .set({ cookie, 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf })
        .send({})
        .expect(404);
      expect(await keyCount(other.id)).toBe(before);
      const staffRoute = await request(api.app).get('/v1/compliance/reviews').set('cookie', cookie).expect(403);
      expect(staffRoute.body.detail).toBe('This route needs a staff key.');
    });
  });

  it('signs out: CSRF-checked, the row deleted, the cookie cleared, audited', async () => {
    const tenant = await api.activeTenant();
    const { cookie, session } = await signIn(tenant.key);
    await request(api.app).post('/console/session/sign-out').set({ cookie, 'sec-fetch-site': 'same-origin' }).expect(403);
    await request(api.app).post('/console/session/sign-out').set({ cookie, 'sec-fetch-site': 'cross-site', 'x-csrf-token': session.csrfToken }).expect(403);
    await request(api.app).get('/console/session').set('cookie', cookie).expect(200);
    const res = await request(api.app)
      .post('/console/session/sign-out')
      .set({ cookie, 'sec-fetch-site': 'same-origin', 'x-csrf-token': session.csrfToken })
      .expect(204);
    expect(setCookieOf(res.headers)).toMatch(/^cs_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
    expect(await api.db('console_sessions').where({ api_key_id: tenant.keyId })).toHaveLength(0);
    await request(api.app).get('/console/session').set('cookie', cookie).expect(401);
    await request(api.app).get(`/v1/tenants/${tenant.id}/api-keys`).set('cookie', cookie).expect(401);
    expect(await auditOf('console.signed_out', tenant.id)).toHaveLength(1);
  });
});
