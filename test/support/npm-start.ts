import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { dropDatabase } from '../../src/db/ensure-database';
import { eventually, StopWaiting } from './eventually';
import { testServices } from './test-env';

const root = path.resolve(__dirname, '../..');

/**
 * A free port below Linux's ephemeral range (32768 and up). A port the OS picked (freePort) can
 * be picked again for someone else's bind(0) once we let it go: the Temporal dev server binds its
 * internal services that way and would take, say, the sandbox's port before the sandbox starts.
 */
async function portOutsideEphemeralRange(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

export type NpmStartPorts = Record<'API_PORT' | 'TEMPORAL_PORT' | 'TEMPORAL_UI_PORT' | 'SANDBOX_PORT' | 'SANDBOX_SMTP_PORT', number>;

/**
 * `npm start` as a newcomer runs it: everything from defaults but the ports (free ones, so
 * the test never collides; see portOutsideEphemeralRange) and the data directory and database (private to the test).
 */
export interface NpmStartSetting {
  ports: NpmStartPorts;
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  remove: () => Promise<void>;
}

export async function npmStartSetting(): Promise<NpmStartSetting> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'clearsend-start-'));
  const databaseUrl = testServices().databaseUrl.replace(/\/[^/]+$/, `/clearsend_start_${randomBytes(4).toString('hex')}`);
  const taken = new Set<number>();
  const ports: NpmStartPorts = {
    API_PORT: await portOutsideEphemeralRange(taken),
    TEMPORAL_PORT: await portOutsideEphemeralRange(taken),
    TEMPORAL_UI_PORT: await portOutsideEphemeralRange(taken),
    SANDBOX_PORT: await portOutsideEphemeralRange(taken),
    SANDBOX_SMTP_PORT: await portOutsideEphemeralRange(taken),
  };
  const inherited = { ...process.env };
  for (const k of ['TEMPORAL_ADDRESS', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_BASE', 'CREDENTIALS_KEY']) delete inherited[k];
  const env = {
    ...inherited,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    CLEARSEND_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    // The demo's carrier registration: the sandbox decides each submission in a second.
    SANDBOX_VETTING_SECONDS: '1',
  };
  return {
    ports,
    env,
    databaseUrl,
    remove: async () => {
      await dropDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `env` with this run's prebuilt workflow bundle, so the worker skips its webpack build (seconds
 * on a loaded machine). For the starts whose subject is not bundling; a first start as a
 * newcomer sees it (npm-start.test.ts) bundles as `npm start` does.
 */
export const withPrebuiltBundle = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, WORKFLOW_BUNDLE_PATH: testServices().workflowBundlePath });

export interface NpmStart {
  child: ChildProcess;
  /** Every line it printed so far, stdout and stderr. */
  output: string[];
  exited: Promise<number | null>;
}

/** scripts/start.ts as `npm start` runs it, in the repository. */
export function runNpmStart(env: NodeJS.ProcessEnv): NpmStart {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const s of [child.stdout, child.stderr]) if (s) createInterface({ input: s }).on('line', (l) => output.push(l));
  return { child, output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

/** The first line matching `pattern`; fails with everything printed if it exits or takes too long. */
export function printed(started: NpmStart, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  return eventually(
    () => {
      const line = started.output.find((l) => pattern.test(l));
      if (line) return line;
      if (started.child.exitCode !== null)
        throw new StopWaiting(`npm start exited (${started.child.exitCode}) before printing ${pattern}:\n${started.output.join('\n')}`);
      return undefined;
    },
    { timeoutMs, intervalMs: 200, describe: `npm start to print ${pattern}`, detail: () => `it printed:\n${started.output.join('\n')}` },
  );
}

/** Does anything accept TCP connections on 127.0.0.1:`port`? (A plain connect: any protocol, gRPC included.) */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
