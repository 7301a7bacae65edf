import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config';

/** Where global setup leaves the addresses of the services it started for this run. */
export const TEST_ENV_KEYS = {
  temporalAddress: 'CLEARSEND_TEST_TEMPORAL_ADDRESS',
  databaseUrl: 'CLEARSEND_TEST_DATABASE_URL',
  workflowBundlePath: 'CLEARSEND_TEST_WORKFLOW_BUNDLE',
} as const;

export interface TestServices {
  temporalAddress: string;
  databaseUrl: string;
  workflowBundlePath: string;
}

export function testServices(): TestServices {
  const read = (key: string) => {
    const value = process.env[key];
    if (!value)
      throw new Error(
        `${key} is not set: run tests through jest so global setup starts the services (the \`services\` project: test/unit is the \`unit\` project, which starts none)`,
      );
    return value;
  };
  return {
    temporalAddress: read(TEST_ENV_KEYS.temporalAddress),
    databaseUrl: read(TEST_ENV_KEYS.databaseUrl),
    workflowBundlePath: read(TEST_ENV_KEYS.workflowBundlePath),
  };
}

const OUT_OF_THE_WAY_LIMITS = {
  SIGNUP_LIMIT_PER_ADDRESS: '100000',
  SIGNUP_LIMIT_PER_PHONE: '100000',
  VERIFY_RESEND_LIMIT_PER_ADDRESS: '100000',
  VERIFY_CAP_PER_TENANT: '100000',
  VERIFY_CAP_PER_PHONE: '100000',
};

/** A valid configuration pointing at this run's services; each test file gets its own task queue. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const services = testServices();
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: services.databaseUrl,
    TEMPORAL_ADDRESS: services.temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(4).toString('hex')}`,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'test-platform-token',
    CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    // Test files sign up many tenants from one address and one phone: the sign-up and Verify
    // limits are out of the way unless a test sets them (test/api/signup-abuse.test.ts).
    ...OUT_OF_THE_WAY_LIMITS,
    ...overrides,
  });
}
