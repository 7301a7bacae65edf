import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import type { Config } from '../../src/config';
import type { TenantLifecycleState } from '../../src/workflows/tenant-lifecycle/definitions';
import { newAuthToken, newSid } from '../../src/sandbox/ids';
import type { SandboxOptions } from '../../src/sandbox';
import { apiHarness } from './api';
import { sandboxHarness, type SandboxHarness } from './sandbox';
import { testConfig } from './test-env';
import { startRealWorker, type RealWorkerHarness } from './temporal';
import { eventually } from './workflow-logic';

/**
 * The whole platform for end-to-end tests: the local Twilio sandbox (contract enforced, its
 * own platform account so test files never share Twilio state), the real API and the real
 * worker, on this run's Temporal and PostgreSQL. Durations are set to seconds.
 */
export async function platformHarness(opts: { sandbox?: SandboxOptions; config?: Record<string, string>; worker?: boolean } = {}) {
  const platform = { accountSid: newSid('AC'), authToken: newAuthToken() };
  const test = { accountSid: newSid('AC'), authToken: newAuthToken() };
  // Each test file's sandbox sells its own block of numbers: they all land in one database.
  const numberBlock = { exchange: String(200 + randomInt(700)), lineStart: 100 * (1 + randomInt(90)) };
  const sandbox: SandboxHarness = await sandboxHarness({ platform, test, numberBlock, ...opts.sandbox });
  const config: Config = testConfig({
    TWILIO_API_BASE: sandbox.sandbox.url,
    TWILIO_ACCOUNT_SID: platform.accountSid,
    TWILIO_AUTH_TOKEN: platform.authToken,
    TWILIO_TEST_ACCOUNT_SID: test.accountSid,
    TWILIO_TEST_AUTH_TOKEN: test.authToken,
    CREDENTIALS_KEY: sandbox.credentialsKey,
    PUBLIC_BASE_URL: 'http://127.0.0.1:3999',
    VERIFICATION_RESEND_COOLDOWN_SECONDS: '1',
    SANDBOX_MIN_SUCCESSFUL_SENDS: '2',
    REVIEW_REMINDER_INTERVAL_SECONDS: '1',
    // Generous: on a loaded 2-core CI machine the in-process sandbox can stall a call for seconds.
    ACTIVITY_TIMEOUT_SECONDS: '15',
    ...opts.config,
  });
  const api = await apiHarness(config);
  let worker: RealWorkerHarness | undefined;
  let running: Promise<void> | undefined;
  if (opts.worker !== false) {
    worker = await startRealWorker(config);
    running = worker.worker.run();
  }
  const staffKey = await api.staffKey(`staff-${randomBytes(2).toString('hex')}`);
  return {
    config,
    sandbox,
    api,
    staffKey,
    tenantState: async (id: string, key: string) => (await request(api.app).get(`/v1/tenants/${id}`).set('authorization', `Bearer ${key}`).expect(200)).body as TenantLifecycleState,
    close: async () => {
      worker?.worker.shutdown();
      await running;
      await worker?.close();
      await api.close();
      await sandbox.close();
    },
  };
}

export type PlatformHarness = Awaited<ReturnType<typeof platformHarness>>;

/** Waits until the tenant's query shows `predicate`. */
export function tenantReaches(p: PlatformHarness, id: string, key: string, predicate: (s: TenantLifecycleState) => unknown, timeoutMs = 60_000) {
  let last: TenantLifecycleState | undefined;
  return eventually(async () => {
    const s = (last = await p.tenantState(id, key));
    return predicate(s) ? s : undefined;
  }, timeoutMs).catch((err: unknown) => {
    // Say where the tenant stood: a bare time-out tells nothing.
    throw new Error(`${String(err)}; tenant at ${last?.step}${last?.suspended ? ' (suspended)' : ''}, needs ${JSON.stringify(last?.openRequirements)}`);
  });
}
