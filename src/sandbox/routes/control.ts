import { Router, type Response } from 'express';
import { z } from 'zod';
import { SegmentedMessage } from 'sms-segments-calculator';
import { classifyInboundKeyword } from '../../domain/keywords';
import { carrierModelSchema } from '../carrier';
import type { SandboxContext } from '../context';
import { faultSettingsSchema } from '../faults';
import { LINE_TYPES } from './lookup';
import { postSignedWebhook } from '../webhooks';
import type { MailCatcher } from '../mail-catcher';
import { sendTwimlReplies } from '../twiml-replies';
import { ledgerQuery, streamLedger } from '../ledger-stream';

/**
 * Sandbox-only endpoints, all under /__sandbox and JSON in/out: they steer the simulation
 * and let tests and demos see what reached "Twilio". clearsend's own API never exposes them.
 */
const e164 = z.string().regex(/^\+\d{8,15}$/, 'must be an E.164 number such as +14155552671');
const inboundSchema = z.object({ from: e164, to: e164, body: z.string().max(1600) }).strict();
const faultsSchema = faultSettingsSchema.extend({
  accountSid: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/)
    .optional(),
});
const throughputSchema = z.object({ sender: e164.optional(), mps: z.number().positive().max(10_000) }).strict();
const lineTypeSchema = z.object({ phoneNumber: e164, lineType: z.enum(LINE_TYPES) }).strict();
/** The next `times` redactions of a message are refused with this Twilio error (then they succeed). */
const redactionRefusalSchema = z
  .object({
    sid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/),
    times: z.number().int().min(1).max(1000).default(1),
    status: z.number().int().min(400).max(499).default(400),
    code: z.number().int().min(10000).max(99999).default(20009),
    message: z.string().min(1).max(300).default('The message cannot be redacted now.'),
  })
  .strict();
const areaCodesSchema = z.object({ exhausted: z.array(z.string().regex(/^\d{3}$/)) }).strict();
const codeQuery = z.object({ to: e164 }).strict();
const mailQuery = z.object({ to: z.email().optional() }).strict();

export function problem(res: Response, status: number, title: string, errors?: Array<{ field: string; message: string }>) {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title, status, ...(errors ? { errors } : {}) }));
}

/** A control request's input, or a 400 problem naming each bad field (then `undefined`). */
export function parseControlInput<S extends z.ZodType>(schema: S, value: unknown, res: Response): z.infer<S> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problem(
    res,
    400,
    'Invalid request',
    result.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })),
  );
  return undefined;
}

export function controlRoutes(ctx: SandboxContext, extras: { contractViolations: () => unknown[]; mail?: MailCatcher }): Router {
  const router = Router();
  const { store } = ctx;
  const parse = parseControlInput;

  router.get('/__sandbox/health', (_req, res) => void res.json({ status: 'ok' }));

  /** Email that reached the SMTP catcher (notices, reply notifications), oldest first. */
  router.get('/__sandbox/mail', (req, res) => {
    const query = parse(mailQuery, req.query, res);
    if (!query) return;
    if (!extras.mail) return problem(res, 404, 'This sandbox runs no SMTP catcher');
    const messages = extras.mail.messages(query.to);
    res.json({ smtpPort: extras.mail.port, count: messages.length, messages });
  });

  /** A handset replies to a number: STOP/START change the block as Twilio's do, then the number's SmsUrl gets the webhook. */
  router.post('/__sandbox/inbound', async (req, res) => {
    const input = parse(inboundSchema, req.body, res);
    if (!input) return;
    const number = store.numberByPhone(input.to);
    const account = number && store.accounts.get(number.accountSid);
    if (!number || !account) return problem(res, 404, `No account owns ${input.to}`);
    const keyword = classifyInboundKeyword(input.body);
    if (keyword === 'opt-out') store.optOuts.add(`${input.to}|${input.from}`);
    if (keyword === 'opt-in') store.optOuts.delete(`${input.to}|${input.from}`);
    if (keyword) store.changed();
    const sid = store.messages.mintSid();
    const now = new Date();
    store.messages.set(sid, {
      sid,
      accountSid: account.sid,
      from: input.from,
      to: input.to,
      body: input.body,
      direction: 'inbound',
      status: 'received',
      numSegments: new SegmentedMessage(input.body).segmentsCount,
      errorCode: null,
      errorMessage: null,
      validityPeriodS: 0,
      dateCreated: now,
      dateUpdated: now,
      dateSent: now,
    });
    if (!number.smsUrl) return void res.status(202).json({ messageSid: sid, webhook: null, keyword });
    const params: Record<string, string> = {
      ToCountry: 'US',
      ToState: '',
      SmsMessageSid: sid,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: sid,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: input.body,
      FromCountry: 'US',
      To: input.to,
      ToZip: '',
      NumSegments: String(new SegmentedMessage(input.body).segmentsCount),
      MessageSid: sid,
      AccountSid: account.sid,
      From: input.from,
      ApiVersion: '2010-04-01',
    };
    if (keyword === 'opt-out') params.OptOutType = 'STOP';
    if (keyword === 'opt-in') params.OptOutType = 'START';
    if (keyword === 'help') params.OptOutType = 'HELP';
    const outcome = await postSignedWebhook(store, number.smsUrl, params, account.authToken, ctx.timings.webhook);
    // What the answer's TwiML sends (HELP text, opt-out confirmations…): messages of their own at Twilio.
    const replySids =
      outcome.delivered && outcome.body ? sendTwimlReplies(ctx, { account, inbound: { from: input.from, to: input.to }, twiml: outcome.body }) : [];
    res.status(202).json({ messageSid: sid, keyword, webhook: outcome, replySids });
  });

  router.post('/__sandbox/faults', (req, res) => {
    const input = parse(faultsSchema, req.body, res);
    if (!input) return;
    const { accountSid, ...settings } = input;
    ctx.faults.set(settings, accountSid);
    res.json({ faults: settings, accountSid: accountSid ?? null });
  });
  /** What was injected, and each request that was handled and then answered with an error. */
  router.get(
    '/__sandbox/faults',
    (_req, res) =>
      void res.json({ injected: ctx.faults.injected, acceptedThenFailed: ctx.faults.acceptedThenFailed, global: ctx.faults.settingsFor(undefined) }),
  );
  router.delete('/__sandbox/faults', (_req, res) => {
    ctx.faults.clear();
    res.status(204).end();
  });

  router.post('/__sandbox/carrier', (req, res) => {
    const model = parse(carrierModelSchema, req.body, res);
    if (!model) return;
    ctx.carrier.configure(model);
    res.json(model);
  });
  router.get('/__sandbox/carrier', (_req, res) => void res.json(ctx.carrier.current()));

  router.post('/__sandbox/throughput', (req, res) => {
    const input = parse(throughputSchema, req.body, res);
    if (!input) return;
    ctx.queues.setMps(input.sender, input.mps);
    res.json(input);
  });

  router.post('/__sandbox/lookup/line-types', (req, res) => {
    const input = parse(lineTypeSchema, req.body, res);
    if (!input) return;
    ctx.lineTypeOverrides.set(input.phoneNumber, input.lineType);
    res.json(input);
  });
  router.get('/__sandbox/lookups', (_req, res) => void res.json({ lookups: [...store.lookups.scan()] }));
  /** Redaction requests (Messages update with an empty Body) as received, repeats included. */
  router.get('/__sandbox/redactions', (_req, res) => void res.json({ redactions: store.redactions }));
  /** Twilio refusing to redact a message (a 4xx, not a fault to retry at once) the next `times` it is asked. */
  router.post('/__sandbox/redaction-refusals', (req, res) => {
    const input = parse(redactionRefusalSchema, req.body, res);
    if (!input) return;
    store.redactionRefusals.set(input.sid, { remaining: input.times, status: input.status, code: input.code, message: input.message });
    res.json(input);
  });

  router.post('/__sandbox/area-codes', (req, res) => {
    const input = parse(areaCodesSchema, req.body, res);
    if (!input) return;
    ctx.exhaustedAreaCodes.clear();
    for (const a of input.exhausted) ctx.exhaustedAreaCodes.add(a);
    res.json({ exhausted: [...ctx.exhaustedAreaCodes] });
  });

  /** Every accepted outbound message with its request parameters: count duplicates and losses here. */
  router.get('/__sandbox/ledger', (req, res) => {
    const q = parse(ledgerQuery, req.query, res);
    if (!q) return;
    void streamLedger(store, q, res).catch((err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))));
  });

  router.get('/__sandbox/verify/code', (req, res) => {
    const q = parse(codeQuery, req.query, res);
    if (!q) return;
    const latest = [...store.verifications.values()].filter((v) => v.to === q.to && v.status === 'pending').pop();
    if (!latest) return problem(res, 404, `No pending verification for ${q.to}`);
    res.json({ to: q.to, code: latest.code, verificationSid: latest.sid, expiresAt: new Date(latest.expiresAt).toISOString() });
  });

  /** What the sandbox holds and its memory: benchmarks check that the stand-in for Twilio is not what they measure. */
  router.get('/__sandbox/memory', (_req, res) => {
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    const m = process.memoryUsage();
    res.json({
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external + m.arrayBuffers),
      messages: { total: store.messages.size, inMemory: store.messages.inMemory },
      ledger: { total: store.ledger.count, inMemory: store.ledger.inMemory },
      lookups: { total: store.lookups.count, inMemory: store.lookups.inMemory },
    });
  });

  router.get('/__sandbox/callback-failures', (_req, res) => void res.json({ failures: store.callbackFailures }));
  router.get('/__sandbox/contract-violations', (_req, res) => void res.json({ violations: extras.contractViolations() }));

  /** Forget messages, ledger, faults and overrides (accounts and numbers stay). */
  router.post('/__sandbox/reset', (_req, res) => {
    store.messages.clear();
    store.ledger.clear();
    store.lookups.clear();
    store.redactions.length = 0;
    store.redactionRefusals.clear();
    store.callbackFailures.length = 0;
    ctx.faults.clear();
    ctx.queues.reset();
    ctx.lineTypeOverrides.clear();
    res.status(204).end();
  });

  return router;
}
