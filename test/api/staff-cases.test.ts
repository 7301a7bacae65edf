import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { issueApiKey } from '../../src/api/api-keys';
import { createTenantLifecycleActivities } from '../../src/activities/tenant-lifecycle';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { lifecycleWorkflowId } from '../../src/workflows/tenant-lifecycle/definitions';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';

/**
 * The staff cases a lifecycle opens while a step is held by infrastructure, through the
 * lifecycle's own activities on the real database, and as staff see them over HTTP.
 */
describe('staff cases (API)', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let staff: { authorization: string };
  let acts: ReturnType<typeof createTenantLifecycleActivities>;
  beforeAll(async () => {
    api = await apiHarness(config);
    staff = { authorization: `Bearer ${await api.staffKey('sam')}` };
    acts = createTenantLifecycleActivities({
      db: api.db,
      twilio: createTwilioClientFactory(config),
      clock: () => new Date(),
      log: pino({ level: 'silent' }),
      config,
    });
  });
  afterAll(() => api.close());

  const tenant = async () => {
    const [row] = await api
      .db('tenants')
      .insert({ slug: `t-${randomBytes(5).toString('hex')}`, business_name: 'Harbor Dental', status: 'onboarding', lifecycle_step: 'provisioning' })
      .returning<{ id: string }[]>('id');
    return row.id;
  };
  const list = (status?: string) =>
    request(api.app)
      .get(`/v1/compliance/cases${status ? `?status=${status}` : ''}`)
      .set(staff);

  it('opens one case per failing call, counts each failure with the last error, and closes it once', async () => {
    const tenantId = await tenant();
    const fault = { key: `run-${randomUUID()}:3`, tenantId, workflowId: lifecycleWorkflowId(tenantId), activity: 'provisionSubaccount', step: 'provisioning' };
    const caseId = await acts.recordInfrastructureFault({ ...fault, error: 'TwilioError20003: create subaccount: Twilio 20003: Authenticate' });
    expect(await acts.recordInfrastructureFault({ ...fault, error: 'TimeoutFailure: activity StartToClose timeout' })).toBe(caseId);

    const open = (await list().expect(200)).body.cases.find((c: { id: string }) => c.id === caseId);
    expect(open).toMatchObject({
      kind: 'infrastructure_fault',
      status: 'open',
      tenantId,
      businessName: 'Harbor Dental',
      workflowId: fault.workflowId,
      failures: 2,
      lastError: 'TimeoutFailure: activity StartToClose timeout',
      details: { activity: 'provisionSubaccount', step: 'provisioning' },
      closedAt: null,
    });
    expect(open.summary).toMatch(/provisioning: provisionSubaccount keeps failing/);

    await acts.closeStaffCase({ caseId, resolution: 'the step went through' });
    await acts.closeStaffCase({ caseId, resolution: 'again' });
    expect((await list().expect(200)).body.cases.map((c: { id: string }) => c.id)).not.toContain(caseId);
    const closed = (await list('closed').expect(200)).body.cases.find((c: { id: string }) => c.id === caseId);
    expect(closed).toMatchObject({ status: 'closed', resolution: 'the step went through', closedAt: expect.any(String) });
    const audit = await api.db('audit_log').where({ tenant_id: tenantId }).orderBy('id').select('action', 'actor', 'reason');
    expect(audit).toEqual([
      { action: 'staff_case.opened', actor: 'system:lifecycle', reason: 'TwilioError20003: create subaccount: Twilio 20003: Authenticate' },
      { action: 'staff_case.closed', actor: 'system:lifecycle', reason: 'the step went through' },
    ]);
  });

  it('records a case even when the tenant row is what is missing', async () => {
    const tenantId = randomUUID();
    const caseId = await acts.recordInfrastructureFault({
      key: `run-${randomUUID()}:1`,
      tenantId,
      workflowId: lifecycleWorkflowId(tenantId),
      activity: 'assessKyc',
      step: 'kyc',
      error: `TenantNotFound: tenant ${tenantId} does not exist`,
    });
    expect((await list().expect(200)).body.cases.find((c: { id: string }) => c.id === caseId)).toMatchObject({
      tenantId,
      businessName: null,
      lastError: `TenantNotFound: tenant ${tenantId} does not exist`,
    });
    await acts.closeStaffCase({ caseId, resolution: 'the step went through' });
  });

  it('is for staff only, and names a bad query parameter', async () => {
    const { key } = await issueApiKey(api.db, { role: 'tenant', tenantId: await tenant() });
    await request(api.app).get('/v1/compliance/cases').set('authorization', `Bearer ${key}`).expect(403);
    await request(api.app).get('/v1/compliance/cases').expect(401);
    const bad = await list('pending').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
  });
});
