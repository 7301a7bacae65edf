import request from 'supertest';
import { activeTenant, platformHarness, startCampaignTo, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { until } from '../support/sandbox';
import { eventually } from '../support/workflow-logic';
import { spawnApi } from '../support/worker-process';

/**
 * No status callback is lost when the API process dies: the sandbox retries a callback it
 * could not deliver (as Twilio does), and the restarted API records it. The campaign's
 * refresh-from-Twilio path is switched off here (a long STATUS_REFRESH_AFTER_SECONDS) so
 * only callbacks can complete it.
 */
describe('status callbacks across an API restart', () => {
  let p: PlatformHarness;
  beforeAll(async () => {
    p = await platformHarness({
      listen: false,
      config: { ...FAST_CAMPAIGNS, STATUS_REFRESH_AFTER_SECONDS: '3600' },
      // Callbacks come 1.5 s after the send; a failed one is retried for about 15 s.
      sandbox: { sentDelayMs: 1500, finalDelayMs: 1500, webhook: { attempts: 5, retryDelayMs: 1000, timeoutMs: 2000 } },
    });
  });
  afterAll(() => p.close());

  it('records every callback sent while the API was down', async () => {
    let api = spawnApi(p.config);
    try {
      await api.ready;
      const t = await activeTenant(p, { mps: 50 });
      const id = await startCampaignTo(
        p,
        t,
        Array.from({ length: 10 }, (_, i) => `+1415555${String(3000 + i)}`),
        'Restart',
      );

      // Everything accepted by Twilio, no callback yet: the API dies now and stays down 4 s.
      await until(async () => (await p.api.db('outbox').where({ campaign_id: id, status: 'sent' }).count<{ n: string }[]>('* as n'))[0].n === '10', 30_000);
      await api.kill();
      await new Promise((r) => setTimeout(r, 4000));
      expect(await p.api.db('delivery_statuses').where({ tenant_id: t.id }).count<{ n: string }[]>('* as n')).toEqual([{ n: '0' }]);
      api = spawnApi(p.config);
      await api.ready;

      const done = await eventually(async () => {
        const c = (await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body;
        return c.status === 'completed' ? c : undefined;
      }, 60_000);
      expect(done.progress).toMatchObject({ sent: 10, final: 10 });
      const statuses = await p.api.db('delivery_statuses').where({ tenant_id: t.id }).select('status', 'callbacks');
      expect(statuses).toHaveLength(10);
      for (const s of statuses) expect(s.status).toBe('delivered');
      expect(((await p.sandbox.control('/__sandbox/callback-failures')).body as { failures: unknown[] }).failures).toEqual([]);
    } finally {
      await api.stop();
    }
  }, 120_000);
});
