/**
 * `npm start`: the whole platform on defaults, for development and demos.
 * Temporal dev server (with UI; state kept in .data/) unless TEMPORAL_ADDRESS names one,
 * migrations, the local Twilio sandbox unless real Twilio credentials are configured, the
 * worker and the API. Ctrl-C (or the terminal closing) stops every part, in order; a port
 * already taken stops it before anything starts; if it is killed outright, every part stops
 * itself within seconds (src/dev/reaper.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import nodemailer from 'nodemailer';
import { configSchema, loadConfig, parseSettings, redactConfig } from '../src/config';
import { orExit } from '../src/config-cli';
import { createDb } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrate';
import { ensureTenantMonitors } from '../src/ops/ensure-monitors';
import { ensureDataRetention } from '../src/ops/ensure-retention';
import { activeTenantsWithoutRegistration, unregisteredTenantsReport } from '../src/ops/unregistered-tenants';
import { temporalConnectionOptions } from '../src/temporal-connection';
import { startTemporalDevServer, type RunningDevServer } from '../src/dev/temporal-dev-server';
import { startService, type ServiceProcess } from '../src/dev/service-process';
import { portProblems, type WantedPort } from '../src/dev/port-preflight';
import { loadSandboxConfig } from '../src/sandbox/config';
import { platformSelfCheck } from '../src/workflows';
import { selfCheckWorkflowId } from '../src/workflows/platform-self-check';
import { ensureConsoleBuilt } from './build-console';
import { apiNodeFlags, workerNodeFlags } from '../src/node-flags';

const root = path.resolve(__dirname, '..');
const say = (line: string) => process.stdout.write(`[start] ${line}\n`);
const relay = (line: string) => process.stdout.write(`${line}\n`);
/** A path as a person would type it: relative inside the repo, absolute elsewhere. */
const shown = (p: string) => (p.startsWith(`${root}${path.sep}`) ? path.relative(root, p) : p);

/** Dev only: a credentials key kept in the data directory so sealed tokens survive restarts. */
function developmentCredentialsKey(dataDir: string): string {
  const file = path.join(dataDir, 'credentials.key');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    say(`made a development credentials key in ${shown(file)} (set CREDENTIALS_KEY in production)`);
  }
  return readFileSync(file, 'utf8').trim();
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const dataDir = path.resolve(root, env.CLEARSEND_DATA_DIR ?? '.data');
  mkdirSync(dataDir, { recursive: true });
  // Only the settings npm start needs before it has filled in the rest.
  const early = orExit(() =>
    parseSettings(configSchema.pick({ API_PORT: true, TEMPORAL_PORT: true, TEMPORAL_UI_PORT: true, SANDBOX_PORT: true, DATABASE_URL: true }), env),
  );
  // Twilio: real when credentials are configured, otherwise the local sandbox.
  const sandboxEnv = { ...env, SANDBOX_STATE_FILE: env.SANDBOX_STATE_FILE ?? path.join(dataDir, 'sandbox-state.json') };
  const sandboxConfig = env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? undefined : orExit(() => loadSandboxConfig(sandboxEnv));

  // Every port we will listen on must be free before anything starts: otherwise a health check
  // can be answered by whatever holds it (a leftover run) and this run fails only later.
  const wanted: WantedPort[] = [{ setting: 'API_PORT', port: early.API_PORT }];
  if (!env.TEMPORAL_ADDRESS) {
    wanted.push(
      { setting: 'TEMPORAL_PORT', port: early.TEMPORAL_PORT, host: '127.0.0.1' },
      { setting: 'TEMPORAL_UI_PORT', port: early.TEMPORAL_UI_PORT, host: '127.0.0.1' },
    );
  }
  if (sandboxConfig) {
    wanted.push(
      { setting: 'SANDBOX_PORT', port: sandboxConfig.SANDBOX_PORT, host: sandboxConfig.SANDBOX_HOST },
      { setting: 'SANDBOX_SMTP_PORT', port: sandboxConfig.SANDBOX_SMTP_PORT, host: sandboxConfig.SANDBOX_HOST },
    );
  }
  const problems = await portProblems(wanted);
  if (problems.length) {
    for (const problem of problems) say(`cannot start: ${problem}`);
    say('stop what holds it, or set the setting named to a free port');
    process.exit(1);
  }

  env.CREDENTIALS_KEY ??= developmentCredentialsKey(dataDir);

  const services: ServiceProcess[] = [];
  let temporal: RunningDevServer | undefined;
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    // Reverse order of dependence: API, worker, sandbox, then Temporal itself.
    for (const s of [...services].reverse()) await s.stop();
    await temporal?.stop();
    say('stopped');
    process.exit(code);
  };
  // SIGHUP: the terminal closed. Each of these stops everything in order; a second signal
  // while stopping changes nothing (each part is killed after its grace anyway).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));
  // After a hangup our terminal is gone and writing to it fails (EIO): that must not cut the stop short.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  try {
    // Temporal.
    let temporalLine: string;
    if (env.TEMPORAL_ADDRESS) {
      temporalLine = `Temporal       ${env.TEMPORAL_ADDRESS} (existing server, TEMPORAL_ADDRESS)`;
    } else {
      const dbFile = path.join(dataDir, 'temporal.db');
      temporal = await startTemporalDevServer({ port: early.TEMPORAL_PORT, uiPort: early.TEMPORAL_UI_PORT, dbFile, detached: true, log: say });
      env.TEMPORAL_ADDRESS = temporal.address;
      // The console links workflows to this UI.
      if (temporal.uiUrl) env.TEMPORAL_UI_URL ??= temporal.uiUrl;
      temporalLine = `Temporal UI    ${temporal.uiUrl}\n  Temporal gRPC  ${temporal.address} (dev server, state in ${shown(dbFile)})`;
      const { uiUrl } = temporal;
      if (uiUrl)
        await waitFor(
          'Temporal UI',
          async () => (await fetch(uiUrl)).ok,
          60_000,
          () => undefined,
        );
    }

    // PostgreSQL.
    const applied = await migrateToLatest(early.DATABASE_URL);
    say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    let twilioLine: string;
    if (!sandboxConfig) {
      twilioLine = env.TWILIO_API_BASE ? `Twilio         ${env.TWILIO_API_BASE} (TWILIO_API_BASE)` : 'Twilio         real Twilio (TWILIO_ACCOUNT_SID)';
    } else {
      const sandbox = startService('sandbox', path.join(root, 'src/sandbox/main.ts'), sandboxEnv, relay);
      services.push(sandbox);
      const url = `http://127.0.0.1:${sandboxConfig.SANDBOX_PORT}`;
      await waitFor(
        'Twilio sandbox',
        async () => (await fetch(`${url}/__sandbox/health`)).ok,
        60_000,
        () => exitedEarly(sandbox),
      );
      const catcher = `smtp://127.0.0.1:${sandboxConfig.SANDBOX_SMTP_PORT}`;
      await waitFor(
        'sandbox email catcher',
        () => nodemailer.createTransport(catcher).verify(),
        60_000,
        () => exitedEarly(sandbox),
      );
      Object.assign(env, {
        TWILIO_API_BASE: url,
        TWILIO_ACCOUNT_SID: sandboxConfig.SANDBOX_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: sandboxConfig.SANDBOX_AUTH_TOKEN,
        TWILIO_TEST_ACCOUNT_SID: sandboxConfig.SANDBOX_TEST_ACCOUNT_SID,
        TWILIO_TEST_AUTH_TOKEN: sandboxConfig.SANDBOX_TEST_AUTH_TOKEN,
      });
      // Notices and reply emails land in the sandbox's SMTP catcher unless a mail server is configured.
      env.SMTP_URL ??= catcher;
      // The sandbox's registration verdicts cost nothing to read: polled every few seconds, not Twilio's minutes.
      env.REGISTRATION_POLL_INITIAL_SECONDS ??= '2';
      env.REGISTRATION_POLL_MAX_SECONDS ??= '5';
      twilioLine = `Twilio sandbox ${url} (account ${sandboxConfig.SANDBOX_ACCOUNT_SID}; see README "Driving the sandbox")\n  Email          ${env.SMTP_URL} (what arrived: ${url}/__sandbox/mail)`;
    }

    // Everything is filled in now: the full configuration must hold before any service starts.
    const config = orExit(() => loadConfig(env));
    if (config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace') say(`configuration: ${JSON.stringify(redactConfig(config))}`);

    // The API serves the browser console from dist/console: rebuilt when missing or older than its sources.
    await ensureConsoleBuilt(say);

    const worker = startService('worker', path.join(root, 'src/worker.ts'), env, relay, workerNodeFlags);
    services.push(worker);
    const api = startService('api', path.join(root, 'src/api/server.ts'), env, relay, apiNodeFlags);
    services.push(api);

    const apiUrl = `http://127.0.0.1:${config.API_PORT}`;
    await waitFor(
      'API',
      async () => (await fetch(`${apiUrl}/healthz`)).ok,
      60_000,
      () => exitedEarly(api),
    );

    // The worker is ready when it has run a workflow: the self-check proves Temporal → worker → PostgreSQL.
    const connection = await Connection.connect(orExit(() => temporalConnectionOptions(config)));
    const workflowId = selfCheckWorkflowId(new Date().toISOString());
    try {
      const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
      const check = client.workflow.execute(platformSelfCheck, { workflowId, taskQueue: config.TEMPORAL_TASK_QUEUE, workflowExecutionTimeout: '2 minutes' });
      await Promise.race([check, worker.exited.then((code) => Promise.reject(new Error(`worker exited with ${code}`)))]);
      // Active tenants from before the monitor existed (or whose monitor was stopped) get one.
      const db = createDb(config.DATABASE_URL, { max: 1 });
      try {
        const { started } = await ensureTenantMonitors(db, client, {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          intervalMs: config.MONITOR_INTERVAL_SECONDS * 1000,
        });
        if (started.length) say(`started ${started.length} tenant monitor(s) that were missing`);
        // Purges bodies past each tenant's retention period, for as long as the platform runs.
        if (
          await ensureDataRetention(client, {
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            intervalMs: config.RETENTION_INTERVAL_SECONDS * 1000,
            dayMs: config.RETENTION_DAY_SECONDS * 1000,
          })
        )
          say('started the data retention workflow');
        for (const line of unregisteredTenantsReport(await activeTenantsWithoutRegistration(db))) say(line);
      } finally {
        await db.destroy();
      }
    } finally {
      await connection.close();
    }

    say(
      [
        'clearsend is running',
        `  API            ${apiUrl}  (${apiUrl}/healthz, ${apiUrl}/metrics)`,
        `  Console        ${apiUrl}/console  (sign in with a tenant key, or a staff key from npm run staff-key)`,
        `  ${temporalLine}`,
        `  ${twilioLine}`,
        `  Self-check     workflow ${workflowId} completed`,
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );

    // A service that dies on its own takes the platform down with it, loudly.
    const died = await Promise.race(services.map((s) => s.exited.then((code) => ({ name: s.name, code }))));
    if (!stopping) {
      say(`${died.name} exited unexpectedly (code ${died.code}); stopping the rest`);
      await stopAll(1);
    }
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}

function exitedEarly(service: ServiceProcess): string | undefined {
  const { exitCode, signalCode } = service.child;
  return exitCode !== null || signalCode !== null ? `${service.name} exited (${exitCode ?? signalCode})` : undefined;
}

void main();
