import type { RequestHandler } from 'express';
import { z } from 'zod';
import { sendTwilioError, TwilioApiError, twilioErrorBody, twilioErrors } from './twilio-error';

/**
 * Injected faults for Twilio API requests: 429 (20429), 500 and 503 at given rates before
 * the request is handled; 500 or 503 after it was handled (a message created and in the
 * ledger, then the answer is an error: Twilio has it, the caller thinks it failed); added
 * latency before the request is handled, and a delay after it was handled but before the
 * answer goes out (the work is done, the caller may time out or die waiting: the cases
 * exactly-once code must survive). Status callbacks can be dropped for good (as when Twilio
 * gives up on them). Set globally or per account; the account's wins.
 */
export const faultSettingsSchema = z
  .object({
    rate429: z.number().min(0).max(1).default(0),
    rate500: z.number().min(0).max(1).default(0),
    rate503: z.number().min(0).max(1).default(0),
    /** The request is handled (a message is created), then answered 500 / 503 instead of its success. */
    rateAcceptThen500: z.number().min(0).max(1).default(0),
    rateAcceptThen503: z.number().min(0).max(1).default(0),
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    responseDelayMs: z.number().int().min(0).max(60_000).default(0),
    /** Status callbacks never sent, never retried (not subject to `only`, which aims at API requests). */
    statusCallbackDropRate: z.number().min(0).max(1).default(0),
    /** Only requests with this method and a path ending so (e.g. POST, /Accounts.json) get the faults. */
    only: z
      .object({ method: z.enum(['GET', 'POST', 'DELETE']).optional(), pathEndsWith: z.string().min(1).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** A request the sandbox handled and then answered with an error: what the caller never learnt. */
export interface AcceptedThenFailed {
  method: string;
  path: string;
  status: number;
  /** The SID of what was created (a message's), when the answer held one. */
  sid?: string;
  at: string;
}

const noneInjected = () => ({ '429': 0, '500': 0, '503': 0, acceptThen500: 0, acceptThen503: 0, statusCallbacksDropped: 0 });

export class Faults {
  private global: FaultSettings = faultSettingsSchema.parse({});
  private readonly byAccount = new Map<string, FaultSettings>();
  injected = noneInjected();
  acceptedThenFailed: AcceptedThenFailed[] = [];

  set(settings: FaultSettings, accountSid?: string): void {
    if (accountSid) this.byAccount.set(accountSid, settings);
    else this.global = settings;
  }

  clear(): void {
    this.global = faultSettingsSchema.parse({});
    this.byAccount.clear();
    this.injected = noneInjected();
    this.acceptedThenFailed = [];
  }

  settingsFor(accountSid: string | undefined): FaultSettings {
    return (accountSid && this.byAccount.get(accountSid)) || this.global;
  }

  /** Whether this status callback of `accountSid`'s is lost for good (counted when it is). */
  dropsStatusCallback(accountSid: string): boolean {
    const drop = Math.random() < this.settingsFor(accountSid).statusCallbackDropRate;
    if (drop) this.injected.statusCallbacksDropped += 1;
    return drop;
  }

  /** Runs after authentication, so per-account faults know the account. */
  middleware(accountOf: (res: Parameters<RequestHandler>[1]) => string | undefined): RequestHandler {
    return (req, res, next) => {
      const f = this.settingsFor(accountOf(res));
      if (f.only && ((f.only.method && req.method !== f.only.method) || (f.only.pathEndsWith && !req.path.endsWith(f.only.pathEndsWith)))) return next();
      const go = () => {
        // One roll picks at most one fault: before the work, after it, or none.
        const roll = Math.random();
        let edge = 0;
        const hit = (rate: number) => roll < (edge += rate);
        const before = hit(f.rate429)
          ? twilioErrors.tooManyRequests()
          : hit(f.rate500)
            ? new TwilioApiError(500, 20500, 'Internal Server Error')
            : hit(f.rate503)
              ? new TwilioApiError(503, 20503, 'Service Unavailable')
              : undefined;
        if (before) {
          this.injected[String(before.status) as '429' | '500' | '503'] += 1;
          return sendTwilioError(res, before);
        }
        const after = hit(f.rateAcceptThen500)
          ? new TwilioApiError(500, 20500, 'Internal Server Error')
          : hit(f.rateAcceptThen503)
            ? new TwilioApiError(503, 20503, 'Service Unavailable')
            : undefined;
        if (after || f.responseDelayMs) {
          // The handler runs now; its answer is replaced by the error and/or leaves later.
          // (Wrapped before the contract check wraps it: the success is still held to Twilio's documents.)
          const json = res.json.bind(res);
          const answer = (body: unknown) => {
            if (after && res.statusCode >= 200 && res.statusCode < 300) {
              this.injected[`acceptThen${after.status}` as 'acceptThen500' | 'acceptThen503'] += 1;
              const sid = (body as { sid?: unknown } | null)?.sid;
              this.acceptedThenFailed.push({
                method: req.method,
                path: req.path,
                status: after.status,
                ...(typeof sid === 'string' ? { sid } : {}),
                at: new Date().toISOString(),
              });
              res.status(after.status);
              return json(twilioErrorBody(after));
            }
            return json(body);
          };
          res.json = (body: unknown) => {
            if (!f.responseDelayMs) return answer(body);
            setTimeout(() => answer(body), f.responseDelayMs);
            return res;
          };
        }
        next();
      };
      if (f.latencyMs) setTimeout(go, f.latencyMs);
      else go();
    };
  }
}
