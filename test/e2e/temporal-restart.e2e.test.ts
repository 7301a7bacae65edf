import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/dev/free-port';
import { startTemporalDevServer, type RunningDevServer } from '../../src/dev/temporal-dev-server';
import { activeTenant, platformHarness, startCampaignTo, type PlatformHarness, FAST_CAMPAIGNS } from '../support/platform';
import { perRecipient } from '../support/reconciliations';
import { until } from '../support/sandbox';
import { eventually } from '../support/workflow-logic';
import { spawnWorker, type ServiceChild } from '../support/worker-process';

/**
 * A Temporal dev server persisted to a file, stopped in the middle of a campaign and started
 * again: the campaign carries on where it was, and no status callback that arrived meanwhile
 * is lost (they go to PostgreSQL, not through Temporal). Then the same server SIGKILLed while
 * the relay is sending, and started again on the same port and file: every recipient reached
 * exactly once. Its own server: the run's shared one cannot be stopped.
 */
describe('a campaign across a Temporal server restart', () => {
  let p: PlatformHarness;
  let temporal: RunningDevServer;
  let port: number;
  let worker: ServiceChild;
  const dir = mkdtempSync(path.join(tmpdir(), 'clearsend-temporal-'));
  const dbFile = path.join(dir, 'temporal.db');
  const start = () => startTemporalDevServer({ port, dbFile, headless: true });

  beforeAll(async () => {
    port = await freePort();
    temporal = await start();
    p = await platformHarness({
      worker: false,
      // Batches of 30 at the cadence: a kill lands on a relay activity or a timer between batches.
      config: {
        ...FAST_CAMPAIGNS,
        TEMPORAL_ADDRESS: temporal.address,
        STATUS_REFRESH_AFTER_SECONDS: '3600',
        CAMPAIGN_BATCH_SIZE: '30',
        RELAY_HEARTBEAT_TIMEOUT_SECONDS: '3',
      },
      sandbox: { sentDelayMs: 1000, finalDelayMs: 1000 },
    });
    // One worker process for both tests (starting one takes seconds): it rides out every stop and
    // kill of the server, as a deployed worker must.
    worker = spawnWorker(p.config);
    await worker.ready;
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await p.close();
    await temporal.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the campaign with every callback recorded', async () => {
    const t = await activeTenant(p, { mps: 50 });
    const id = await startCampaignTo(
      p,
      t,
      Array.from({ length: 8 }, (_, i) => `+1415555${String(4000 + i)}`),
      'Restart',
    );

    await until(async () => (await p.api.db('outbox').where({ campaign_id: id, status: 'sent' }).count<{ n: string }[]>('* as n'))[0].n === '8', 30_000);
    await temporal.stop();
    // Callbacks keep arriving while Temporal is down.
    await until(
      async () => (await p.api.db('delivery_statuses').where({ tenant_id: t.id, status: 'delivered' }).count<{ n: string }[]>('* as n'))[0].n === '8',
      30_000,
    );
    temporal = await start();

    const done = await eventually(async () => {
      const c = (await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body;
      return c.status === 'completed' ? c : undefined;
    }, 90_000);
    expect(done.progress).toMatchObject({ sent: 8, final: 8, dropped: 0 });
    expect((await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}`)).body.count).toBe(8);
  }, 180_000);

  it('reaches every recipient exactly once when the server is SIGKILLed mid-relay', async () => {
    const RECIPIENTS = 150;
    // 20 messages a second: the relay takes several seconds, long enough to be cut in two.
    const t = await activeTenant(p, { mps: 20 });
    const phones = Array.from({ length: RECIPIENTS }, (_, i) => `+1415555${String(5000 + i)}`);
    const id = await startCampaignTo(p, t, phones, 'Kill');
    const ledger = async () =>
      (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(t.from)}`)).body as { count: number; entries: Array<{ to: string }> };

    // 35 of 150: five messages into the second batch, which runs 1.5 s more.
    await until(async () => (await ledger()).count >= 35, 60_000);
    await temporal.kill();
    const atKill = (await ledger()).count;
    // Mid-relay: the campaign was still sending when its server died.
    expect(atKill).toBeLessThan(RECIPIENTS);
    expect(await p.api.db('campaigns').where({ id }).first('status')).toEqual({ status: 'relaying' });
    // Down longer than the relay's heartbeat timeout: the running attempt is presumed dead.
    await new Promise((r) => setTimeout(r, 4000));
    temporal = await start();

    const done = await eventually(async () => {
      const c = (await request(p.api.app).get(`/v1/campaigns/${id}`).set(t.auth).expect(200)).body;
      return c.status === 'completed' ? c : undefined;
    }, 120_000).catch(async (err: unknown) => {
      const counts = await p.api.db('outbox').where({ campaign_id: id }).groupBy('status').select('status', p.api.db.raw('count(*)::int AS n'));
      throw new Error(`${String(err)}\noutbox ${JSON.stringify(counts)}\nworker said:\n${worker.output.slice(-20).join('\n')}`);
    });

    const counts = perRecipient((await ledger()).entries);
    expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]); // none twice
    expect([...counts.keys()].sort()).toEqual([...phones].sort()); // none lost
    expect(done.progress).toMatchObject({ sent: RECIPIENTS, failed: 0, dropped: 0 });
    expect(await p.api.db('outbox').where({ campaign_id: id, status: 'sent' }).count<{ n: string }[]>('* as n')).toEqual([{ n: String(RECIPIENTS) }]);
    // Whether the relay attempt running at the kill is retried or carries on depends on when the
    // restarted server next sees its heartbeat; a CI run saw no retry. Worker-side retries are the
    // relay crash test's subject (SIGKILLed worker); here the server's death is, asserted above as
    // mid-relay, and either way every recipient is reached once.
  }, 180_000);
});
