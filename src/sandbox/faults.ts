import type { RequestHandler } from 'express';
import { z } from 'zod';
import { sendTwilioError, TwilioApiError, twilioErrors } from './twilio-error';

/**
 * Injected faults for Twilio API requests: 429 (20429), 500 and 503 at given rates, added
 * latency before the request is handled, and a delay after it was handled but before the
 * answer goes out (the work is done, the caller may time out or die waiting: the case
 * exactly-once code must survive). Set globally or per account; the account's wins.
 */
export const faultSettingsSchema = z
  .object({
    rate429: z.number().min(0).max(1).default(0),
    rate500: z.number().min(0).max(1).default(0),
    rate503: z.number().min(0).max(1).default(0),
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    responseDelayMs: z.number().int().min(0).max(60_000).default(0),
    /** Only requests with this method and a path ending so (e.g. POST, /Accounts.json) get the faults. */
    only: z.object({ method: z.enum(['GET', 'POST', 'DELETE']).optional(), pathEndsWith: z.string().min(1).optional() }).strict().optional(),
  })
  .strict();
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export class Faults {
  private global: FaultSettings = faultSettingsSchema.parse({});
  private readonly byAccount = new Map<string, FaultSettings>();
  injected = { '429': 0, '500': 0, '503': 0 };

  set(settings: FaultSettings, accountSid?: string): void {
    if (accountSid) this.byAccount.set(accountSid, settings);
    else this.global = settings;
  }

  clear(): void {
    this.global = faultSettingsSchema.parse({});
    this.byAccount.clear();
    this.injected = { '429': 0, '500': 0, '503': 0 };
  }

  settingsFor(accountSid: string | undefined): FaultSettings {
    return (accountSid && this.byAccount.get(accountSid)) || this.global;
  }

  /** Runs after authentication, so per-account faults know the account. */
  middleware(accountOf: (res: Parameters<RequestHandler>[1]) => string | undefined): RequestHandler {
    return (req, res, next) => {
      const f = this.settingsFor(accountOf(res));
      if (f.only && ((f.only.method && req.method !== f.only.method) || (f.only.pathEndsWith && !req.path.endsWith(f.only.pathEndsWith)))) return next();
      const go = () => {
        const roll = Math.random();
        const fault =
          roll < f.rate429 ? twilioErrors.tooManyRequests()
          : roll < f.rate429 + f.rate500 ? new TwilioApiError(500, 20500, 'Internal Server Error')
          : roll < f.rate429 + f.rate500 + f.rate503 ? new TwilioApiError(503, 20503, 'Service Unavailable')
          : undefined;
        if (fault) {
          this.injected[String(fault.status) as '429' | '500' | '503'] += 1;
          return sendTwilioError(res, fault);
        }
        if (f.responseDelayMs) {
          // Hold the answer back: the handler runs now, the response leaves later.
          const json = res.json.bind(res);
          res.json = (body: unknown) => {
            setTimeout(() => json(body), f.responseDelayMs);
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
