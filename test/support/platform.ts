import { randomBytes, randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import { WorkflowNotFoundError } from '@temporalio/client';
import pino from 'pino';
import request from 'supertest';
import type { Config } from '../../src/config';
import type { TenantLifecycleState } from '../../src/workflows/tenant-lifecycle/definitions';
import { monitorStateQuery, monitorWorkflowId, startMonitorOptions, type TenantMonitorState } from '../../src/workflows/tenant-monitor/definitions';
import { tenantMonitor } from '../../src/workflows/tenant-monitor/workflow';
import { createTenantLifecycleActivities } from '../../src/activities/tenant-lifecycle';
import { issueApiKey } from '../../src/api/api-keys';
import { freePort } from '../../src/dev/free-port';
import { newAuthToken, newSid } from '../../src/sandbox/ids';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import type { SandboxOptions } from '../../src/sandbox';
import { apiHarness } from './api';
import { sandboxHarness, type SandboxHarness } from './sandbox';
import { testConfig } from './test-env';
import { startRealWorker, type RealWorkerHarness } from './temporal';
import { eventually } from './eventually';

/**
 * The whole platform for end-to-end tests: the local Twilio sandbox (contract enforced, its
 * own platform account so test files never share Twilio state), the real API and the real
 * worker, on this run's Temporal and PostgreSQL. Durations are set to seconds.
 */
/** Campaign settings for tests: a batch every second, statuses read every second, no quiet hours. */
export const FAST_CAMPAIGNS = { RELAY_CADENCE_SECONDS: '1', STATUS_POLL_SECONDS: '1', SENDING_WINDOW_START_HOUR: '0', SENDING_WINDOW_END_HOUR: '24' } as const;

export async function platformHarness(
  opts: { sandbox?: SandboxOptions; config?: Record<string, string>; worker?: boolean; listen?: boolean; log?: pino.Logger } = {},
) {
  const platform = { accountSid: newSid('AC'), authToken: newAuthToken() };
  const test = { accountSid: newSid('AC'), authToken: newAuthToken() };
  // Each test file's sandbox sells its own block of numbers: they all land in one database.
  const numberBlock = { exchange: String(200 + randomInt(700)), lineStart: 100 * (1 + randomInt(90)) };
  // Carrier registration reviews take 0.3 s (onboarding passes through them), unless a test asks otherwise.
  const sandbox: SandboxHarness = await sandboxHarness({ platform, test, numberBlock, vettingMs: 300, ...opts.sandbox });
  // The API listens for real: the sandbox POSTs status callbacks and inbound messages to it.
  const apiPort = await freePort();
  const config: Config = testConfig({
    TWILIO_API_BASE: sandbox.sandbox.url,
    TWILIO_ACCOUNT_SID: platform.accountSid,
    TWILIO_AUTH_TOKEN: platform.authToken,
    TWILIO_TEST_ACCOUNT_SID: test.accountSid,
    TWILIO_TEST_AUTH_TOKEN: test.authToken,
    CREDENTIALS_KEY: sandbox.credentialsKey,
    PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
    API_PORT: String(apiPort),
    VERIFICATION_RESEND_COOLDOWN_SECONDS: '1',
    SANDBOX_MIN_SUCCESSFUL_SENDS: '2',
    REVIEW_REMINDER_INTERVAL_SECONDS: '1',
    REGISTRATION_POLL_INITIAL_SECONDS: '0.2',
    REGISTRATION_POLL_MAX_SECONDS: '1',
    // Generous: on a loaded 2-core CI machine the in-process sandbox can stall a call for seconds.
    ACTIVITY_TIMEOUT_SECONDS: '15',
    // Email lands in this sandbox's SMTP catcher (GET /__sandbox/mail).
    ...(sandbox.sandbox.mail ? { SMTP_URL: `smtp://127.0.0.1:${sandbox.sandbox.mail.port}` } : {}),
    ...opts.config,
  });
  const api = await apiHarness(config, opts.log);
  // listen: false: the test runs the API as its own process on API_PORT (to kill and restart it).
  const server: Server | undefined = opts.listen === false ? undefined : api.app.listen(apiPort, '127.0.0.1');
  let worker: RealWorkerHarness | undefined;
  let running: Promise<void> | undefined;
  if (opts.worker !== false) {
    worker = await startRealWorker(config, opts.log);
    running = worker.worker.run();
  }
  const staffKey = await api.staffKey(`staff-${randomBytes(2).toString('hex')}`);
  return {
    config,
    sandbox,
    api,
    staffKey,
    tenantState: async (id: string, key: string) =>
      (await request(api.app).get(`/v1/tenants/${id}`).set('authorization', `Bearer ${key}`).expect(200)).body as TenantLifecycleState,
    close: async () => {
      worker?.worker.shutdown();
      await running;
      await worker?.close();
      // The sandbox first: it keeps posting callbacks over kept-alive sockets, which would hold
      // the API's server open and reach a database pool that is already closed.
      await sandbox.close();
      if (server) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      }
      await api.close();
    },
  };
}

export type PlatformHarness = Awaited<ReturnType<typeof platformHarness>>;

/**
 * An active tenant without walking the whole onboarding (its own e2e tests do that): the
 * tenant row as the lifecycle leaves it, then the lifecycle's own activities create its
 * subaccount and buy its number from the sandbox. Returns its API key and number.
 */
export async function activeTenant(p: PlatformHarness, opts: { name?: string; mps?: number; countries?: string[]; timeZone?: string } = {}) {
  const name = opts.name ?? 'Bright Smiles Dental';
  const [row] = await p.api
    .db('tenants')
    .insert({
      slug: `t-${randomBytes(5).toString('hex')}`,
      business_name: name,
      status: 'active',
      lifecycle_step: 'active',
      owner_phone: '+14155552671',
      contact_email: 'owner@tenant.example',
      destination_countries: opts.countries ?? ['US'],
      time_zone: opts.timeZone ?? 'America/Los_Angeles',
    })
    .returning<{ id: string }[]>('id');
  const acts = createTenantLifecycleActivities({
    db: p.api.db,
    twilio: createTwilioClientFactory(p.config),
    clock: () => new Date(),
    log: pino({ level: 'silent' }),
    config: p.config,
  });
  await acts.provisionSubaccount(row.id);
  const number = await acts.grantPhoneNumber({ tenantId: row.id, areaCode: '415' });
  if (opts.mps) await p.api.db('tenant_phone_numbers').where({ tenant_id: row.id }).update({ mps: opts.mps });
  const key = (await issueApiKey(p.api.db, { role: 'tenant', tenantId: row.id })).key;
  return { id: row.id, key, from: number.phoneNumber, auth: { authorization: `Bearer ${key}` } };
}

/** Waits until the tenant's query shows `predicate`. */
export function tenantReaches(p: PlatformHarness, id: string, key: string, predicate: (s: TenantLifecycleState) => unknown, timeoutMs = 60_000) {
  let last: TenantLifecycleState | undefined;
  return eventually(
    async () => {
      const s = (last = await p.tenantState(id, key));
      return predicate(s) ? s : undefined;
    },
    {
      timeoutMs,
      describe: `tenant ${id} to reach ${predicate.toString().replace(/\s+/g, ' ')}`,
      detail: () => `tenant at ${last?.step}${last?.suspended ? ' (suspended)' : ''}, needs ${JSON.stringify(last?.openRequirements)}`,
    },
  );
}

/** Contacts for `phones` (Lookup says mobile), then a compliant campaign to them, started; returns its id. */
export async function startCampaignTo(
  p: PlatformHarness,
  tenant: { auth: Record<string, string> },
  phones: string[],
  name = 'Checkup reminders',
): Promise<string> {
  for (const phone of phones) await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: phone, lineType: 'mobile' } });
  await request(p.api.app)
    .post('/v1/contacts')
    .set(tenant.auth)
    .send({ contacts: phones.map((phone) => ({ phone, assignedUser: 'dana' })) })
    .expect(201);
  const created = await request(p.api.app)
    .post('/v1/campaigns')
    .set(tenant.auth)
    .send({ name, body: 'Bright Smiles Dental: checkup time. Reply STOP to opt out.', messageType: 'transactional' })
    .expect(201);
  const id = created.body.id as string;
  await request(p.api.app).post(`/v1/campaigns/${id}/start`).set(tenant.auth).expect(202);
  return id;
}

/** The tenant's monitor, as the lifecycle starts it on activation, evaluating every `intervalMs`. */
export async function startMonitor(p: PlatformHarness, tenantId: string, intervalMs = 1000) {
  const options = startMonitorOptions({ id: tenantId, businessName: 'Bright Smiles Dental' }, intervalMs);
  return p.api.temporal.workflow.start(tenantMonitor, {
    ...options,
    // Evaluating every second, a run reaches the default 200 evaluations with a history of over a
    // thousand events, which every query replays once the worker's cache has let it go: on a loaded
    // 2-core machine that made workflow tasks take over 5 s. Fewer per run also continues-as-new in
    // every test that runs a while.
    args: [{ ...options.args[0], evaluationsPerRun: 30 }],
    taskQueue: p.config.TEMPORAL_TASK_QUEUE,
  });
}

/** Ends a test's monitor, so one evaluating every second does not load the tests after it. */
export async function stopMonitor(p: PlatformHarness, tenantId: string) {
  await p.api.temporal.workflow
    .getHandle(monitorWorkflowId(tenantId))
    .terminate('test over')
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
}

/** Waits until the tenant's monitor shows `predicate`; says where it stood on a time-out. */
export function monitorReaches(p: PlatformHarness, tenantId: string, predicate: (s: TenantMonitorState) => unknown, timeoutMs = 60_000) {
  let last: TenantMonitorState | undefined;
  return eventually(
    async () => {
      const s = (last = await p.api.temporal.workflow.getHandle(monitorWorkflowId(tenantId)).query(monitorStateQuery));
      return predicate(s) ? s : undefined;
    },
    {
      timeoutMs,
      intervalMs: 250,
      describe: `the monitor of tenant ${tenantId} to reach ${predicate.toString().replace(/\s+/g, ' ')}`,
      detail: () =>
        `monitor at ${last?.state}, last evaluation ${JSON.stringify(last?.lastEvaluation?.rates.map((r) => [r.metric, r.window, r.numerator, r.denominator, r.band]))}`,
    },
  );
}

/** What the sandbox's ledger holds from one sender: what "Twilio" accepted, in order. */
export async function sandboxLedger(p: PlatformHarness, from: string): Promise<{ count: number; entries: Array<{ to: string; body: string }> }> {
  return (await p.sandbox.control(`/__sandbox/ledger?from=${encodeURIComponent(from)}`)).body as {
    count: number;
    entries: Array<{ to: string; body: string }>;
  };
}

/** The campaign's view once it reached a final status (completed, canceled or refused), read through the API. */
export function campaignFinished(p: PlatformHarness, auth: Record<string, string>, id: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  return eventually(async () => {
    const res = await request(p.api.app).get(`/v1/campaigns/${id}`).set(auth).expect(200);
    return ['completed', 'canceled', 'refused'].includes(res.body.status as string) ? (res.body as Record<string, unknown>) : undefined;
  }, timeoutMs);
}
