import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { activeTenant, platformHarness, startCampaignTo, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { eventually } from '../support/workflow-logic';

/**
 * Status callbacks lost for good (Twilio gave up on them, or never sent them): the sandbox
 * drops every one of this tenant's. The campaign's status wait must still learn every
 * message's final status by fetching it from Twilio, and its report must show them. The wait
 * is bounded here, so without that refresh the campaign would complete with every message
 * still awaiting its status.
 */
describe('a campaign whose status callbacks never arrive', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, STATUS_REFRESH_AFTER_SECONDS: '2', STATUS_WAIT_MAX_SECONDS: '30' } });
  });
  afterAll(() => p.close());

  it('still reports every message’s final status, fetched from Twilio', async () => {
    const t = await activeTenant(p, { mps: 50 });
    const sub = (await p.api.db('tenant_credentials').where({ tenant_id: t.id }).first()).subaccount_sid as string;
    const phones = Array.from({ length: 20 }, (_, i) => `+1415555${String(7000 + i)}`);
    // What the carrier does: three undelivered, two failed, the rest delivered.
    const outcomes = new Map<string, { status: 'delivered' | 'undelivered' | 'failed'; errorCode?: number }>(
      phones.map((phone) => [phone, { status: 'delivered' }]),
    );
    for (const phone of phones.slice(0, 3)) outcomes.set(phone, { status: 'undelivered', errorCode: 30003 });
    for (const phone of phones.slice(3, 5)) outcomes.set(phone, { status: 'failed', errorCode: 30007 });
    await p.sandbox.control('/__sandbox/carrier', { body: { overrides: Object.fromEntries(outcomes) } });
    await p.sandbox.control('/__sandbox/faults', { body: { statusCallbackDropRate: 1, accountSid: sub } });
    try {
      const id = await startCampaignTo(p, t, phones, 'Lost callbacks');
      const done = await eventually(async () => {
        const c = (await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body;
        return c.status === 'completed' ? c : undefined;
      }, 90_000);
      expect(done.progress).toMatchObject({ sent: 20, final: 20 });

      // Not one callback got through: each message's two (sent, then final) were dropped.
      const faults = (await p.sandbox.control('/__sandbox/faults')).body as { injected: Record<string, number> };
      expect(faults.injected.statusCallbacksDropped).toBe(40);
      expect(((await p.sandbox.control('/__sandbox/callback-failures')).body as { failures: unknown[] }).failures).toEqual([]);

      const report = (await request(p.api.app).get(`/v1/campaigns/${id}/report`).set(t.auth).expect(200)).body;
      expect(report).toMatchObject({
        sent: 20,
        delivery: { delivered: 15, undelivered: 3, failed: 2, awaiting: 0, failedByErrorCode: { '30003': 3, '30007': 2 } },
      });
      // Recipient by recipient, the CSV report says what the carrier did; nothing is left at sent or queued.
      const csv = (await request(p.api.app).get(`/v1/campaigns/${id}/report?format=csv`).set(t.auth).expect(200)).text;
      const rows = parse(csv, { columns: true }) as Array<{ to_e164: string; outcome: string; delivery_status: string; delivery_error_code: string }>;
      expect(rows).toHaveLength(20);
      for (const row of rows) {
        const expected = outcomes.get(row.to_e164)!;
        expect({ to: row.to_e164, outcome: row.outcome, code: row.delivery_error_code }).toEqual({
          to: row.to_e164,
          outcome: expected.status,
          code: expected.errorCode ? String(expected.errorCode) : '',
        });
      }
    } finally {
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
    }
  }, 120_000);
});
