import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { lifecycleWorkflowId } from '../../src/workflows/tenant-lifecycle/definitions';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { campaignWorkflowId } from '../../src/workflows/campaign-send/definitions';
import { apiHarness, signupBody } from '../support/api';
import { testConfig } from '../support/test-env';

/**
 * The staff reads behind the console's pages: tenants list, a tenant's overview, its rates hour
 * by hour with the ladder's thresholds, and a review's evidence. Staff only, audited, 404 for
 * no such tenant, 400 for bad input.
 */
describe('staff console reads (API)', () => {
  // Thresholds other than the defaults: the answer must carry the configured ones.
  const config = testConfig({ MONITOR_ERROR_RATE_BAD: '0.07', MONITOR_OPT_OUT_RATE_APPROACHING: '0.002' });
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let staff: { authorization: string };
  let tenant: Awaited<ReturnType<typeof api.activeTenant>>;
  const name = `Harbor ${randomUUID().slice(0, 8)} Dental`;
  beforeAll(async () => {
    api = await apiHarness(config);
    staff = { authorization: `Bearer ${await api.staffKey('sam')}` };
    tenant = await api.activeTenant({ businessName: name });
  });
  afterAll(() => api.close());
  const http = () => request(api.app);

  it.each(['', '/overview', '/rates', '/review'])(
    'GET /v1/compliance/tenants/:id%s: a tenant key is refused, an unknown tenant is 404, a bad id 400',
    async (tail) => {
      const path = (id: string) => (tail ? `/v1/compliance/tenants/${id}${tail}` : `/v1/compliance/tenants?q=${encodeURIComponent(name)}`);
      const refused = await http().get(path(tenant.id)).set(tenant.auth).expect(403);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.text).not.toContain(name);
      if (!tail) return;
      await http().get(path(randomUUID())).set(staff).expect(404);
      await http().get(path('not-a-uuid')).set(staff).expect(400);
    },
  );

  it('lists tenants by name, newest first, with paging', async () => {
    const other = await api.activeTenant({ businessName: `${name} Annex` });
    const listed: Array<{ id: string; createdAt: string }> = (
      await http()
        .get(`/v1/compliance/tenants?q=${encodeURIComponent(name.toUpperCase())}`)
        .set(staff)
        .expect(200)
    ).body.tenants;
    expect(listed.map((t) => t.id)).toEqual([other.id, tenant.id]);
    expect(listed[1]).toMatchObject({ businessName: name, status: 'active', sendingState: 'good', workflowId: lifecycleWorkflowId(tenant.id) });
    const older = await http()
      .get(`/v1/compliance/tenants?q=${encodeURIComponent(name)}&limit=1&before=${encodeURIComponent(listed[0].createdAt)}`)
      .set(staff)
      .expect(200);
    expect(older.body.tenants.map((t: { id: string }) => t.id)).toEqual([tenant.id]);
    // LIKE's wildcards are literal: '%' matches no name.
    expect((await http().get('/v1/compliance/tenants?q=%25').set(staff).expect(200)).body.tenants).toEqual([]);
    await http().get('/v1/compliance/tenants?limit=0').set(staff).expect(400);
    await http().get('/v1/compliance/tenants?sort=name').set(staff).expect(400);
  });

  it('answers hourly rates with the configured thresholds and the ladder moves, and audits the read', async () => {
    const hoursAgo = (h: number) => api.db.raw(`date_trunc('hour', now()) - make_interval(hours => ?)`, [h]);
    await api.db('tenant_traffic_counters').insert([
      { tenant_id: tenant.id, hour: hoursAgo(2), shard: 0, sent: 100, delivered: 90, undelivered: 6, failed: 2, refused: 2, opt_outs: 1 },
      { tenant_id: tenant.id, hour: hoursAgo(2), shard: 1, sent: 100, delivered: 90, undelivered: 0, failed: 0, refused: 0, opt_outs: 1 },
      // Outside a 3-hour range.
      { tenant_id: tenant.id, hour: hoursAgo(5), shard: 0, sent: 10, delivered: 0, undelivered: 10 },
    ]);
    await api
      .db('monitor_moves')
      .insert({ tenant_id: tenant.id, seq: 1, from_state: 'good', to_state: 'warned', why: 'escalated', actor: 'system:monitor', reason: 'r' });
    const res = await http().get(`/v1/compliance/tenants/${tenant.id}/rates?hours=3`).set(staff).expect(200);
    expect(res.body.thresholds).toEqual({
      errorRate: { approachingAbove: 0.045, badAbove: 0.07 },
      optOutRate: { approachingAbove: 0.002, badAbove: 0.004 },
      minVolume: config.MONITOR_MIN_VOLUME,
      windowsHours: config.MONITOR_WINDOWS_HOURS,
    });
    expect(res.body.points).toHaveLength(3);
    expect(res.body.points[0]).toEqual({ hour: expect.any(String), delivered: 180, errors: 10, optOuts: 2, errorRate: 10 / 190, optOutRate: 2 / 180 });
    // An hour without traffic is present, without a rate.
    expect(res.body.points[2]).toMatchObject({ delivered: 0, errors: 0, errorRate: null, optOutRate: null });
    const hours = (res.body.points as Array<{ hour: string }>).map((p) => Date.parse(p.hour));
    expect(hours[1] - hours[0]).toBe(3600_000);
    expect(res.body.moves).toEqual([expect.objectContaining({ seq: 1, from: 'good', to: 'warned', why: 'escalated', actor: 'system:monitor' })]);
    const week = await http().get(`/v1/compliance/tenants/${tenant.id}/rates`).set(staff).expect(200);
    expect(week.body.points).toHaveLength(168);
    expect(week.body.points.filter((p: { errors: number }) => p.errors > 0).map((p: { errors: number }) => p.errors)).toEqual([10, 10]);
    for (const bad of ['hours=0', 'hours=2161', 'hours=x', 'from=2026-01-01'])
      await http().get(`/v1/compliance/tenants/${tenant.id}/rates?${bad}`).set(staff).expect(400);

    const reads = await api.db('audit_log').where({ tenant_id: tenant.id, action: 'staff.read' }).select('actor', 'details');
    expect(reads.map((r) => r.details.path)).toContain(`/v1/compliance/tenants/${tenant.id}/rates`);
    expect(reads[0].actor).toBe('staff:sam');
  });

  it('gives a tenant overview with its campaigns, open cases and workflow ids', async () => {
    const [campaign] = await api
      .db('campaigns')
      .insert({
        tenant_id: tenant.id,
        name: 'Spring checkups',
        body: 'b',
        batch_size: 10,
        status: 'relaying',
        scan: '{}',
        encoding: 'GSM-7',
        segments: 1,
        message_type: 'marketing',
      })
      .returning<{ id: string }[]>('id');
    await api
      .db('campaign_traffic_counters')
      .insert({ tenant_id: tenant.id, campaign_id: campaign.id, hour: api.db.fn.now(), shard: 0, sent: 5, delivered: 3, failed: 1 });
    await api.db('compliance_cases').insert({ tenant_id: tenant.id, kind: 'monitor_review', summary: 'rates', opened_by_key: `t:${randomUUID()}` });
    const res = await http().get(`/v1/compliance/tenants/${tenant.id}/overview`).set(staff).expect(200);
    expect(res.body).toMatchObject({
      tenant: { id: tenant.id, businessName: name, sendingState: 'good' },
      workflows: { lifecycle: lifecycleWorkflowId(tenant.id), monitor: monitorWorkflowId(tenant.id) },
      campaigns: [
        {
          id: campaign.id,
          name: 'Spring checkups',
          status: 'relaying',
          sent: 5,
          delivered: 3,
          errors: 1,
          optOuts: 0,
          workflowId: campaignWorkflowId(campaign.id),
        },
      ],
      openCases: [{ kind: 'monitor_review', summary: 'rates' }],
    });
  });

  it('gives a review its KYC answers, risk, sandbox sends and each sample judged with spans', async () => {
    const { sampleMessages: _s, ...answers } = signupBody();
    const samples = ['Wine tasting Friday at Harbor Cellars! Reply STOP to opt out.', 'Harbor Dental: your cleaning is Tue 3pm. Reply STOP to opt out.'];
    await api.db('kyc_submissions').insert({
      tenant_id: tenant.id,
      submission: JSON.stringify({ ...answers, sampleMessages: samples }),
      risk_score: 25,
      risk_level: 'medium',
      risk_reasons: JSON.stringify([{ code: 'sample.review.1', points: 25, reason: 'Sample message 1 needs a person’s review' }]),
    });
    await api
      .db('sandbox_test_sends')
      .insert({ tenant_id: tenant.id, from_number: '+15005550006', to_number: '+15005550001', error_code: 21211, error_message: 'Invalid' });
    const res = await http().get(`/v1/compliance/tenants/${tenant.id}/review`).set(staff).expect(200);
    expect(res.body.kyc).toMatchObject({ answers: { useCase: 'appointment_reminders', optInMethod: 'web_form' }, risk: { score: 25, level: 'medium' } });
    expect(res.body.kyc.risk.reasons[0].code).toBe('sample.review.1');
    expect(res.body.samples[0]).toMatchObject({ body: samples[0], blocked: true, findings: [{ verdict: 'review', span: { start: 0, end: 4, text: 'Wine' } }] });
    expect(res.body.samples[1]).toMatchObject({ body: samples[1], findings: [] });
    expect(res.body.sandbox.sends).toEqual([expect.objectContaining({ to: '+15005550001', errorCode: 21211 })]);
    // No lifecycle runs for this tenant: the answer says so rather than failing.
    expect(res.body).toMatchObject({ verification: null, lifecycle: null, workflows: { lifecycle: lifecycleWorkflowId(tenant.id) } });
    expect(res.body.cases.map((c: { kind: string }) => c.kind)).toContain('monitor_review');
  });
});
