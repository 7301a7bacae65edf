import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { testConfig } from '../support/test-env';
import { apiHarness, signupBody } from '../support/api';
import { issueApiKey } from '../../src/api/api-keys';
import { startRealWorker, type RealWorkerHarness } from '../support/temporal';
import { lifecycleWorkflowId, tenantStateQuery } from '../../src/workflows/tenant-lifecycle/definitions';

/** HTTP behaviour of the tenant and compliance routes: validation and auth (isolation: tenant-isolation.test.ts). */
describe('tenant and compliance API', () => {
  const config = testConfig({ SANDBOX_MIN_SUCCESSFUL_SENDS: '1' });
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let worker: RealWorkerHarness;
  let workerRun: Promise<void>;
  beforeAll(async () => {
    api = await apiHarness(config);
    worker = await startRealWorker(config);
    workerRun = worker.worker.run();
  });
  afterAll(async () => {
    worker.worker.shutdown();
    await workerRun;
    await worker.close();
    await api.close();
  });

  /** Rows a sign-up with this website made; scoped because other test files share the database. */
  const counts = async (website: unknown) => {
    const tenantIds = api.db('tenants').where({ website }).select('id');
    const [t, k, s] = await Promise.all([
      api.db('tenants').where({ website }).count<{ c: string }[]>('* as c'),
      api.db('api_keys').whereIn('tenant_id', tenantIds.clone()).count<{ c: string }[]>('* as c'),
      api.db('kyc_submissions').whereIn('tenant_id', tenantIds.clone()).count<{ c: string }[]>('* as c'),
    ]);
    return [t, k, s].map((r) => Number(r[0]?.c));
  };
  const signUp = async (overrides = {}) => {
    const res = await request(api.app).post('/v1/tenants').send(signupBody(overrides)).expect(202);
    return { id: res.body.tenant.id as string, key: res.body.apiKey as string, res };
  };

  describe('sign-up', () => {
    it('answers 202 with a Location, shows the key once and stores only its hash', async () => {
      const { id, key, res } = await signUp();
      expect(res.headers.location).toBe(`/v1/tenants/${id}`);
      expect(key).toMatch(/^cs_tenant_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
      const rows = await api.db('api_keys').where({ tenant_id: id });
      expect(rows).toHaveLength(1);
      // The secret is base64url, which may itself contain '_': take the 32 characters after the prefix.
      const secret = key.slice('cs_tenant_'.length + 13);
      expect(secret).toHaveLength(32);
      expect(JSON.stringify(rows)).not.toContain(secret);
      const described = await api.temporal.workflow.getHandle(lifecycleWorkflowId(id)).describe();
      expect(described.typedSearchAttributes.get({ name: 'TenantId', type: 'KEYWORD' } as never)).toBe(id);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a missing business name', { businessName: undefined }, 'businessName'],
      ['a website that is not a URL', { website: 'not a site' }, 'website'],
      ['an invalid email', { contact: { name: 'A', email: 'nope' } }, 'contact.email'],
      ['an invalid owner phone', { ownerPhone: '12' }, 'ownerPhone'],
      ['an unknown use case', { useCase: 'spam' }, 'useCase'],
      ['no sample messages', { sampleMessages: [] }, 'sampleMessages'],
      ['an unknown opt-in method', { optInMethod: 'guess' }, 'optInMethod'],
      ['a volume that is not a number', { expectedMonthlyVolume: 'lots' }, 'expectedMonthlyVolume'],
      ['a cadence under 15 minutes', { relayCadenceMinutes: 5 }, 'relayCadenceMinutes'],
      ['a cadence over a day', { relayCadenceMinutes: 2000 }, 'relayCadenceMinutes'],
      ['a country that is not a code', { destinationCountries: ['USA'] }, 'destinationCountries.0'],
      ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
      ['an unexpected field', { plan: 'gold' }, '(root)'],
    ])('refuses %s with a 400 naming the field, and changes nothing', async (_label, change, field) => {
      const body = signupBody({ website: `https://${randomUUID()}.example`, ...change });
      const before = await counts(body.website);
      expect(before).toEqual([0, 0, 0]);
      const res = await request(api.app).post('/v1/tenants').send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((res.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain(field);
      expect(await counts(body.website)).toEqual(before);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no key', undefined],
      ['a malformed key', 'Bearer nope'],
      ['an unknown key', `Bearer cs_tenant_0123456789ab_${'a'.repeat(32)}`],
      ['a wrong scheme', 'Basic abc'],
    ])('answers 401 problem+json with %s', async (_label, header) => {
      const { id } = await signUp();
      const req = request(api.app).get(`/v1/tenants/${id}`);
      const res = await (header ? req.set('authorization', header) : req).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.title).toBe('Unauthorized');
    });

    it('keeps tenant keys off compliance routes and staff keys off tenant routes', async () => {
      const { id, key } = await signUp();
      await request(api.app).get('/v1/compliance/reviews').set('authorization', `Bearer ${key}`).expect(403);
      await request(api.app).post(`/v1/compliance/tenants/${id}/approve`).set('authorization', `Bearer ${key}`).send({ reason: 'self-approval' }).expect(403);
      const staff = await api.staffKey();
      await request(api.app).get(`/v1/tenants/${id}`).set('authorization', `Bearer ${staff}`).expect(403);
    });
  });

  describe('content preview (POST /v1/scan)', () => {
    it('scans against the tenant’s own brand, with segments and a cost estimate', async () => {
      const { key } = await signUp({ businessName: 'Harbor Pets' });
      const ok = await request(api.app)
        .post('/v1/scan')
        .set('authorization', `Bearer ${key}`)
        .send({ body: 'Harbor Pets: grooming Tue 2pm. Reply STOP to opt out.', recipients: 1000 })
        .expect(200);
      expect(ok.body).toMatchObject({ blocked: false, findings: [], segments: { encoding: 'GSM-7', segments: 1 }, costEstimateUsd: 8.3 });
      const bad = await request(api.app).post('/v1/scan').set('authorization', `Bearer ${key}`).send({ body: 'Payday loans today! bit.ly/x' }).expect(200);
      expect(bad.body.blocked).toBe(true);
      // No brand and no opt-out line are not findings: the relay adds both (bodyAsSent shows them).
      expect(bad.body.findings.map((f: { code: string }) => f.code)).toEqual(['high_risk_financial.payday_loans', 'url.public_shortener']);
      expect(bad.body.findings[0]).toMatchObject({ span: { text: 'Payday loans' }, suggestedFix: expect.any(String), reason: expect.any(String) });
    });

    it.each([
      ['an empty body', { body: '' }],
      ['a negative audience', { body: 'x', recipients: -1 }],
      ['an unknown field', { body: 'x', sendNow: true }],
    ])('refuses %s with 400', async (_label, body) => {
      const { key } = await signUp();
      await request(api.app).post('/v1/scan').set('authorization', `Bearer ${key}`).send(body).expect(400);
    });

    it('needs a tenant key', async () => {
      await request(api.app).post('/v1/scan').send({ body: 'x' }).expect(401);
      await request(api.app)
        .post('/v1/scan')
        .set('authorization', `Bearer ${await api.staffKey()}`)
        .send({ body: 'x' })
        .expect(403);
    });
  });

  describe('bad input on the other routes', () => {
    it.each<[string, string, object]>([
      ['a code with letters', '/verification', { code: '12ab56' }],
      ['a missing code', '/verification', {}],
      ['an area code of two digits', '/number-preference', { areaCode: '41' }],
    ])('refuses %s with 400', async (_label, suffix, body) => {
      const { id, key } = await signUp();
      const res = await request(api.app).post(`/v1/tenants/${id}${suffix}`).set('authorization', `Bearer ${key}`).send(body).expect(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
    });

    it('refuses a sandbox send to a malformed number', async () => {
      const { key } = await signUp();
      await request(api.app).post('/v1/sandbox/messages').set('authorization', `Bearer ${key}`).send({ to: 'x', body: 'hi' }).expect(400);
    });

    it.each<[string, string, object, number]>([
      ['a missing reason', `/v1/compliance/tenants/${randomUUID()}/reject`, {}, 400],
      ['a tenant id that is not a UUID', '/v1/compliance/tenants/abc/approve', { reason: 'fine by me' }, 400],
      ['an unknown tenant', `/v1/compliance/tenants/${randomUUID()}/approve`, { reason: 'fine by me' }, 404],
    ])('compliance refuses %s', async (_label, path, body, status) => {
      const staff = await api.staffKey();
      await request(api.app).post(path).set('authorization', `Bearer ${staff}`).send(body).expect(status);
    });

    it("compliance refuses an action that does not fit the step (409, the workflow's reason); the audit shows the attempt refused and its entry can never count", async () => {
      const { id } = await signUp();
      const staff = await api.staffKey();
      const res = await request(api.app)
        .post(`/v1/compliance/tenants/${id}/reinstate`)
        .set('authorization', `Bearer ${staff}`)
        .send({ reason: 'not suspended' })
        .expect(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ title: 'NotInStep', detail: 'The tenant is not suspended.' });
      const entries = await api
        .db('audit_log')
        .where({ tenant_id: id })
        .whereLike('action', 'staff_decision.%')
        .orderBy('id')
        .select('id', 'action', 'actor', 'reason', 'details');
      expect(entries).toEqual([
        expect.objectContaining({ action: 'staff_decision.reinstate', actor: expect.stringMatching(/^staff:/), reason: 'not suspended' }),
        expect.objectContaining({
          action: 'staff_decision.refused',
          actor: 'system:api',
          reason: 'The tenant is not suspended.',
          details: expect.objectContaining({ decision: 'reinstate', auditId: entries[0].id, refusal: 'NotInStep' }),
        }),
      ]);
      expect(await api.db('staff_decision_uses').where({ audit_id: entries[0].id }).first()).toMatchObject({ used_by: 'api:refused' });
      expect((await api.temporal.workflow.getHandle(lifecycleWorkflowId(id)).query(tenantStateQuery)).suspended).toBe(false);
    });

    it("compliance takes a fitting action in one call (202 with the decision's audit entry and the tenant's new standing)", async () => {
      const { id } = await signUp();
      const staff = { authorization: `Bearer ${await api.staffKey()}` };
      const suspended = await request(api.app).post(`/v1/compliance/tenants/${id}/suspend`).set(staff).send({ reason: 'complaint received' }).expect(202);
      expect(suspended.headers.location).toBe(`/v1/tenants/${id}`);
      expect(suspended.body).toEqual({
        accepted: true,
        action: 'suspend',
        by: expect.stringMatching(/^staff:/),
        auditId: expect.stringMatching(/^\d+$/),
        step: expect.any(String),
        suspended: true,
      });
      await request(api.app).post(`/v1/compliance/tenants/${id}/suspend`).set(staff).send({ reason: 'again' }).expect(409);
      const reinstated = await request(api.app).post(`/v1/compliance/tenants/${id}/reinstate`).set(staff).send({ reason: 'complaint resolved' }).expect(202);
      expect(reinstated.body).toMatchObject({ action: 'reinstate', suspended: false });
      const decisions = ['staff_decision.suspend', 'staff_decision.refused', 'staff_decision.reinstate', 'tenant.suspended', 'tenant.reinstated'];
      const actions = (await api.db('audit_log').where({ tenant_id: id }).whereIn('action', decisions).orderBy('id').select('action')).map(
        (e: { action: string }) => e.action,
      );
      expect(actions).toEqual([
        'staff_decision.suspend',
        'tenant.suspended',
        'staff_decision.suspend',
        'staff_decision.refused',
        'staff_decision.reinstate',
        'tenant.reinstated',
      ]);
    });

    it('compliance answers 404 for a tenant whose lifecycle does not run, and records the decision refused', async () => {
      const [tenant] = await api
        .db('tenants')
        .insert({ slug: `no-run-${randomUUID().slice(0, 8)}`, business_name: 'No Run Co', status: 'onboarding', lifecycle_step: 'review' })
        .returning<{ id: string }[]>('id');
      const staff = await api.staffKey();
      await request(api.app)
        .post(`/v1/compliance/tenants/${tenant.id}/approve`)
        .set('authorization', `Bearer ${staff}`)
        .send({ reason: 'fine by me' })
        .expect(404);
      const refused = await api.db('audit_log').where({ tenant_id: tenant.id, action: 'staff_decision.refused' }).first();
      expect(refused).toMatchObject({ actor: 'system:api', details: expect.objectContaining({ decision: 'approve', refusal: 'NotFound' }) });
    });
  });

  describe('a tenant whose lifecycle run is gone (Temporal keeps closed runs only for its retention)', () => {
    const tenantWithoutRun = async (lifecycleStep: string) => {
      const [tenant] = await api
        .db('tenants')
        .insert({
          slug: `gone-${randomUUID().slice(0, 8)}`,
          business_name: 'Gone Run Co',
          status: lifecycleStep === 'active' ? 'active' : 'onboarding',
          lifecycle_step: lifecycleStep,
        })
        .returning<{ id: string }[]>('id');
      const key = (await issueApiKey(api.db, { role: 'tenant', tenantId: tenant.id })).key;
      return { id: tenant.id, auth: { authorization: `Bearer ${key}` } };
    };

    it('answers a finished onboarding from what PostgreSQL recorded: the steps and the number in use', async () => {
      const t = await tenantWithoutRun('active');
      for (const step of ['kyc', 'review', 'number', 'active'])
        await api.db('audit_log').insert({
          actor: 'system:lifecycle',
          actor_kind: 'system',
          tenant_id: t.id,
          action: `lifecycle.${step}`,
          reason: step === 'review' ? 'medium risk' : null,
        });
      await api.db('tenant_phone_numbers').insert([
        {
          phone_number_sid: `PN${randomUUID().replace(/-/g, '')}`,
          tenant_id: t.id,
          subaccount_sid: 'ACgone',
          phone_number: '+14155550100',
          sms_url: 'https://x.example/in',
          released_at: new Date(),
        },
        {
          phone_number_sid: `PN${randomUUID().replace(/-/g, '')}`,
          tenant_id: t.id,
          subaccount_sid: 'ACgone',
          phone_number: '+14155550101',
          sms_url: 'https://x.example/in',
        },
      ]);
      const res = await request(api.app).get(`/v1/tenants/${t.id}`).set(t.auth).expect(200);
      expect(res.body).toMatchObject({ tenantId: t.id, step: 'active', suspended: false, openRequirements: [], phoneNumber: '+14155550101', fromRecord: true });
      expect(res.body.history.map((h: { step: string }) => h.step)).toEqual(['kyc', 'review', 'number', 'active']);
      expect(res.body.history[1]).toMatchObject({ note: 'medium risk' });
    });

    it('still answers 404 for an unfinished onboarding without a run (its state lives only in the workflow)', async () => {
      const t = await tenantWithoutRun('review');
      await request(api.app).get(`/v1/tenants/${t.id}`).set(t.auth).expect(404);
    });
  });
});
