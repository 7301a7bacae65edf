import { once } from 'node:events';
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { Carrier } from './carrier';
import type { SandboxContext } from './context';
import { contractMiddleware, type ContractViolation } from './contract';
import { Faults } from './faults';
import { startMailCatcher, type MailCatcher } from './mail-catcher';
import { SANDBOX_DEFAULTS } from './config';
import { a2pCampaignRoutes } from './routes/a2p-campaigns';
import { accountRoutes } from './routes/accounts';
import { brandRegistrationRoutes } from './routes/brand-registrations';
import { controlRoutes } from './routes/control';
import { lookupRoutes } from './routes/lookup';
import { messageRoutes } from './routes/messages';
import { messagingServiceRoutes } from './routes/messaging-services';
import { phoneNumberRoutes } from './routes/phone-numbers';
import { registrationControlRoutes } from './routes/registration-control';
import { tollfreeVerificationRoutes } from './routes/tollfree-verifications';
import { trustHubBundleRoutes } from './routes/trusthub-bundles';
import { trustHubItemRoutes } from './routes/trusthub-items';
import { verifyRoutes } from './routes/verify';
import { SandboxStore, type SandboxAccount, type SpillLimits } from './store';
import { SenderQueues } from './throughput';
import { seedPrimaryProfile } from './trusthub-policies';
import { sendTwilioError, TwilioApiError, twilioErrors } from './twilio-error';
import { Vetting } from './vetting';
import type { WebhookTimings } from './webhooks';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  platform?: { accountSid: string; authToken: string };
  test?: { accountSid: string; authToken: string };
  stateFile?: string;
  contract?: 'off' | 'enforce';
  defaultMps?: number;
  sentDelayMs?: number;
  finalDelayMs?: number;
  verifyTtlMs?: number;
  webhook?: Partial<WebhookTimings>;
  exhaustedAreaCodes?: string[];
  /**
   * Which numbers are for sale: +1 <area code> <exchange> <line from lineStart up>. Sandboxes
   * that share one clearsend database (parallel test files) take different blocks.
   */
  numberBlock?: { exchange: string; lineStart: number };
  /** The SMTP catcher's port (0: a free one); false: no catcher. */
  smtpPort?: number | false;
  /** How long a carrier-registration review takes (Trust Hub, brand, campaign, toll-free); default 30 s. */
  vettingMs?: number;
  /** How long a sole proprietor's OTP stays valid; default 24 hours, as on Twilio. */
  otpTtlMs?: number;
  /** How many messages, ledger entries and Lookups stay on the heap (the rest are on disk); tests make them small. */
  spillLimits?: SpillLimits;
}

export interface RunningSandbox {
  url: string;
  port: number;
  platform: { accountSid: string; authToken: string };
  test: { accountSid: string; authToken: string };
  store: SandboxStore;
  /** The SMTP catcher clearsend's email lands in (GET /__sandbox/mail lists it). */
  mail?: MailCatcher;
  /** The platform account's twilio-approved primary customer profile (secondary profiles hold it). */
  primaryCustomerProfileSid: string;
  contractViolations(): ContractViolation[];
  close(): Promise<void>;
}

/** Starts the local Twilio-compatible server. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const platform = options.platform ?? { accountSid: SANDBOX_DEFAULTS.SANDBOX_ACCOUNT_SID, authToken: SANDBOX_DEFAULTS.SANDBOX_AUTH_TOKEN };
  const test = options.test ?? { accountSid: SANDBOX_DEFAULTS.SANDBOX_TEST_ACCOUNT_SID, authToken: SANDBOX_DEFAULTS.SANDBOX_TEST_AUTH_TOKEN };
  const store = new SandboxStore(options.stateFile, options.spillLimits);
  const now = new Date().toISOString();
  // The configured credentials always work, whatever the state file holds.
  const seed = (sid: string, authToken: string, isTest: boolean, friendlyName: string): SandboxAccount => ({
    ...store.accounts.get(sid),
    sid,
    authToken,
    isTest,
    friendlyName,
    status: 'active',
    ownerAccountSid: sid,
    dateCreated: store.accounts.get(sid)?.dateCreated ?? now,
    dateUpdated: now,
  });
  store.accounts.set(platform.accountSid, seed(platform.accountSid, platform.authToken, false, 'clearsend sandbox platform account'));
  store.accounts.set(test.accountSid, seed(test.accountSid, test.authToken, true, 'clearsend sandbox test credentials'));

  const timers = new Set<NodeJS.Timeout>();
  const ctx: SandboxContext = {
    store,
    carrier: new Carrier(),
    queues: new SenderQueues(options.defaultMps ?? 50),
    faults: new Faults(),
    timings: {
      sentDelayMs: options.sentDelayMs ?? 200,
      finalDelayMs: options.finalDelayMs ?? 800,
      verifyTtlMs: options.verifyTtlMs ?? 10 * 60_000,
      webhook: { attempts: 4, retryDelayMs: 500, timeoutMs: 5000, ...options.webhook },
    },
    exhaustedAreaCodes: new Set(options.exhaustedAreaCodes ?? ['533']),
    numberBlock: options.numberBlock ?? { exchange: '555', lineStart: 100 },
    lineTypeOverrides: new Map(),
    timers,
    later: (ms, fn) => {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          void fn();
        },
        Math.max(ms, 0),
      );
      timers.add(timer);
    },
  };

  const primaryCustomerProfileSid = seedPrimaryProfile(store.registrations, platform.accountSid);
  const vetting = new Vetting(ctx, { vettingMs: options.vettingMs ?? 30_000, otpTtlMs: options.otpTtlMs ?? 24 * 3600_000 });
  vetting.resume();

  const mail = options.smtpPort === false ? undefined : await startMailCatcher({ port: options.smtpPort ?? 0, host: options.host });
  const violations: ContractViolation[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(express.json({ limit: '1mb' }));
  app.use(controlRoutes(ctx, { contractViolations: () => violations, mail }), registrationControlRoutes(ctx, vetting));

  const basicAuth: RequestHandler = (req, res, next) => {
    const [scheme, encoded] = (req.get('authorization') ?? '').split(' ');
    const [sid, token] = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString().split(':') : [];
    const account = sid ? store.accounts.get(sid) : undefined;
    if (!account || account.authToken !== token || account.status === 'closed') return sendTwilioError(res, twilioErrors.authenticate());
    res.locals.account = account;
    next();
  };
  app.use(basicAuth);
  app.use(ctx.faults.middleware((res) => (res.locals.account as SandboxAccount | undefined)?.sid));
  if (options.contract === 'enforce') app.use(contractMiddleware(violations));
  app.use(accountRoutes(ctx), phoneNumberRoutes(ctx), messageRoutes(ctx), lookupRoutes(ctx), verifyRoutes(ctx));
  // Campaign routes first: /v1/Services/Usecases is not a Service SID.
  app.use(
    a2pCampaignRoutes(ctx, vetting),
    messagingServiceRoutes(ctx),
    trustHubBundleRoutes(ctx, vetting),
    trustHubItemRoutes(ctx),
    brandRegistrationRoutes(ctx, vetting),
    tollfreeVerificationRoutes(ctx, vetting),
  );
  app.use((req, res) => sendTwilioError(res, twilioErrors.notFound(req.path)));
  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    if (err instanceof TwilioApiError) return sendTwilioError(res, err);
    sendTwilioError(res, new TwilioApiError(500, 20500, err instanceof Error ? err.message : 'Internal Server Error'));
  };
  app.use(onError);

  const server: Server = app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  // Clients keep connections alive (the twilio library does). Node closes an idle one after 5 s,
  // and a request written onto it just as it closes fails with ECONNRESET; under load that race
  // hit the tests. Idle connections stay open a minute, as a load balancer in front of an API does.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    platform,
    test,
    store,
    mail,
    primaryCustomerProfileSid,
    contractViolations: () => violations,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      store.flush();
      store.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mail?.close();
    },
  };
}
