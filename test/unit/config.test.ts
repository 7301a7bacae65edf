import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, redactConfig } from '../../src/config';

const valid = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'platform-secret-token',
  CREDENTIALS_KEY: randomBytes(32).toString('base64'),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('fills the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      API_PORT: 3000,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_UI_PORT: 8233,
      SANDBOX_PORT: 4010,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'clearsend',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/clearsend',
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    });
    expect(config.TWILIO_API_BASE).toBeUndefined();
  });

  it.each([
    ['a missing Twilio account SID', { TWILIO_ACCOUNT_SID: '' }, 'TWILIO_ACCOUNT_SID'],
    ['a malformed Twilio account SID', { TWILIO_ACCOUNT_SID: 'AC123' }, 'TWILIO_ACCOUNT_SID'],
    ['a missing auth token', { TWILIO_AUTH_TOKEN: '' }, 'TWILIO_AUTH_TOKEN'],
    ['a missing credentials key', { CREDENTIALS_KEY: '' }, 'CREDENTIALS_KEY'],
    ['a 16-byte credentials key', { CREDENTIALS_KEY: randomBytes(16).toString('base64') }, 'CREDENTIALS_KEY'],
    ['a non-base64 credentials key', { CREDENTIALS_KEY: '!'.repeat(44) }, 'CREDENTIALS_KEY'],
    ['a port that is not a number', { API_PORT: 'eighty' }, 'API_PORT'],
    ['a port out of range', { SANDBOX_PORT: '70000' }, 'SANDBOX_PORT'],
    ['a database URL that is not a URL', { DATABASE_URL: 'localhost/clearsend' }, 'DATABASE_URL'],
    ['a Twilio API base that is not a URL', { TWILIO_API_BASE: 'sandbox' }, 'TWILIO_API_BASE'],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['a metrics token under 16 characters', { METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    ['TEMPORAL_TLS that is not a boolean', { TEMPORAL_TLS: 'maybe' }, 'TEMPORAL_TLS'],
    ['trust proxy true (any X-Forwarded-For believed)', { TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    ['an owner phone country that is not a code', { OWNER_PHONE_COUNTRIES: 'US,Canada' }, 'OWNER_PHONE_COUNTRIES.1'],
    ['a sign-up limit of zero', { SIGNUP_LIMIT_PER_ADDRESS: '0' }, 'SIGNUP_LIMIT_PER_ADDRESS'],
  ])('stops on %s and names the setting', (_label, override, name) => {
    const problems = problemsOf({ ...valid, ...override });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  it.each<[string, unknown]>([
    ['loopback', ['loopback']],
    ['false', false],
    ['2', 2],
    ['10.0.0.0/8, 192.0.2.7', ['10.0.0.0/8', '192.0.2.7']],
  ])('reads TRUST_PROXY %j as Express takes it', (raw, expected) => {
    expect(loadConfig({ ...valid, TRUST_PROXY: raw }).TRUST_PROXY).toEqual(expected);
  });

  it('defaults the sign-up protections', () => {
    expect(loadConfig(valid)).toMatchObject({
      TRUST_PROXY: ['loopback'],
      OWNER_PHONE_COUNTRIES: ['US', 'CA'],
      SIGNUP_LIMIT_PER_ADDRESS: 5,
      SIGNUP_LIMIT_PER_PHONE: 3,
      VERIFY_CAP_PER_TENANT: 5,
      VERIFY_CAP_PER_PHONE: 5,
      VERIFY_CAP_WINDOW_SECONDS: 86_400,
    });
  });

  it('names every bad setting at once', () => {
    const problems = problemsOf({ API_PORT: 'x' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['API_PORT', 'CREDENTIALS_KEY', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']);
  });

  it('never prints a secret', () => {
    const config = loadConfig({
      ...valid,
      DATABASE_URL: 'postgres://app:hunter2@db:5432/clearsend',
      TWILIO_TEST_AUTH_TOKEN: 'test-secret',
      METRICS_TOKEN: 'metrics-secret-0123456789',
      TEMPORAL_API_KEY: 'temporal-secret-key',
    });
    const printed = JSON.stringify(redactConfig(config));
    for (const secret of ['platform-secret-token', 'test-secret', valid.CREDENTIALS_KEY, 'hunter2', 'metrics-secret-0123456789', 'temporal-secret-key']) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toContain(valid.TWILIO_ACCOUNT_SID);
  });
});
