import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { activeTenant, platformHarness, startCampaignTo, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { eventually } from '../support/workflow-logic';

/**
 * The status wait's refresh from Twilio when a message cannot be fetched. Every status
 * callback is dropped, so only the refresh learns outcomes. Before it first runs, one sent
 * (and final) message is deleted at Twilio, so fetching it answers 404 20404 from then on,
 * and another's fetch answers 503 for a while. The deleted one must be recorded as unknown
 * (20404) without holding up anyone else's status; the 503 must leave its message awaiting
 * and be retried, never taken as unknown. The status wait then ends by itself: its limit is
 * an hour away, so a completed campaign means every message was settled.
 */
describe('a status refresh that meets a message Twilio no longer has', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({ config: { ...FAST_CAMPAIGNS, STATUS_REFRESH_AFTER_SECONDS: '5', STATUS_WAIT_MAX_SECONDS: '3600' } });
  });
  afterAll(() => p.close());

  it('records it as unknown (20404), still refreshes every other message, and completes the wait', async () => {
    const t = await activeTenant(p, { mps: 50 });
    const sub = (await p.api.db('tenant_credentials').where({ tenant_id: t.id }).first()).subaccount_sid as string;
    const phones = Array.from({ length: 6 }, (_, i) => `+1415555${String(7100 + i)}`);
    const [deleted, flaky, undelivered] = phones;
    await p.sandbox.control('/__sandbox/carrier', { body: { overrides: { [undelivered]: { status: 'undelivered', errorCode: 30003 } } } });
    const dropCallbacks = { statusCallbackDropRate: 1, accountSid: sub };
    await p.sandbox.control('/__sandbox/faults', { body: dropCallbacks });
    try {
      const id = await startCampaignTo(p, t, phones, 'Unfetchable status');
      const campaign = async () =>
        (await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body as { status: string; progress: Record<string, unknown> };
      const sidOf = await eventually(async () => {
        const ledger = (await p.sandbox.control(`/__sandbox/ledger?accountSid=${sub}`)).body as { entries: Array<{ sid: string; to: string }> };
        return ledger.entries.length === phones.length ? new Map(ledger.entries.map((e) => [e.to, e.sid])) : undefined;
      });
      const sids = phones.map((phone) => sidOf.get(phone)!);
      const atTwilio = (sid: string) => p.sandbox.twilio.platform().api.v2010.accounts(sub).messages(sid);

      // Twilio deletes only messages that are done: wait for the outcome its callbacks never told.
      await eventually(async () => (await atTwilio(sidOf.get(deleted)!).fetch()).status === 'delivered');
      await atTwilio(sidOf.get(deleted)!).remove();
      await p.sandbox.control('/__sandbox/faults', {
        body: { ...dropCallbacks, rate503: 1, only: { method: 'GET', pathEndsWith: `/Messages/${sidOf.get(flaky)!}.json` } },
      });
      const statuses = async () =>
        new Map(
          (
            await p.api
              .db('delivery_statuses')
              .whereIn('message_sid', sids)
              .select<Array<{ message_sid: string; status: string; error_code: number | null }>>('message_sid', 'status', 'error_code')
          ).map((r) => [r.message_sid, r]),
        );
      // Both happened before the refresh first ran (nothing has learnt any status yet).
      expect([...(await statuses()).values()]).toEqual([]);

      // While the 503 lasts: every other message is settled, the flaky one still awaited, the wait goes on.
      const duringOutage = await eventually(async () => {
        const injected = ((await p.sandbox.control('/__sandbox/faults')).body as { injected: Record<string, number> }).injected;
        const now = await statuses();
        return injected['503'] >= 1 && now.size === phones.length - 1 ? now : undefined;
      }, 30_000);
      expect(duringOutage.get(sidOf.get(deleted)!)).toMatchObject({ status: 'unknown', error_code: 20404 });
      expect(duringOutage.has(sidOf.get(flaky)!)).toBe(false);
      expect(duringOutage.get(sidOf.get(undelivered)!)).toMatchObject({ status: 'undelivered', error_code: 30003 });
      for (const phone of phones.slice(3)) expect(duringOutage.get(sidOf.get(phone)!)).toMatchObject({ status: 'delivered' });
      expect((await campaign()).status).toBe('waiting');

      // Twilio answers again: the retried refresh learns the last outcome and the wait ends.
      await p.sandbox.control('/__sandbox/faults', { body: dropCallbacks });
      const done = await eventually(async () => {
        const c = await campaign();
        return c.status === 'completed' ? c : undefined;
      }, 30_000);
      expect(done.progress).toMatchObject({ sent: 6, final: 5, unknown: 1 });

      const report = (await request(p.api.app).get(`/v1/campaigns/${id}/report`).set(t.auth).expect(200)).body;
      expect(report).toMatchObject({
        sent: 6,
        delivery: { delivered: 4, undelivered: 1, failed: 0, unknown: 1, unknownByErrorCode: { '20404': 1 }, awaiting: 0, failedByErrorCode: { '30003': 1 } },
      });
      const csv = (await request(p.api.app).get(`/v1/campaigns/${id}/report?format=csv`).set(t.auth).expect(200)).text;
      const rows = parse(csv, { columns: true }) as Array<{ to_e164: string; outcome: string; message_sid: string; delivery_error_code: string }>;
      expect(Object.fromEntries(rows.map((r) => [r.to_e164, { outcome: r.outcome, code: r.delivery_error_code, sid: r.message_sid }]))).toEqual({
        [deleted]: { outcome: 'unknown', code: '20404', sid: sidOf.get(deleted) },
        [flaky]: { outcome: 'delivered', code: '', sid: sidOf.get(flaky) },
        [undelivered]: { outcome: 'undelivered', code: '30003', sid: sidOf.get(undelivered) },
        ...Object.fromEntries(phones.slice(3).map((phone) => [phone, { outcome: 'delivered', code: '', sid: sidOf.get(phone) }])),
      });
    } finally {
      await p.sandbox.control('/__sandbox/faults', { method: 'DELETE' });
    }
  }, 120_000);
});
