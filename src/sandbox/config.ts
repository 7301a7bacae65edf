import { z } from 'zod';
import { parseSettings } from '../config';

/**
 * The sandbox's own settings. Its credentials are fixed development values (printed at
 * start), not secrets: the sandbox only ever runs on a developer's or CI's machine.
 */
export const SANDBOX_DEFAULTS = {
  SANDBOX_PORT: 4010,
  SANDBOX_ACCOUNT_SID: 'AC5a9d0b0c1e2f3a4b5c6d7e8f9a0b1c2d',
  SANDBOX_AUTH_TOKEN: 'sandbox0auth0token0000000000000001',
  SANDBOX_TEST_ACCOUNT_SID: 'AC7e57c7ede57c7ede57c7ede57c7ede57',
  SANDBOX_TEST_AUTH_TOKEN: 'sandbox0test0token0000000000000001',
} as const;

const accountSid = z.string().regex(/^AC[0-9a-f]{32}$/, 'must be AC followed by 32 hex digits');

export const sandboxConfigSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(SANDBOX_DEFAULTS.SANDBOX_PORT),
  /** Interface to listen on: loopback by default; 0.0.0.0 inside a container. */
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_ACCOUNT_SID: accountSid.default(SANDBOX_DEFAULTS.SANDBOX_ACCOUNT_SID),
  SANDBOX_AUTH_TOKEN: z.string().min(16).default(SANDBOX_DEFAULTS.SANDBOX_AUTH_TOKEN),
  SANDBOX_TEST_ACCOUNT_SID: accountSid.default(SANDBOX_DEFAULTS.SANDBOX_TEST_ACCOUNT_SID),
  SANDBOX_TEST_AUTH_TOKEN: z.string().min(16).default(SANDBOX_DEFAULTS.SANDBOX_TEST_AUTH_TOKEN),
  /** Keep accounts, numbers, Verify services and opt-outs across restarts. */
  SANDBOX_STATE_FILE: z.string().optional(),
  /** Messages per second each sender may send (Twilio's long-code default is about 1; raise for benchmarks). */
  SANDBOX_DEFAULT_MPS: z.coerce.number().positive().default(50),
  /** How long a message stays queued before `sent`, then before its final status. */
  SANDBOX_SENT_DELAY_MS: z.coerce.number().int().nonnegative().default(200),
  SANDBOX_FINAL_DELAY_MS: z.coerce.number().int().nonnegative().default(800),
  SANDBOX_CONTRACT: z.enum(['off', 'enforce']).default('off'),
  /** How long a carrier-registration review takes (Trust Hub profile, brand, campaign, toll-free verification). */
  SANDBOX_VETTING_SECONDS: z.coerce.number().nonnegative().max(86_400).default(30),
  /** The SMTP catcher clearsend's email goes to in development (SMTP_URL's default points here). */
  SANDBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
});

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  return parseSettings(sandboxConfigSchema, env);
}
