import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { dropDatabase } from '../../src/db/ensure-database';
import { freePort } from '../../src/dev/free-port';
import { testServices } from '../support/test-env';

/**
 * `npm start` as a newcomer runs it: everything from defaults but the ports (free ones, so
 * the test never collides) and the data directory and database (private to this test).
 */
interface Started {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

const root = path.resolve(__dirname, '../..');

function start(env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const s of [child.stdout, child.stderr]) if (s) createInterface({ input: s }).on('line', (l) => output.push(l));
  return { child, output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

async function until(started: Started, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = started.output.find((l) => pattern.test(l));
    if (line) return line;
    if (started.child.exitCode !== null) throw new Error(`npm start exited (${started.child.exitCode}):\n${started.output.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${started.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function isListening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
}

describe('npm start', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clearsend-start-'));
  const databaseUrl = testServices().databaseUrl.replace(/\/[^/]+$/, `/clearsend_start_${randomBytes(4).toString('hex')}`);
  let ports: Record<'API_PORT' | 'TEMPORAL_PORT' | 'TEMPORAL_UI_PORT' | 'SANDBOX_PORT' | 'SANDBOX_SMTP_PORT', number>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ports = { API_PORT: await freePort(), TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort(), SANDBOX_PORT: await freePort(), SANDBOX_SMTP_PORT: await freePort() };
    const inherited = { ...process.env };
    for (const k of ['TEMPORAL_ADDRESS', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_BASE', 'CREDENTIALS_KEY']) delete inherited[k];
    env = { ...inherited, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), CLEARSEND_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
  });
  afterAll(async () => {
    await dropDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts every part, reports healthy, stops cleanly on Ctrl-C, and keeps workflows across restarts', async () => {
    const first = start(env);
    try {
      await until(first, /clearsend is running/);
    } catch (err) {
      first.child.kill('SIGKILL');
      throw err;
    }
    const banner = first.output.join('\n');
    expect(banner).toContain(`http://127.0.0.1:${ports.API_PORT}`);
    expect(banner).toContain(`Temporal UI    http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
    expect(banner).toContain(`Twilio sandbox http://127.0.0.1:${ports.SANDBOX_PORT}`);
    expect(banner).toContain(`Email          smtp://127.0.0.1:${ports.SANDBOX_SMTP_PORT}`);
    const firstCheck = /workflow (platform-self-check\/\S+) completed/.exec(banner)?.[1];
    expect(firstCheck).toBeDefined();

    const health = await fetch(`http://127.0.0.1:${ports.API_PORT}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ checks: { postgres: { status: 'up' }, temporal: { status: 'up' } } });
    expect((await fetch(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/`)).status).toBe(200);

    // `npm run demo` against this platform walks a tenant to active and says where to look.
    const demo = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(demo.stdout).toMatch(/is active: subaccount AC[0-9a-f]{32}, number \+1\d{10}/);
    expect(demo.stdout).toMatch(/its monitor: http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\/tenant-monitor%2F[0-9a-f-]{36}/);
    expect(demo.stdout).toContain(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}/namespaces/default/workflows/tenant-lifecycle%2F`);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);

    // Second start: same data directory, so the first run's workflow is still on the server.
    const second = start(env);
    try {
      await until(second, /clearsend is running/);
      const connection = await Connection.connect({ address: `127.0.0.1:${ports.TEMPORAL_PORT}` });
      try {
        const client = new Client({ connection });
        const described = await client.workflow.getHandle(firstCheck!).describe();
        expect(described.status.name).toBe('COMPLETED');
        // The demo tenant's monitor, started at activation, is still watching after the restart.
        const monitorId = decodeURIComponent(/workflows\/(tenant-monitor%2F[0-9a-f-]{36})/.exec(demo.stdout)![1]);
        expect((await client.workflow.getHandle(monitorId).describe()).status.name).toBe('RUNNING');
      } finally {
        await connection.close();
      }
    } finally {
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    }
  }, 300_000);
});
