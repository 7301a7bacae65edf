import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/dev/free-port';
import { startTemporalDevServer, type RunningDevServer } from '../../src/dev/temporal-dev-server';
import { activeTenant, platformHarness, startCampaignTo, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { until } from '../support/sandbox';
import { eventually } from '../support/workflow-logic';
import { spawnWorker } from '../support/worker-process';

/**
 * A Temporal dev server persisted to a file, stopped in the middle of a campaign and started
 * again: the campaign carries on where it was, and no status callback that arrived meanwhile
 * is lost (they go to PostgreSQL, not through Temporal). Its own server: the run's shared one
 * cannot be stopped.
 */
describe('a campaign across a Temporal server restart', () => {
  let p: PlatformHarness;
  let temporal: RunningDevServer;
  let port: number;
  const dir = mkdtempSync(path.join(tmpdir(), 'clearsend-temporal-'));
  const dbFile = path.join(dir, 'temporal.db');
  const start = () => startTemporalDevServer({ port, dbFile, headless: true });

  beforeAll(async () => {
    port = await freePort();
    temporal = await start();
    p = await platformHarness({
      worker: false,
      config: { ...FAST_CAMPAIGNS, TEMPORAL_ADDRESS: temporal.address, STATUS_REFRESH_AFTER_SECONDS: '3600' },
      sandbox: { sentDelayMs: 1000, finalDelayMs: 1000 },
    });
  }, 60_000);
  afterAll(async () => {
    await p.close();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the campaign with every callback recorded', async () => {
    const worker = spawnWorker(p.config);
    try {
      await worker.ready;
      const t = await activeTenant(p, { mps: 50 });
      const id = await startCampaignTo(p, t, Array.from({ length: 8 }, (_, i) => `+1415555${String(4000 + i)}`), 'Restart');

      await until(async () => (await p.api.db('outbox').where({ campaign_id: id, status: 'sent' }).count<{ n: string }[]>('* as n'))[0].n === '8', 30_000);
      await temporal.stop();
      // Callbacks keep arriving while Temporal is down.
      await until(async () => (await p.api.db('delivery_statuses').where({ tenant_id: t.id, status: 'delivered' }).count<{ n: string }[]>('* as n'))[0].n === '8', 30_000);
      temporal = await start();

      const done = await eventually(async () => {
        const c = (await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body;
        return c.status === 'completed' ? c : undefined;
      }, 90_000);
      expect(done.progress).toMatchObject({ sent: 8, final: 8, dropped: 0 });
      expect((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}`)).body.count).toBe(8);
    } finally {
      await worker.stop();
    }
  }, 180_000);
});
