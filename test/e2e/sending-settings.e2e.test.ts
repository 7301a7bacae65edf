import request from 'supertest';
import { activeTenant, platformHarness, startCampaignTo, type PlatformHarness } from '../support/platform';
import { until } from '../support/sandbox';
import { eventually } from '../support/workflow-logic';

/**
 * The two settings that pace a campaign: the tenant's relay cadence (its own to change) and
 * each sender's MPS (staff's, from the number's registration tier). No RELAY_CADENCE_SECONDS
 * here, so the tenant's cadence in minutes is what a campaign waits between batches.
 */
describe('sending settings', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({
      config: { STATUS_POLL_SECONDS: '1', SENDING_WINDOW_START_HOUR: '0', SENDING_WINDOW_END_HOUR: '24', RELAY_HEARTBEAT_TIMEOUT_SECONDS: '5' },
    });
  });
  afterAll(() => p.close());

  const http = () => request(p.api.app);
  const staff = () => ({ authorization: `Bearer ${p.staffKey}` });
  const ledgerTimes = async (from: string) =>
    ((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(from)}`)).body as { entries: Array<{ acceptedAt: string }> }).entries
      .map((e) => Date.parse(e.acceptedAt))
      .sort((a, b) => a - b);

  it('a tenant sets its cadence; the next campaign waits that long between batches', async () => {
    const t = await activeTenant(p, { mps: 50 });
    const settings = await http().patch(`/v1/tenants/${t.id}/settings`).set(t.auth).send({ relayCadenceMinutes: 15 }).expect(200);
    expect(settings.body).toMatchObject({ relayCadenceMinutes: 15, senders: [{ phoneNumber: t.from, mps: 50 }] });

    const phones = Array.from({ length: 4 }, (_, i) => `+1415555${String(4100 + i)}`);
    for (const phone of phones) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(t.auth)
      .send({ contacts: phones.map((phone) => ({ phone, assignedUser: 'dana' })) })
      .expect(201);
    const created = await http()
      .post('/v1/campaigns')
      .set(t.auth)
      .send({ name: 'Paced', body: 'Bright Smiles Dental: checkup time. Reply STOP to opt out.', messageType: 'transactional', batchSize: 2 })
      .expect(201);
    const id = created.body.id as string;
    await http().post(`/v1/campaigns/${id}/start`).set(t.auth).expect(202);
    const startedAt = Date.now();
    const progress = await eventually(async () => {
      const res = await http().get(`/v1/campaigns/${id}`).set(t.auth).expect(200);
      return res.body.progress?.nextBatchAtMs ? (res.body.progress as { sent: number; nextBatchAtMs: number }) : undefined;
    }, 30_000);
    // One batch of two went out; the other two wait a quarter of an hour.
    expect(progress.sent).toBe(2);
    expect(progress.nextBatchAtMs - startedAt).toBeGreaterThan(14 * 60_000);
    expect(progress.nextBatchAtMs - startedAt).toBeLessThan(16 * 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await ledgerTimes(t.from)).toHaveLength(2);
    await http().post(`/v1/campaigns/${id}/cancel`).set(t.auth).expect(202);

    const audit = (await http().get(`/v1/compliance/audit?tenantId=${t.id}`).set(staff()).expect(200)).body.entries as Array<{
      action: string;
      details: unknown;
    }>;
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'tenant.settings_changed', details: { from: { relayCadenceMinutes: 60 }, to: { relayCadenceMinutes: 15 } } }),
    );
  }, 60_000);

  it('staff set a sender’s MPS; the relay paces to it', async () => {
    const t = await activeTenant(p, { mps: 50 });
    const set = await http()
      .put(`/v1/compliance/tenants/${t.id}/senders/${encodeURIComponent(t.from)}/mps`)
      .set(staff())
      .send({ mps: 2, reason: 'Brand registered at the low-volume tier' })
      .expect(200);
    // No carrier registration yet: no class, no ceiling, no daily cap.
    const limits = { phoneNumber: t.from, mps: 2, dailyCap: null, throughputClass: null, ceiling: null };
    expect(set.body.senders).toEqual([limits]);
    expect((await http().get(`/v1/tenants/${t.id}/settings`).set(t.auth).expect(200)).body.senders).toEqual([limits]);

    // Six one-segment messages at 2 per second take at least 2.5 s from the first to the last.
    const phones = Array.from({ length: 6 }, (_, i) => `+1415555${String(4200 + i)}`);
    await startCampaignTo(p, t, phones, 'Two per second');
    await until(async () => (await ledgerTimes(t.from)).length === 6, 30_000);
    const times = await ledgerTimes(t.from);
    expect(times[5] - times[0]).toBeGreaterThanOrEqual(2_400);
    for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 2]).toBeGreaterThanOrEqual(900);

    const audit = (await http().get(`/v1/compliance/audit?tenantId=${t.id}`).set(staff()).expect(200)).body.entries as Array<{ action: string }>;
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'sender.mps_changed',
        reason: 'Brand registered at the low-volume tier',
        details: { phoneNumber: t.from, from: 50, to: 2 },
      }),
    );
  }, 60_000);

  it('refuses bad settings and other tenants with problems that change nothing', async () => {
    const a = await activeTenant(p);
    const b = await activeTenant(p);
    const mps = `/v1/compliance/tenants/${a.id}/senders/${encodeURIComponent(a.from)}/mps`;
    for (const body of [{ relayCadenceMinutes: 5 }, { relayCadenceMinutes: 2000 }, { timeZone: 'Mars/Olympus' }, {}, { mps: 3 }]) {
      await http()
        .patch(`/v1/tenants/${a.id}/settings`)
        .set(a.auth)
        .send(body)
        .expect(400)
        .expect('content-type', /problem\+json/);
    }
    await http().patch(`/v1/tenants/${a.id}/settings`).set(b.auth).send({ relayCadenceMinutes: 30 }).expect(404);
    await http().get(`/v1/tenants/${a.id}/settings`).set(b.auth).expect(404);
    // A tenant cannot raise its own throughput.
    await http().put(mps).set(a.auth).send({ mps: 100, reason: 'I want more' }).expect(403);
    await http().put(mps).set(staff()).send({ mps: 0, reason: 'zero' }).expect(400);
    await http().put(mps).set(staff()).send({ mps: 5 }).expect(400);
    // A limit must be named; a daily cap is a positive whole number of segments.
    await http().put(mps).set(staff()).send({ reason: 'nothing to change' }).expect(400);
    await http().put(mps).set(staff()).send({ dailyCap: 0, reason: 'zero' }).expect(400);
    await http().put(mps).set(staff()).send({ dailyCap: 2.5, reason: 'fraction' }).expect(400);
    await http()
      .put(`/v1/compliance/tenants/${a.id}/senders/${encodeURIComponent(b.from)}/mps`)
      .set(staff())
      .send({ mps: 5, reason: 'not theirs' })
      .expect(404);
    await http().put(`/v1/compliance/tenants/${a.id}/senders/not-a-number/mps`).set(staff()).send({ mps: 5, reason: 'bad' }).expect(400);
    expect((await http().get(`/v1/tenants/${a.id}/settings`).set(a.auth).expect(200)).body).toMatchObject({
      relayCadenceMinutes: 60,
      timeZone: 'America/Los_Angeles',
      senders: [{ phoneNumber: a.from, mps: 1 }],
    });
  });
});
