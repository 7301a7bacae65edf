import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox';
import { createTwilioClientFactory, type TwilioClientFactory } from '../../src/twilio/client-factory';
import { sealSecret } from '../../src/twilio/credential-sealing';
import { eventually } from './eventually';

export interface SandboxHarness {
  sandbox: RunningSandbox;
  twilio: TwilioClientFactory;
  credentialsKey: string;
  /** A client for a subaccount, built the way clearsend builds it (sealed token, factory). */
  subaccountClient(sid: string, authToken: string): ReturnType<TwilioClientFactory['platform']>;
  // The sandbox-only endpoints answer JSON of many shapes; tests read them like supertest's `body`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  control(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A sandbox holding itself to Twilio's OpenAPI documents, reached through the real twilio library. */
export async function sandboxHarness(options: SandboxOptions = {}): Promise<SandboxHarness> {
  const sandbox = await startSandbox({
    contract: 'enforce',
    sentDelayMs: 20,
    finalDelayMs: 40,
    webhook: { attempts: 3, retryDelayMs: 50, timeoutMs: 2000 },
    ...options,
  });
  const credentialsKey = randomBytes(32).toString('base64');
  const factory = createTwilioClientFactory({
    TWILIO_ACCOUNT_SID: sandbox.platform.accountSid,
    TWILIO_AUTH_TOKEN: sandbox.platform.authToken,
    TWILIO_TEST_ACCOUNT_SID: sandbox.test.accountSid,
    TWILIO_TEST_AUTH_TOKEN: sandbox.test.authToken,
    TWILIO_API_BASE: sandbox.url,
    CREDENTIALS_KEY: credentialsKey,
  });
  return {
    sandbox,
    twilio: factory,
    credentialsKey,
    subaccountClient: (sid, authToken) => factory.forSubaccount({ subaccountSid: sid, sealedAuthToken: sealSecret(authToken, credentialsKey, sid) }),
    control: async (path, init = {}) => {
      const res = await fetch(`${sandbox.url}${path}`, {
        method: init.method ?? (init.body ? 'POST' : 'GET'),
        headers: init.body ? { 'content-type': 'application/json' } : {},
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    close: async () => {
      const violations = sandbox.contractViolations();
      await sandbox.close();
      if (violations.length) throw new Error(`Twilio contract violations: ${JSON.stringify(violations, null, 1)}`);
    },
  };
}

export interface ReceivedWebhook {
  path: string;
  params: Record<string, string>;
  signature: string;
  url: string;
}

/** Receives webhooks (status callbacks, inbound messages); `answer` picks each response. */
export async function webhookReceiver(answer: (hook: ReceivedWebhook) => { status: number; body?: string } = () => ({ status: 204 })) {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(raw));
      const hook = { path: req.url ?? '', params, signature: String(req.headers['x-twilio-signature'] ?? ''), url: `${base}${req.url ?? ''}` };
      received.push(hook);
      const { status, body } = answer(hook);
      res.writeHead(status, { 'content-type': 'text/xml' }).end(body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    base,
    received,
    isSignedBy: (hook: ReceivedWebhook, authToken: string) => twilio.validateRequest(authToken, hook.signature, hook.url, hook.params),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Twilio's RestException carries status and code; this pulls them out of a rejected call. */
export async function twilioFailure(call: Promise<unknown>): Promise<{ status: number; code: number; message: string }> {
  try {
    await call;
  } catch (err) {
    const e = err as { status: number; code: number; message: string };
    return { status: e.status, code: e.code, message: e.message };
  }
  throw new Error('expected the Twilio call to fail');
}

/** `eventually` with a 10 s time-out and a 25 ms interval, for the sandbox's quick in-process state. */
export function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  return eventually(probe, { timeoutMs, intervalMs: 25 });
}
