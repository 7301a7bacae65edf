import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import pino from 'pino';
import { createTenantLifecycleActivities } from '../src/activities/tenant-lifecycle';
import { issueApiKey } from '../src/api/api-keys';
import { loadConfig, type Config } from '../src/config';
import { dropDatabase } from '../src/db/ensure-database';
import { createDb, type Db } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrate';
import { freePort } from '../src/dev/free-port';
import { startTemporalDevServer } from '../src/dev/temporal-dev-server';
import { createTwilioClientFactory } from '../src/twilio/client-factory';
import { apiNodeFlags, workerNodeFlags } from '../src/node-flags';
import { profileArgs, sandboxPlatform, sandboxProcess } from './_support';
import type { MessageType } from '../src/domain/message-shaping';

/**
 * The whole platform for a benchmark, each part as it runs in production: a Temporal dev
 * server, a fresh PostgreSQL database, the sandbox in its own process, the API listening
 * (status callbacks reach it), and `workers` worker processes. Torn down by `stop()`.
 */
export async function benchPlatform(opts: { workers: number; env?: Record<string, string>; sandboxEnv?: Record<string, string> }) {
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/clearsend_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const [temporal, , bundle, sandbox] = await Promise.all([
    startTemporalDevServer({ port: 'free', headless: true, fast: true, log: () => undefined }),
    migrateToLatest(databaseUrl),
    bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '../src/workflows/index.ts'),
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: log, error: log },
    }),
    sandboxProcess({ SANDBOX_SENT_DELAY_MS: '50', SANDBOX_FINAL_DELAY_MS: '100', ...opts.sandboxEnv }),
  ]);
  const bundlePath = path.join(tmpdir(), `clearsend-bench-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, bundle.code);
  const apiPort = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'bench',
    TWILIO_API_BASE: sandbox.url,
    TWILIO_ACCOUNT_SID: sandboxPlatform.accountSid,
    TWILIO_AUTH_TOKEN: sandboxPlatform.authToken,
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
    API_PORT: String(apiPort),
    LOG_LEVEL: 'warn',
    RELAY_CADENCE_SECONDS: '1',
    STATUS_POLL_SECONDS: '1',
    STATUS_REFRESH_AFTER_SECONDS: '10',
    SENDING_WINDOW_START_HOUR: '0',
    SENDING_WINDOW_END_HOUR: '24',
    WORKFLOW_BUNDLE_PATH: bundlePath,
    ...opts.env,
  };
  const config: Config = loadConfig({ ...process.env, ...env });
  const db: Db = createDb(databaseUrl);
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });

  // The API and the workers as production runs them: each its own process.
  const workers: Array<{ child: ChildProcess; peakRssKb: number }> = [];
  const children: ChildProcess[] = [];
  const spawnPart = (entry: string, readyLine: string, nodeFlags: readonly string[] = []) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeFlags, ...profileArgs(), '--import', 'tsx', path.resolve(__dirname, '../src', entry)], {
        env: { ...process.env, ...env, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      // BENCH_LOG_DIR keeps each part's log: a long run that goes wrong can then be read afterwards.
      const logDir = process.env.BENCH_LOG_DIR;
      if (logDir) {
        mkdirSync(logDir, { recursive: true });
        const file = createWriteStream(path.join(logDir, `${path.basename(entry, '.ts')}-${child.pid}.log`));
        child.stdout?.pipe(file, { end: false });
        child.stderr?.pipe(file, { end: false });
      }
      for (const s of [child.stdout, child.stderr]) createInterface({ input: s }).on('line', (line) => line.includes(readyLine) && resolve(child));
      child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
    });
  await spawnPart('api/server.ts', '"API listening"', apiNodeFlags);
  for (let i = 0; i < opts.workers; i++) workers.push({ child: await spawnPart('worker.ts', '"worker running"', workerNodeFlags), peakRssKb: 0 });
  // Peak resident memory of the sandbox and of each worker, sampled from /proc (Linux) every 500 ms.
  let sandboxPeakRssKb = 0;
  const sampler = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${sandbox.child.pid}/status`, 'utf8'));
      if (hwm) sandboxPeakRssKb = Math.max(sandboxPeakRssKb, Number(hwm[1]));
    } catch {
      // the sandbox is gone
    }
    for (const w of workers) {
      try {
        const status = readFileSync(`/proc/${w.child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+)/.exec(status);
        if (hwm) w.peakRssKb = Math.max(w.peakRssKb, Number(hwm[1]));
      } catch {
        // the process is gone
      }
    }
  }, 500);

  return {
    env,
    config,
    db,
    temporal: client,
    sandboxUrl: sandbox.url,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    sandboxPeakRssMb: () => Math.round(sandboxPeakRssKb / 1024),
    workerPeakRssMb: () => Math.max(0, ...workers.map((w) => Math.round(w.peakRssKb / 1024))),
    /** An active tenant, made by the lifecycle's own provisioning activities against the sandbox. */
    activeTenant: async (mps: number) => {
      const [row] = await db('tenants')
        .insert({
          slug: `bench-${randomBytes(4).toString('hex')}`,
          business_name: 'Bench Dental',
          status: 'active',
          lifecycle_step: 'active',
          owner_phone: '+14155552671',
          destination_countries: ['US'],
        })
        .returning<{ id: string }[]>('id');
      const acts = createTenantLifecycleActivities({
        db,
        twilio: createTwilioClientFactory(config),
        clock: () => new Date(),
        log: pino({ level: 'silent' }),
        config,
      });
      await acts.provisionSubaccount(row.id);
      const number = await acts.grantPhoneNumber({ tenantId: row.id, areaCode: '415' });
      await db('tenant_phone_numbers').where({ tenant_id: row.id }).update({ mps });
      const key = (await issueApiKey(db, { role: 'tenant', tenantId: row.id })).key;
      return { id: row.id, from: number.phoneNumber, auth: { authorization: `Bearer ${key}` } };
    },
    /** Contacts straight into PostgreSQL (the upload API is not what is measured). */
    addContacts: async (tenantId: string, count: number, offset = 0) => {
      for (let i = 0; i < count; i += 5000) {
        const rows = Array.from({ length: Math.min(5000, count - i) }, (_, j) => {
          const n = offset + i + j;
          return { tenant_id: tenantId, phone: `+1628${200 + Math.floor(n / 10000)}${String(n % 10000).padStart(4, '0')}`, assigned_user: 'bench' };
        });
        await db('contacts').insert(rows);
      }
    },
    api: async (method: string, pathname: string, auth: Record<string, string>, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${apiPort}${pathname}`, {
        method,
        headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    stop: async () => {
      clearInterval(sampler);
      for (const c of children) c.removeAllListeners('exit');
      await Promise.all(
        children.map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill('SIGTERM'))))),
      );
      await db.destroy();
      await connection.close();
      await sandbox.stop();
      await temporal.stop();
      await dropDatabase(databaseUrl);
      rmSync(bundlePath, { force: true });
    },
  };
}

export type BenchPlatform = Awaited<ReturnType<typeof benchPlatform>>;

/** Starts a campaign through the API and waits until it reaches `phase`; returns when each phase was first seen. */
export async function runCampaign(
  p: BenchPlatform,
  tenant: { auth: Record<string, string> },
  body: { name: string; body: string; messageType: MessageType; batchSize?: number },
  until = 'completed',
  timeoutMs = 3_600_000,
) {
  const created = await p.api('POST', '/v1/campaigns', tenant.auth, body);
  const id = created.id as string;
  const started = Date.now();
  await p.api('POST', `/v1/campaigns/${id}/start`, tenant.auth);
  const seen: Record<string, number> = {};
  for (;;) {
    const c = await p.api('GET', `/v1/campaigns/${id}`, tenant.auth);
    const phase = (c.progress as { phase?: string } | null)?.phase ?? (c.status as string);
    if (seen[phase] === undefined) {
      seen[phase] = Date.now() - started;
      process.stderr.write(`[bench] campaign ${id}: ${phase} after ${Math.round(seen[phase] / 1000)} s\n`);
    }
    if (phase === until || ['completed', 'canceled', 'refused'].includes(phase)) return { id, seen, campaign: c };
    if (Date.now() - started > timeoutMs) throw new Error(`campaign ${id} still ${phase} after ${timeoutMs} ms`);
    // Once a second: each read counts the campaign's drops by reason, and a bench that read it
    // five times a second measured its own polling too.
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
