import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { issueApiKey } from '../../src/api/api-keys';
import { recordInboundMessage } from '../../src/db/inbound-messages';
import { apiHarness } from '../support/api';
import { testConfig } from '../support/test-env';
import { dataKeysFor } from '../../src/crypto/data-keys';

/**
 * Opt-out requests over HTTP: free-text replies (recorded as the inbound webhook records them,
 * read by the real compliance engine) listed for the tenant, confirmed or dismissed once, with
 * every bad input a problem that changes nothing and another tenant's request out of reach.
 */
describe('opt-out requests API', () => {
  const config = testConfig();
  let api: Awaited<ReturnType<typeof apiHarness>>;
  let staff: Record<string, string>;
  beforeAll(async () => {
    api = await apiHarness(config);
    staff = { authorization: `Bearer ${await api.staffKey()}` };
  });
  afterAll(() => api.close());

  const sid = () => `SM${randomBytes(16).toString('hex')}`;
  const http = () => request(api.app);
  const newTenant = async () => {
    const [{ id }] = await api
      .db('tenants')
      .insert({ slug: `oo-${randomBytes(4).toString('hex')}`, business_name: 'Bright Smiles Dental', status: 'active', contact_email: 'owner@tenant.example' })
      .returning<{ id: string }[]>('id');
    const { key } = await issueApiKey(api.db, { role: 'tenant', tenantId: id });
    return { id, auth: { authorization: `Bearer ${key}` } };
  };
  /** A campaign that reached `phones` (sent outbox rows), as the relay leaves it. */
  const sentCampaign = async (tenantId: string, name: string, phones: string[]) => {
    const [{ id }] = await api
      .db('campaigns')
      .insert({
        tenant_id: tenantId,
        name,
        body: 'Bright Smiles Dental: checkup time.',
        message_type: 'marketing',
        batch_size: 10,
        scan: JSON.stringify({ blocked: false, findings: [] }),
        encoding: 'GSM-7',
        segments: 1,
        status: 'completed',
      })
      .returning<{ id: string }[]>('id');
    await api
      .db('outbox')
      .insert(
        phones.map((p) => ({ campaign_id: id, tenant_id: tenantId, phone_raw: p, to_e164: p, status: 'sent', message_sid: sid(), sent_at: api.db.fn.now() })),
      );
    return id;
  };
  const reply = (tenantId: string, from: string, body: string) =>
    recordInboundMessage(api.db, dataKeysFor(api.db, config), { messageSid: sid(), tenantId, from, to: '+14155550100', body });
  const state = async (tenantId: string, phone: string) => ({
    suppressed:
      (await api.db('suppressions').where({ tenant_id: tenantId, phone_e164: phone }).first<{ source: string } | undefined>('source'))?.source ?? null,
    optOuts: Number((await api.db('tenant_traffic_counters').where({ tenant_id: tenantId }).sum<{ n: string | null }[]>('opt_outs as n'))[0].n ?? 0),
    campaignOptOuts: Number((await api.db('campaign_traffic_counters').where({ tenant_id: tenantId }).sum<{ n: string | null }[]>('opt_outs as n'))[0].n ?? 0),
    audits: Number((await api.db('audit_log').where({ tenant_id: tenantId }).whereLike('action', 'opt_out_request.%').count<{ n: string }[]>('* as n'))[0].n),
    open: (await api.db('opt_out_requests').where({ tenant_id: tenantId, status: 'open' }).pluck<string[]>('id')).map(String),
  });

  it('lists uncertain requests for the tenant to confirm, and applied ones, with the attributed campaign', async () => {
    const t = await newTenant();
    const other = await newTenant();
    const [a, b, c] = ['+14155550301', '+14155550302', '+14155550303'];
    const campaignId = await sentCampaign(t.id, 'Spring cleaning', [a, b]);
    await api.db('contacts').insert({ tenant_id: t.id, phone: a, phone_e164: a, name: 'Pat Lee', assigned_user: 'dana' });

    const uncertain = await reply(t.id, a, 'not interested');
    expect(uncertain).toMatchObject({ kind: 'reply', optOutRequest: { status: 'open' }, campaignId });
    const confident = await reply(t.id, b, 'please stop texting me');
    expect(confident).toMatchObject({
      kind: 'opt_out',
      optOutRequest: { status: 'applied' },
      optOutConfirmation: expect.stringMatching(/^Bright Smiles Dental: you are unsubscribed/),
    });
    await reply(t.id, c, 'See you on Tuesday at 3');

    const open = (await http().get('/v1/opt-out-requests?status=open').set(t.auth).expect(200)).body.requests as Array<Record<string, unknown>>;
    expect(open).toEqual([
      expect.objectContaining({
        id: uncertain.optOutRequest!.id,
        status: 'open',
        from: a,
        body: 'not interested',
        contactName: 'Pat Lee',
        assignedUser: 'dana',
        campaignId,
        campaignName: 'Spring cleaning',
        decidedAt: null,
      }),
    ]);
    expect(typeof open[0].logOdds).toBe('number');
    const applied = (await http().get('/v1/opt-out-requests?status=applied').set(t.auth).expect(200)).body.requests as Array<Record<string, unknown>>;
    expect(applied).toEqual([expect.objectContaining({ from: b, body: 'please stop texting me', campaignName: 'Spring cleaning' })]);
    expect((await http().get('/v1/opt-out-requests').set(t.auth).expect(200)).body.requests).toHaveLength(2);
    expect(await state(t.id, b)).toMatchObject({ suppressed: expect.stringMatching(/^inbound-free-text:SM[0-9a-f]{32}$/), optOuts: 1, campaignOptOuts: 1 });

    // The routed notification carries the request to decide; the other tenant sees nothing.
    const notifications = (await http().get('/v1/notifications?user=dana').set(t.auth).expect(200)).body.notifications as Array<Record<string, unknown>>;
    expect(notifications).toEqual([
      expect.objectContaining({ from: a, body: 'not interested', campaignId, optOutRequest: { id: uncertain.optOutRequest!.id, status: 'open' } }),
    ]);
    expect((await http().get('/v1/opt-out-requests').set(other.auth).expect(200)).body.requests).toEqual([]);
    await http().get('/v1/opt-out-requests').expect(401);
  });

  it('confirms once: suppressed, counted for the tenant and the campaign, audited; then 409', async () => {
    const t = await newTenant();
    const phone = '+14155550311';
    const campaignId = await sentCampaign(t.id, 'Recall', [phone]);
    const { optOutRequest } = await reply(t.id, phone, 'not interested');
    const id = optOutRequest!.id;
    expect(await state(t.id, phone)).toMatchObject({ suppressed: null, optOuts: 0, campaignOptOuts: 0, audits: 0 });

    const confirmed = await http().post(`/v1/opt-out-requests/${id}/confirm`).set(t.auth).send({ reason: 'Called them; they want no texts' }).expect(200);
    expect(confirmed.body).toMatchObject({
      id,
      status: 'confirmed',
      decidedBy: `tenant:${t.id}`,
      decisionReason: 'Called them; they want no texts',
      campaignId,
    });
    expect(await state(t.id, phone)).toMatchObject({
      suppressed: expect.stringMatching(/^inbound-free-text-confirmed:SM/),
      optOuts: 1,
      campaignOptOuts: 1,
      audits: 1,
      open: [],
    });
    const report = (await http().get(`/v1/campaigns/${campaignId}/report`).set(t.auth).expect(200)).body;
    expect(report.optOuts).toEqual({ total: 1, sent: 1, rate: 1, openRequests: 0 });
    expect(report.replies).toBe(1);
    const audit = (await http().get(`/v1/compliance/audit?tenantId=${t.id}`).set(staff).expect(200)).body.entries as Array<{
      action: string;
      actor: string;
      reason: string;
    }>;
    expect(audit).toEqual([
      expect.objectContaining({ action: 'opt_out_request.confirmed', actor: `tenant:${t.id}`, reason: 'Called them; they want no texts' }),
    ]);

    for (const decision of ['confirm', 'dismiss']) {
      const again = await http().post(`/v1/opt-out-requests/${id}/${decision}`).set(t.auth).send({}).expect(409);
      expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(again.body).toMatchObject({ status: 409, requestStatus: 'confirmed' });
    }
    expect(await state(t.id, phone)).toMatchObject({ optOuts: 1, campaignOptOuts: 1, audits: 1 });
  });

  it('dismisses: nothing suppressed or counted, audited; an applied request cannot be decided', async () => {
    const t = await newTenant();
    const phone = '+14155550321';
    await sentCampaign(t.id, 'Reminders', [phone]);
    const open = await reply(t.id, phone, 'not interested');
    await http()
      .post(`/v1/opt-out-requests/${open.optOutRequest!.id}/dismiss`)
      .set(t.auth)
      .expect(200, /"status":"dismissed"/);
    expect(await state(t.id, phone)).toMatchObject({ suppressed: null, optOuts: 0, campaignOptOuts: 0, audits: 1, open: [] });
    expect((await http().get(`/v1/compliance/audit?tenantId=${t.id}`).set(staff).expect(200)).body.entries).toEqual([
      expect.objectContaining({ action: 'opt_out_request.dismissed' }),
    ]);

    const applied = await reply(t.id, '+14155550322', 'please stop texting me');
    await http().post(`/v1/opt-out-requests/${applied.optOutRequest!.id}/confirm`).set(t.auth).expect(409);
  });

  it('answers another tenant’s request and an unknown one with 404, and bad input with 400, changing nothing', async () => {
    const t = await newTenant();
    const other = await newTenant();
    const phone = '+14155550331';
    const { optOutRequest } = await reply(t.id, phone, 'not interested');
    const id = optOutRequest!.id;
    const before = await state(t.id, phone);

    const foreign = await http().post(`/v1/opt-out-requests/${id}/confirm`).set(other.auth).send({}).expect(404);
    expect(foreign.headers['content-type']).toMatch(/^application\/problem\+json/);
    await http().post(`/v1/opt-out-requests/${id}/dismiss`).set(other.auth).expect(404);
    await http().post('/v1/opt-out-requests/999999999/confirm').set(t.auth).expect(404);

    const badId = await http().post('/v1/opt-out-requests/abc/confirm').set(t.auth).expect(400);
    expect(badId.body.errors).toEqual([{ field: 'id', message: expect.stringMatching(/opt-out request id/) }]);
    const badBody = await http().post(`/v1/opt-out-requests/${id}/confirm`).set(t.auth).send({ reason: 7, extra: true }).expect(400);
    expect(badBody.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(badBody.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['(root)', 'reason']);
    await http()
      .post(`/v1/opt-out-requests/${id}/dismiss`)
      .set(t.auth)
      .send({ reason: 'x'.repeat(501) })
      .expect(400);
    const badStatus = await http().get('/v1/opt-out-requests?status=maybe').set(t.auth).expect(400);
    expect(badStatus.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
    await http().get('/v1/opt-out-requests?limit=0').set(t.auth).expect(400);

    expect(await state(t.id, phone)).toEqual(before);
    expect(before.open).toEqual([id]);
  });
});
