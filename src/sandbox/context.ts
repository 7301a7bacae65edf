import type { Request, Response } from 'express';
import type { Carrier } from './carrier';
import type { Faults } from './faults';
import type { SandboxStore, SandboxAccount } from './store';
import type { SenderQueues } from './throughput';
import type { WebhookTimings } from './webhooks';
import { twilioErrors } from './twilio-error';

/** The sandbox's moving parts, shared by its routes. */
export interface SandboxContext {
  store: SandboxStore;
  carrier: Carrier;
  queues: SenderQueues;
  faults: Faults;
  timings: { sentDelayMs: number; finalDelayMs: number; verifyTtlMs: number; webhook: WebhookTimings };
  /** Area codes with no numbers left (Twilio answers 21452 when buying there). */
  exhaustedAreaCodes: Set<string>;
  numberBlock: { exchange: string; lineStart: number };
  lineTypeOverrides: Map<string, string>;
  /** Pending lifecycle timers, cleared on close. */
  timers: Set<NodeJS.Timeout>;
  later(ms: number, fn: () => void | Promise<void>): void;
}

export function authenticatedAccount(res: Response): SandboxAccount {
  return res.locals.account as SandboxAccount;
}

/** What resources are looked up in: a Map, or the sandbox's message store (message-store.ts). */
export interface SidLookup<T> {
  get(sid: string): T | undefined;
}

/** A resource of `accountSid`'s, or Twilio's 404: another account's resource is as good as absent. */
export function ownedBy<T extends { accountSid: string }>(items: SidLookup<T>, accountSid: string, sid: string, resource: string): T {
  const item = items.get(sid);
  if (!item || item.accountSid !== accountSid) throw twilioErrors.notFound(`/${resource}/${sid}`);
  return item;
}

/**
 * A form-encoded request's parameters, for routes whose parameters are all text in Twilio's
 * documents (with the contract check on, ajv coerces typed ones in place: read booleans, numbers
 * and lists through form-values.ts instead).
 */
export const formParams = (req: Request): Record<string, string | undefined> => req.body as Record<string, string | undefined>;

/** The resource named by an `/Accounts/:accountSid/<resource>/:sid` path, if the caller may see it. */
export function pathInstance<T extends { accountSid: string }>(
  ctx: SandboxContext,
  req: Request<{ accountSid: string; sid: string }>,
  res: Response,
  items: SidLookup<T>,
  resource: string,
): T {
  return ownedBy(items, pathAccount(ctx, res, req.params.accountSid).sid, req.params.sid, resource);
}

/** The account named in the path, if the caller may act on it: itself, or a subaccount it owns. */
export function pathAccount(ctx: SandboxContext, res: Response, sid: string): SandboxAccount {
  const caller = authenticatedAccount(res);
  const target = ctx.store.accounts.get(sid);
  if (!target || (target.sid !== caller.sid && target.ownerAccountSid !== caller.sid)) throw twilioErrors.notFound(`/Accounts/${sid}`);
  return target;
}
