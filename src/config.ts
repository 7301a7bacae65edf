import { z } from 'zod';
import { DEFAULT_OPT_OUT_FOOTER_INTERVAL_SECONDS } from './domain/message-shaping';
import { parseDataKeys } from './crypto/platform-keys';

/**
 * The one place settings are read. Every setting comes from the environment, is validated
 * here, and a missing or malformed one stops start-up with its name in the message.
 */

const port = z.coerce.number().int().min(0).max(65535);

const credentialsKey = z
  .string({ error: 'is required (32 random bytes, base64; e.g. `openssl rand -base64 32`)' })
  .refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+=*$/.test(v), {
    message: 'must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)',
  });

const accountSid = z.string().regex(/^AC[0-9a-f]{32}$/, 'must be a Twilio account SID (AC followed by 32 hex digits)');

const countryList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, 'must be ISO 3166 alpha-2 codes separated by commas')).min(1));

/** Express's `trust proxy` value. `true` is refused: it would believe any client's X-Forwarded-For. */
const trustProxy = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((v) => v.toLowerCase() !== 'true', 'must name the proxies (loopback, addresses, subnets) or a hop count: true would believe any X-Forwarded-For')
    .transform((v): false | number | string[] => {
      if (v.toLowerCase() === 'false') return false;
      if (/^\d+$/.test(v)) return Number(v);
      return v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
    });

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_PORT: port.default(3000),
  /** Where Twilio reaches clearsend's webhooks (status callbacks, inbound messages). */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Set: `/metrics` wants `Authorization: Bearer <this>` from anyone. Unset: it answers loopback clients only. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 32`)').optional(),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/clearsend'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('clearsend'),
  /**
   * TLS to a real Temporal cluster, under the names Temporal's CLI and SDKs read: a client
   * certificate and key (mTLS), the server's CA and name, or Temporal Cloud's API key. Any of
   * them turns TLS on; `TEMPORAL_TLS=true` turns it on alone (src/temporal-connection.ts).
   */
  TEMPORAL_TLS: z.stringbool({ error: 'must be true or false' }).optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** A workflow bundle built ahead of time (bundleWorkflowCode); unset, the worker bundles at start. */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /** Ports of the dev server `npm start` runs when TEMPORAL_ADDRESS is not set. */
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /**
   * The Temporal UI's address, for the console's links to workflow runs (`npm start` sets it to
   * its dev server's UI). Unset: the console shows workflow ids without links.
   */
  TEMPORAL_UI_URL: z.url().optional(),
  SANDBOX_PORT: port.default(4010),
  /** Unset: real Twilio. Set: every Twilio product (api, lookups, verify, messaging, …) goes here. */
  TWILIO_API_BASE: z.url().optional(),
  TWILIO_ACCOUNT_SID: accountSid,
  TWILIO_AUTH_TOKEN: z.string().min(1, 'is required'),
  /** Twilio test credentials, used for the tenant's Magic Number sandbox step. */
  TWILIO_TEST_ACCOUNT_SID: accountSid.optional(),
  TWILIO_TEST_AUTH_TOKEN: z.string().min(1).optional(),
  /** Countries (ISO codes) the ISV approves for its tenants' traffic; KYC flags any other. */
  APPROVED_COUNTRIES: countryList('US,CA'),
  /** Countries whose numbers may own a tenant (Verify texts the owner's phone): anything else is refused at sign-up. */
  OWNER_PHONE_COUNTRIES: countryList('US,CA'),
  /**
   * Whose X-Forwarded-For is believed for the client address that sign-up limits count
   * (Express `trust proxy`): `loopback` (a proxy on this host), a hop count, proxy addresses
   * or subnets separated by commas, or `false` (no proxy: the socket's address counts).
   */
  TRUST_PROXY: trustProxy('loopback'),
  /** Browser console sessions end after this long without a request, and this long after sign-in whatever the activity. */
  CONSOLE_SESSION_IDLE_SECONDS: z.coerce.number().int().positive().default(1800),
  CONSOLE_SESSION_LIFETIME_SECONDS: z.coerce.number().int().positive().default(43_200),
  /** Sign-ups per client address and per owner phone within the window; more answer 429. */
  SIGNUP_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(5),
  SIGNUP_LIMIT_PER_PHONE: z.coerce.number().int().positive().default(3),
  SIGNUP_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Requests for a new verification code per client address within the window; more answer 429. */
  VERIFY_RESEND_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(10),
  VERIFY_RESEND_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Verification codes texted per tenant and per number within the window (a day); more are refused untexted. */
  VERIFY_CAP_PER_TENANT: z.coerce.number().int().positive().default(5),
  VERIFY_CAP_PER_PHONE: z.coerce.number().int().positive().default(5),
  VERIFY_CAP_WINDOW_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** Onboarding timings: minutes and days in production, seconds in tests. */
  VERIFICATION_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  VERIFICATION_RESEND_COOLDOWN_SECONDS: z.coerce.number().int().nonnegative().default(30),
  VERIFICATION_MAX_ATTEMPTS: z.coerce.number().int().positive().default(5),
  SANDBOX_MIN_SUCCESSFUL_SENDS: z.coerce.number().int().nonnegative().default(3),
  REVIEW_REMINDER_INTERVAL_SECONDS: z.coerce.number().int().positive().default(86_400),
  ACTIVITY_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(60),
  /** An onboarding step failing on infrastructure is tried again after this, doubling to 30 minutes. */
  INFRASTRUCTURE_RETRY_SECONDS: z.coerce.number().positive().default(60),
  /**
   * Carrier registration: Twilio's verdicts are read after REGISTRATION_POLL_INITIAL_SECONDS,
   * the wait doubling to REGISTRATION_POLL_MAX_SECONDS; a submission undecided after
   * REGISTRATION_GIVE_UP_SECONDS (at most 30 days) holds the tenant for staff.
   */
  REGISTRATION_POLL_INITIAL_SECONDS: z.coerce.number().positive().default(60),
  REGISTRATION_POLL_MAX_SECONDS: z.coerce.number().positive().default(3600),
  REGISTRATION_GIVE_UP_SECONDS: z.coerce.number().positive().max(2_592_000).default(2_592_000),
  /** Campaign sending. Local hours in which a recipient may be texted (TCPA: 8 to 21). */
  SENDING_WINDOW_START_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  SENDING_WINDOW_END_HOUR: z.coerce.number().int().min(1).max(24).default(21),
  /** Unset: each tenant's own cadence (15 minutes to a day). Set (tests, demos): this many seconds. */
  RELAY_CADENCE_SECONDS: z.coerce.number().int().positive().optional(),
  /** Messages per relay batch (one batch per cadence tick). */
  CAMPAIGN_BATCH_SIZE: z.coerce.number().int().positive().default(1000),
  /** Batches one campaignSend run relays before it continues as new, so no history grows long. */
  CAMPAIGN_BATCHES_PER_RUN: z.coerce.number().int().positive().default(200),
  /** Rows deferred by quiet hours past this many hours after the start are dropped instead. */
  CAMPAIGN_SEND_BY_HOURS: z.coerce.number().positive().default(72),
  /** How often the status wait reads delivery counts, and how long it waits at most. */
  STATUS_POLL_SECONDS: z.coerce.number().positive().default(30),
  STATUS_WAIT_MAX_SECONDS: z.coerce.number().positive().default(14_400),
  /** A sent message with no final status this long is fetched from Twilio (lost callbacks). */
  STATUS_REFRESH_AFTER_SECONDS: z.coerce.number().positive().default(600),
  /**
   * Status callbacks are group-committed (src/api/ingest/delivery-status-writes.ts): a batch goes
   * at STATUS_INGEST_MAX_BATCH callbacks or STATUS_INGEST_MAX_DELAY_MS after its first, at most
   * STATUS_INGEST_MAX_IN_FLIGHT batches at once (each holds one of the API pool's connections);
   * beyond STATUS_INGEST_MAX_QUEUED waiting callbacks the webhook answers 503 with Retry-After.
   */
  STATUS_INGEST_MAX_BATCH: z.coerce.number().int().positive().max(10_000).default(200),
  STATUS_INGEST_MAX_DELAY_MS: z.coerce.number().int().nonnegative().max(1000).default(2),
  STATUS_INGEST_MAX_IN_FLIGHT: z.coerce.number().int().positive().max(64).default(1),
  STATUS_INGEST_MAX_QUEUED: z.coerce.number().int().positive().default(2000),
  /** A relay attempt silent this long is presumed dead and retried (its claims reconciled). */
  RELAY_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().positive().default(30),
  /** Sends in flight at once per relay (within the sender's MPS). */
  RELAY_CONCURRENCY: z.coerce.number().int().positive().max(256).default(16),
  /** A marketing message gets the opt-out footer again when the contact was last told this long ago (default 30 days). */
  OPT_OUT_FOOTER_INTERVAL_SECONDS: z.coerce.number().int().positive().default(DEFAULT_OPT_OUT_FOOTER_INTERVAL_SECONDS),
  /** How long a Lookup answer is trusted (default 30 days). */
  LOOKUP_TTL_SECONDS: z.coerce.number().int().nonnegative().default(2_592_000),
  /** The tenant monitor: how often it evaluates (minutes in production, seconds in tests). */
  MONITOR_INTERVAL_SECONDS: z.coerce.number().int().positive().default(900),
  /** Rates are judged over these rolling windows (hours); the worst one counts. */
  MONITOR_WINDOWS_HOURS: z
    .string()
    .default('168,24')
    .transform((v) => v.split(',').map((h) => Number(h.trim())))
    .pipe(
      z
        .array(
          z
            .number()
            .int()
            .min(1)
            .max(24 * 90),
        )
        .min(1),
    ),
  /** Below this many final messages (deliveries, for opt-outs) a window is not judged. */
  MONITOR_MIN_VOLUME: z.coerce.number().int().positive().default(100),
  /** Thresholds as fractions. Twilio: error rate bad above 6 %; opt-outs good to 0.3 %, bad above 0.4 %. */
  MONITOR_ERROR_RATE_APPROACHING: z.coerce.number().min(0).max(1).default(0.045),
  MONITOR_ERROR_RATE_BAD: z.coerce.number().min(0).max(1).default(0.06),
  MONITOR_OPT_OUT_RATE_APPROACHING: z.coerce.number().min(0).max(1).default(0.003),
  MONITOR_OPT_OUT_RATE_BAD: z.coerce.number().min(0).max(1).default(0.004),
  /** Evaluations a condition must hold before the ladder moves up. */
  MONITOR_ESCALATE_AFTER_EVALUATIONS: z.coerce.number().int().positive().default(2),
  /** How long rates must stay good before the ladder steps down a rung. */
  MONITOR_RECOVER_AFTER_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** While a tenant stays warned, a reminder with its current figures and advice this often (default 3 days). */
  MONITOR_REMINDER_INTERVAL_SECONDS: z.coerce.number().int().positive().default(259_200),
  /** How often the data retention workflow purges bodies older than each tenant's retention period (default hourly). */
  RETENTION_INTERVAL_SECONDS: z.coerce.number().int().positive().default(3600),
  /** How long a retention day lasts: a real day (86400); tests shorten it so a 7-day period passes in seconds. */
  RETENTION_DAY_SECONDS: z.coerce.number().positive().default(86_400),
  /**
   * How long an erasure's redaction page may go without a heartbeat before Temporal gives it to
   * another worker (a worker that died mid-page). Tests that kill the worker shorten it.
   */
  ERASURE_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().positive().default(60),
  /**
   * HMAC-SHA256 key (32 bytes, base64) for the hash an erasure leaves of a number, so the number
   * is never texted again without being kept. Unset: derived from CREDENTIALS_KEY. Set it in
   * production and never change it: a new key no longer matches earlier erasures.
   */
  ERASURE_HASH_KEY: credentialsKey.optional(),
  /** Outgoing email (notices, reply notifications). `npm start` runs a local catcher on SANDBOX_SMTP_PORT. */
  SMTP_URL: z.url().default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().min(3).default('clearsend <no-reply@clearsend.local>'),
  SANDBOX_SMTP_PORT: port.default(2525),
  /** AES-256-GCM key that seals subaccount auth tokens at rest. */
  CREDENTIALS_KEY: credentialsKey,
  /**
   * Platform keys that wrap tenants' data keys (src/crypto/platform-keys.ts): `id:base64,…`,
   * the first wrapping new keys, every one unwrapping. Unset: a key derived from CREDENTIALS_KEY.
   */
  DATA_KEYS: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const parsed = v === undefined ? [] : parseDataKeys(v);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    }),
});

type Parsed = z.infer<typeof configSchema>;
export type Config = Parsed & { PUBLIC_BASE_URL: string };

/** Names of settings that are secrets: never printed, never logged. */
export const SECRET_SETTINGS = [
  'TWILIO_AUTH_TOKEN',
  'TWILIO_TEST_AUTH_TOKEN',
  'CREDENTIALS_KEY',
  'DATA_KEYS',
  'ERASURE_HASH_KEY',
  'METRICS_TOKEN',
  'TEMPORAL_API_KEY',
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses settings from an environment with any zod schema, so every entrypoint (platform,
 * migrations, sandbox) reports bad settings the same way. An empty variable means "not
 * set", as in most shells' `FOO= cmd`.
 */
export function parseSettings<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseSettings(configSchema, env);
  return { ...parsed, PUBLIC_BASE_URL: parsed.PUBLIC_BASE_URL ?? `http://127.0.0.1:${parsed.API_PORT}` };
}

/** The configuration with every secret replaced, fit to print or log. */
export function redactConfig(config: Config): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const name of SECRET_SETTINGS) if (copy[name] !== undefined) copy[name] = '[redacted]';
  copy.DATABASE_URL = redactUrlPassword(config.DATABASE_URL);
  return copy;
}

function redactUrlPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = 'redacted';
  return u.toString();
}
