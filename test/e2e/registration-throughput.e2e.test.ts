import request from 'supertest';
import { registrationOf } from '../../src/db/carrier-registrations';
import { recordHistoryIfAsked } from '../support/histories';
import { activeTenant, FAST_CAMPAIGNS, platformHarness, startCampaignTo, type PlatformHarness } from '../support/platform';
import { registeringTenant } from '../support/registering-tenant';
import { until } from '../support/sandbox';
import { eventually } from '../support/eventually';

interface LedgerEntry {
  sid: string;
  to: string;
  messagingServiceSid?: string;
  params: Record<string, string>;
}

/**
 * Throughput from the carrier registration (issue 14 item 2), end to end on the sandbox, the
 * real worker, Temporal and PostgreSQL: an approved registration's class becomes the sender's
 * MPS and daily cap (staff may lower them, never raise them above it), a registered tenant's
 * campaigns go through its Messaging Service, and the relay holds a sender at its daily cap.
 * Reviews take 300 ms; batches go every second.
 */
describe('registration throughput and sending through the Messaging Service', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ sandbox: { vettingMs: 300 }, config: { ...FAST_CAMPAIGNS, RELAY_HEARTBEAT_TIMEOUT_SECONDS: '5' } });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const staff = () => ({ authorization: `Bearer ${p.staffKey}` });
  const ledger = async (from: string) =>
    ((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(from)}`)).body as { entries: LedgerEntry[] }).entries;
  const sendersOf = async (tenantId: string) =>
    (await http().get(`/v1/compliance/tenants/${tenantId}/sending`).set(staff()).expect(200)).body.senders as unknown[];
  const auditOf = async (tenantId: string) =>
    (await http().get(`/v1/compliance/audit?tenantId=${tenantId}`).set(staff()).expect(200)).body.entries as Array<{ action: string; details: unknown }>;
  const phones = (first: number, count: number) => Array.from({ length: count }, (_, i) => `+1415555${String(first + i)}`);
  const campaignOf = async (auth: Record<string, string>, id: string) => (await http().get(`/v1/campaigns/${id}`).set(auth).expect(200)).body;

  /** Registered with brand score 60 (EIN 9900000SS): HIGH_MID, AT&T class C, 40 MPS, 40,000 segments a day. */
  let registered: Awaited<ReturnType<typeof registeringTenant>>['tenant'];

  it('approval sets the class’s MPS and daily cap; campaigns go through the Messaging Service and their statuses are recorded', async () => {
    const { tenant, handle } = await registeringTenant(p, { ein: '99-0000060' });
    registered = tenant;
    expect(await sendersOf(tenant.id)).toEqual([{ phoneNumber: tenant.from, mps: 1, dailyCap: null, throughputClass: null, ceiling: null }]);
    const done = await handle.result();
    const limits = { mps: 40, dailyCap: 40_000 };
    expect(done).toMatchObject({ phase: 'approved', throughput: { throughputClass: 'HIGH_MID (AT&T C)', ...limits } });
    expect(await sendersOf(tenant.id)).toEqual([{ phoneNumber: tenant.from, ...limits, throughputClass: 'HIGH_MID (AT&T C)', ceiling: limits }]);
    expect(await auditOf(tenant.id)).toContainEqual(
      expect.objectContaining({
        action: 'sender.throughput_registered',
        details: { phoneNumber: tenant.from, throughputClass: 'HIGH_MID (AT&T C)', from: { mps: 1, dailyCap: null }, to: limits },
      }),
    );
    await recordHistoryIfAsked(p.api.temporal, handle.workflowId, 'approved-throughput');

    const serviceSid = (await registrationOf(p.api.db, tenant.id))!.sids.messagingService!;
    const id = await startCampaignTo(p, tenant, phones(6100, 3), 'Through the service');
    await eventually(async () => (await campaignOf(tenant.auth, id)).status === 'completed', { timeoutMs: 60_000, describe: 'the campaign completed' });
    const sent = await ledger(tenant.from);
    expect(sent.map((e) => e.to).sort()).toEqual(phones(6100, 3));
    for (const e of sent) {
      expect(e.messagingServiceSid).toBe(serviceSid);
      expect(Object.keys(e.params).sort()).toEqual(['Body', 'From', 'MessagingServiceSid', 'StatusCallback', 'To']);
    }
    const report = (await http().get(`/v1/campaigns/${id}/report`).set(tenant.auth).expect(200)).body;
    expect(report).toMatchObject({ sent: 3, delivery: { delivered: 3, awaiting: 0 } });
  }, 120_000);

  it('staff lower a registered sender (audited) and may raise it back to the class, never above: 422 naming the ceiling, nothing changed', async () => {
    const path = `/v1/compliance/tenants/${registered.id}/senders/${encodeURIComponent(registered.from)}/mps`;
    await http().put(path).set(staff()).send({ mps: 10, dailyCap: 5_000, reason: 'Complaints: slow down' }).expect(200);
    const lowered = { phoneNumber: registered.from, mps: 10, dailyCap: 5_000, throughputClass: 'HIGH_MID (AT&T C)', ceiling: { mps: 40, dailyCap: 40_000 } };
    expect(await sendersOf(registered.id)).toEqual([lowered]);
    const audit = await auditOf(registered.id);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'sender.mps_changed', details: { phoneNumber: registered.from, from: 40, to: 10 } }));
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'sender.daily_cap_changed', details: { phoneNumber: registered.from, from: 40_000, to: 5_000 } }),
    );

    for (const [body, field, ceiling] of [
      [{ mps: 41 }, 'mps', 40],
      [{ dailyCap: 40_001 }, 'dailyCap', 40_000],
      [{ dailyCap: null }, 'dailyCap', 40_000],
      [{ mps: 20, dailyCap: 50_000 }, 'dailyCap', 40_000],
    ] as const) {
      const refused = await http()
        .put(path)
        .set(staff())
        .send({ ...body, reason: 'Customer asked for more' })
        .expect(422)
        .expect('content-type', /problem\+json/);
      expect(refused.body).toMatchObject({ status: 422, field, ceiling, throughputClass: 'HIGH_MID (AT&T C)' });
      expect(refused.body.detail).toContain(`${ceiling} segments`);
    }
    expect(await sendersOf(registered.id)).toEqual([lowered]);
    await http().put(path).set(staff()).send({ mps: 40, reason: 'Complaints resolved' }).expect(200);
    expect(await sendersOf(registered.id)).toEqual([{ ...lowered, mps: 40 }]);
  });

  it('an unregistered tenant sends from its number as before; a daily cap holds the rest until the next Pacific day', async () => {
    const t = await activeTenant(p, { mps: 20 });
    await http()
      .put(`/v1/compliance/tenants/${t.id}/senders/${encodeURIComponent(t.from)}/mps`)
      .set(staff())
      .send({ dailyCap: 3, reason: 'Unregistered: a small daily allowance' })
      .expect(200);
    const id = await startCampaignTo(p, t, phones(6200, 5), 'Capped');
    const held = await eventually(
      async () => {
        const c = await campaignOf(t.auth, id);
        // Held, and waiting for the day to turn rather than for the next cadence tick.
        return c.progress?.held && c.progress.nextBatchAtMs - Date.now() > 60_000 ? c.progress : undefined;
      },
      { timeoutMs: 30_000, describe: 'the campaign held at the daily cap' },
    );
    expect(held).toMatchObject({ sent: 3, held: expect.stringContaining('daily cap of 3 segments') });
    // The next Pacific midnight, between 0 and 25 hours away (DST), is when the rest may go.
    expect(held.nextBatchAtMs - Date.now()).toBeLessThan(25 * 3600_000);
    const sent = await until(async () => ((await ledger(t.from)).length === 3 ? ledger(t.from) : undefined));
    for (const e of sent) {
      expect(e.messagingServiceSid).toBeUndefined();
      expect(Object.keys(e.params).sort()).toEqual(['Body', 'From', 'StatusCallback', 'To']);
    }
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await ledger(t.from)).toHaveLength(3);
    await http().post(`/v1/campaigns/${id}/cancel`).set(t.auth).expect(202);
  }, 60_000);

  it('a verified toll-free number gets Twilio’s toll-free default: 3 MPS, no daily cap', async () => {
    const { tenant, handle } = await registeringTenant(p, { kind: 'tollfree' });
    expect((await handle.result()).throughput).toEqual({ throughputClass: 'TOLL_FREE_VERIFIED', mps: 3, dailyCap: null });
    const [sender] = (await sendersOf(tenant.id)) as Array<{ phoneNumber: string }>;
    expect(sender).toMatchObject({ mps: 3, dailyCap: null, ceiling: { mps: 3, dailyCap: null } });
  }, 60_000);
});
