import request from 'supertest';
import {
  activeTenant,
  monitorReaches,
  platformHarness,
  startCampaignTo,
  startMonitor,
  stopMonitor,
  type PlatformHarness,
  FAST_CAMPAIGNS,
} from '../support/platform';
import { eventually } from '../support/workflow-logic';
import { recordHistoryIfAsked } from '../support/histories';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { emailWorkflowId } from '../../src/workflows/notification-email';

/**
 * The tenant monitor against the real services: traffic goes through the sandbox's carrier
 * model and inbound simulation, the status and inbound webhooks keep the counters, and the
 * monitor (evaluating every second) climbs and descends the ladder with every effect real:
 * notices, email in the SMTP catcher, the compliance case, the Twilio subaccount's status.
 */
describe('tenant monitor', () => {
  let p: PlatformHarness;
  let staff: Record<string, string>;
  beforeAll(async () => {
    p = await platformHarness({
      config: {
        ...FAST_CAMPAIGNS,
        // Callbacks a busy machine dropped are fetched from Twilio after a few seconds.
        STATUS_REFRESH_AFTER_SECONDS: '5',
        MONITOR_MIN_VOLUME: '100',
        MONITOR_ESCALATE_AFTER_EVALUATIONS: '2',
        MONITOR_RECOVER_AFTER_SECONDS: '3',
      },
    });
    staff = { authorization: `Bearer ${p.staffKey}` };
  });
  afterAll(() => p.close());
  // Each test's monitor evaluates every second; one left running only slows the tests after it.
  const monitored: string[] = [];
  const monitor = (tenantId: string) => {
    monitored.push(tenantId);
    return startMonitor(p, tenantId);
  };
  afterEach(async () => {
    for (const id of monitored.splice(0)) await stopMonitor(p, id);
  });

  const phones = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `+1628${prefix}${String(i).padStart(4, '0')}`);
  const carrier = (overrides: Record<string, { status: 'undelivered' | 'failed'; errorCode: number }>) =>
    p.sandbox.control('/__sandbox/carrier', { body: { overrides } });
  const campaignDone = (t: { auth: Record<string, string> }, id: string) =>
    eventually(async () => {
      const res = await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200);
      return res.body.status === 'completed' || res.body.status === 'refused'
        ? (res.body as { status: string; refusalReason?: string; progress: { sent: number; reason?: string } })
        : undefined;
    }, 180_000);
  const subaccountStatus = async (tenantId: string) => {
    const { subaccount_sid: sid } = await p.api.db('tenant_credentials').where({ tenant_id: tenantId }).first<{ subaccount_sid: string }>('subaccount_sid');
    return p.sandbox.sandbox.store.accounts.get(sid)?.status;
  };

  /** Each notice's email workflow and how it stands, said when an email does not arrive. */
  const emailWorkflowsOf = async (tenantId: string) => {
    const ids = (await p.api.db('tenant_notices').where({ tenant_id: tenantId }).pluck('id')) as Array<string | number>;
    return Promise.all(
      ids.map(async (id) => {
        const handle = p.api.temporal.workflow.getHandle(emailWorkflowId('notice', String(id)));
        try {
          const described = await handle.describe();
          const pending = (described.raw.pendingActivities ?? []).map((a) => ({ attempt: a.attempt, lastFailure: a.lastFailure?.message }));
          return { id, status: described.status.name, pending };
        } catch (err) {
          return { id, status: String(err) };
        }
      }),
    );
  };

  it('warns, reviews and suspends a tenant whose error rate climbs past 6 %, and a person reinstates it', async () => {
    const t = await activeTenant(p, { mps: 200 });
    await monitor(t.id);
    const audience = phones('301', 100);
    // 25 of 100 never arrive: a 25 % error rate.
    await carrier(Object.fromEntries(audience.slice(0, 25).map((to) => [to, { status: 'undelivered' as const, errorCode: 30003 }])));
    const first = await startCampaignTo(p, t, audience);
    await campaignDone(t, first);

    const suspended = await monitorReaches(p, t.id, (s) => s.state === 'suspended');
    expect(suspended.moves.map((m) => [m.from, m.to, m.why, m.by])).toEqual([
      ['good', 'warned', 'escalated', 'system:monitor'],
      ['warned', 'under_review', 'escalated', 'system:monitor'],
      ['under_review', 'suspended', 'escalated', 'system:monitor'],
    ]);
    expect(suspended.lastEvaluation?.errorCodes).toEqual([{ code: 30003, n: 25 }]);
    expect(suspended.moves[0].reason).toMatch(/error rate over the last 7d: 25\.00 % \(25 of 100\).*bad above 6\.00 %/);

    // The tenant is told in-platform and by email, with the rate, the threshold and what to do.
    const notices = (await request(p.api.app).get('/v1/notices').set(t.auth).expect(200)).body.notices as Array<{ kind: string; body: string }>;
    expect(notices.map((n) => n.kind)).toEqual(['monitor.suspended', 'monitor.under_review', 'monitor.warned']);
    expect(notices[2].body).toMatch(/25\.00 %.*bad above 6\.00 %[\s\S]*What to do: Remove numbers that keep failing/);
    // Each email is its own notificationEmail workflow and SMTP delivery: on a loaded 2-core CI
    // machine they have taken longer than the default 20 s, and once longer than 60 s.
    let mailSoFar = 0;
    const mail = await eventually(
      async () => {
        const { messages } = (await p.sandbox.control('/__sandbox/mail?to=owner@tenant.example')).body as {
          messages: Array<{ subject: string; text: string }>;
        };
        mailSoFar = messages.length;
        return messages.length >= 3 ? messages : undefined;
      },
      {
        timeoutMs: 120_000,
        describe: 'three monitor emails to the owner',
        detail: async () => ({
          arrived: mailSoFar,
          notices: await p.api.db('tenant_notices').where({ tenant_id: t.id }).orderBy('id').select('id', 'kind', 'email_status'),
          emailWorkflows: await emailWorkflowsOf(t.id),
        }),
      },
    );
    expect(mail[0]).toMatchObject({ subject: 'Your messaging is approaching a compliance limit' });
    expect(mail[0].text).toContain('25.00 %');

    // A compliance case with the figures and recent campaigns; the audit log has every move.
    const reviews = (await request(p.api.app).get('/v1/compliance/reviews').set(staff).expect(200)).body.reviews as Array<{
      tenantId: string;
      kind: string;
      details: { rates: unknown[]; recentCampaigns: Array<{ id: string }> };
    }>;
    const mine = reviews.filter((r) => r.tenantId === t.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'monitor_review' });
    expect(mine[0].details.recentCampaigns.map((c) => c.id)).toContain(first);
    const audit = (await request(p.api.app).get(`/v1/compliance/audit?tenantId=${t.id}`).set(staff).expect(200)).body.entries as Array<{ action: string }>;
    expect(audit.filter((a) => a.action === 'monitor.state_changed')).toHaveLength(3);

    // Suspended for real: the subaccount at "Twilio", the search attribute, and a new campaign refused.
    expect(await subaccountStatus(t.id)).toBe('suspended');
    await eventually(async () => {
      for await (const w of p.api.temporal.workflow.list({ query: `WorkflowId = '${monitorWorkflowId(t.id)}' AND ComplianceState = 'suspended'` })) return w;
      return undefined;
    });
    await carrier({});
    const refused = await campaignDone(t, await startCampaignTo(p, t, phones('302', 5), 'While suspended'));
    expect(refused.status).toBe('refused');
    expect(refused.progress.reason).toMatch(/suspended/);

    // A tenant cannot lift it; staff can, once; a duplicate reinstate is a 409 and changes nothing.
    await request(p.api.app).post(`/v1/compliance/tenants/${t.id}/reinstate`).set(t.auth).send({ reason: 'please' }).expect(403);
    await request(p.api.app).post(`/v1/compliance/tenants/${t.id}/reinstate`).set(staff).send({ reason: 'Bad numbers removed; list re-verified' }).expect(202);
    const reinstated = await monitorReaches(p, t.id, (s) => s.state === 'good');
    await request(p.api.app).post(`/v1/compliance/tenants/${t.id}/reinstate`).set(staff).send({ reason: 'again' }).expect(409);
    expect(reinstated.moves.at(-1)).toMatchObject({
      from: 'suspended',
      to: 'good',
      why: 'staff',
      by: expect.stringMatching(/^staff:/),
      reason: 'Bad numbers removed; list re-verified',
    });
    expect(await subaccountStatus(t.id)).toBe('active');
    expect(
      (await request(p.api.app).get('/v1/compliance/reviews?status=approved').set(staff).expect(200)).body.reviews.filter(
        (r: { tenantId: string }) => r.tenantId === t.id,
      ),
    ).toHaveLength(1);

    // Sending works again, and the old failures are not held against it.
    const again = await campaignDone(t, await startCampaignTo(p, t, phones('303', 10), 'After reinstatement'));
    expect(again).toMatchObject({ status: 'completed', progress: { sent: 115 } }); // every contact it has
    const after = await monitorReaches(p, t.id, (s) => s.evaluations >= reinstated.evaluations + 3);
    expect(after.state).toBe('good');
    await recordHistoryIfAsked(p.api.temporal, monitorWorkflowId(t.id), 'suspended-reinstated');
  }, 420_000);

  it('escalates a tenant with 0.5 % opt-outs likewise', async () => {
    const t = await activeTenant(p, { mps: 200 });
    await monitor(t.id);
    const audience = phones('311', 200);
    await campaignDone(t, await startCampaignTo(p, t, audience));
    const delivered = await monitorReaches(p, t.id, (s) => s.lastEvaluation?.rates.some((r) => r.metric === 'optOutRate' && r.denominator === 200));
    expect(delivered.state).toBe('good');

    // One handset of 200 replies STOP: 0.5 %, above the 0.4 % Twilio calls bad.
    const stop = await p.sandbox.control('/__sandbox/inbound', { body: { from: audience[7], to: t.from, body: 'Stop' } });
    expect(stop.body.webhook).toMatchObject({ delivered: true, status: 200 });
    const reviewed = await monitorReaches(p, t.id, (s) => s.state === 'under_review' || s.state === 'suspended');
    expect(reviewed.moves[0]).toMatchObject({ from: 'good', to: 'warned', why: 'escalated' });
    expect(reviewed.moves[0].reason).toMatch(/opt-out rate over the last (7d|1d): 0\.50 % \(1 of 200\)/);

    // Under review, staff approve: the case closes and the tenant is good again.
    if (reviewed.state === 'under_review') {
      await request(p.api.app).post(`/v1/compliance/tenants/${t.id}/approve`).set(staff).send({ reason: 'One opt-out of a small list' }).expect(202);
      const approved = await monitorReaches(p, t.id, (s) => s.moves.at(-1)?.why === 'staff');
      expect(approved.moves.at(-1)).toMatchObject({ from: 'under_review', to: 'good' });
    }
  }, 360_000);

  it('steps a recovering tenant back down once its rates stay good', async () => {
    const t = await activeTenant(p, { mps: 200 });
    await monitor(t.id);
    const audience = phones('321', 100);
    // 5 % errors: "approaching" (above 4.5 %, not above 6 %): a warning, nothing worse.
    await carrier(Object.fromEntries(audience.slice(0, 5).map((to) => [to, { status: 'failed' as const, errorCode: 30007 }])));
    await campaignDone(t, await startCampaignTo(p, t, audience));
    const warned = await monitorReaches(p, t.id, (s) => s.state === 'warned');
    expect(warned.lastEvaluation?.band).toBe('approaching');
    await carrier({});

    // Good traffic brings the rate to 5 of 300 (1.7 %); three seconds of that steps it down.
    await campaignDone(t, await startCampaignTo(p, t, phones('322', 200), 'Clean list'));
    const recovered = await monitorReaches(p, t.id, (s) => s.state === 'good');
    expect(recovered.moves.map((m) => [m.to, m.why])).toEqual([
      ['warned', 'escalated'],
      ['good', 'recovered'],
    ]);
    const notices = (await request(p.api.app).get('/v1/notices').set(t.auth).expect(200)).body.notices as Array<{ kind: string }>;
    expect(notices.map((n) => n.kind)).toEqual(['monitor.good', 'monitor.warned']);
    await recordHistoryIfAsked(p.api.temporal, monitorWorkflowId(t.id), 'warned-recovered');

    // Staff actions that do not fit the rung are refused; an unknown tenant has no monitor.
    await request(p.api.app).post(`/v1/compliance/tenants/${t.id}/approve`).set(staff).send({ reason: 'nothing to approve' }).expect(409);
    await request(p.api.app).post(`/v1/compliance/tenants/${t.id}/reject`).set(staff).send({ reason: 'too late for that' }).expect(409);
    await request(p.api.app).post(`/v1/compliance/tenants/${t.id}/suspend`).set(staff).send({ reason: '' }).expect(400);
    await request(p.api.app).get(`/v1/compliance/tenants/${t.id}/monitor`).set(t.auth).expect(403);
    const missing = await request(p.api.app).get('/v1/compliance/tenants/00000000-0000-4000-8000-000000000000/monitor').set(staff).expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
  }, 360_000);
});
