import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Express, Request } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { deleteConsoleSessionsOfKey, findLiveConsoleSession, touchConsoleSession } from '../db/console-sessions';
import { authenticateApiKeyId, type KeyRefusal, type Principal } from './api-keys';
import { HttpProblem } from './problem';

/**
 * Console sessions on requests: the `cs_session` cookie stands in for `Authorization: Bearer`
 * (src/api/auth.ts asks here when a request has no Authorization header). Who the session acts
 * as is rebuilt from its key on every request. A change (any method but GET, HEAD, OPTIONS)
 * made with the cookie must come from the console's own origin AND carry the session's CSRF
 * token; otherwise 403 before any route runs.
 */
export const SESSION_COOKIE = 'cs_session';

export interface ConsoleSessionSettings {
  idleSeconds: number;
  lifetimeSeconds: number;
  /** The console's own origin as configured (PUBLIC_BASE_URL); the request's Host is accepted too. */
  publicOrigin: string;
}

/** Sessions work on an app only once installed (createApp does it); a bare app has bearer keys alone. */
export function installConsoleSessions(app: Express, config: Config): void {
  const settings: ConsoleSessionSettings = {
    idleSeconds: config.CONSOLE_SESSION_IDLE_SECONDS,
    lifetimeSeconds: config.CONSOLE_SESSION_LIFETIME_SECONDS,
    publicOrigin: new URL(config.PUBLIC_BASE_URL).origin,
  };
  app.locals.consoleSessions = settings;
}

export function consoleSessionSettingsOf(req: Request): ConsoleSessionSettings | undefined {
  return req.app.locals.consoleSessions as ConsoleSessionSettings | undefined;
}

/** The session id in the request's `cs_session` cookie. */
export function sessionCookieOf(req: Request): string | undefined {
  const value = /(?:^|;\s*)cs_session=([A-Za-z0-9_-]{43})(?:;|$)/.exec(req.get('cookie') ?? '')?.[1];
  return value;
}

/**
 * The session's CSRF token, derived from its id (HMAC keyed by the id): the page gets it from
 * `GET /console/session`, nothing stores it, and it cannot be made from the stored hash.
 */
export function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('clearsend console csrf v1').digest('base64url');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isSafeMethod = (method: string) => SAFE_METHODS.has(method);

const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);

/**
 * A browser says where a request came from: Sec-Fetch-Site (modern browsers), else Origin.
 * Only the console's own origin passes: another port on the same host is same-site, not
 * same-origin, and is refused too.
 */
export function crossOriginRefusal(req: Request, settings: ConsoleSessionSettings): HttpProblem | undefined {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) {
    return site === 'same-origin' ? undefined : forbidden(`Refused a ${site} request: console changes must come from the console's own pages.`);
  }
  const origin = req.get('origin');
  if (!origin) return forbidden('Refused a change without an Origin header: console changes must come from the console’s own pages.');
  const own = new Set([settings.publicOrigin, `${req.protocol}://${req.headers.host ?? ''}`]);
  return own.has(origin) ? undefined : forbidden(`Refused a change from ${origin}: console changes must come from the console's own pages.`);
}

/** `X-CSRF-Token` (fetch) or a `_csrf` form field must equal the session's token, compared in constant time. */
export function csrfRefusal(req: Request, sessionId: string): HttpProblem | undefined {
  const body: unknown = req.body;
  const formField = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined;
  const presented = req.get('x-csrf-token') ?? (typeof formField === 'string' ? formField : undefined);
  if (!presented) return forbidden('Refused a change without the session’s CSRF token (X-CSRF-Token header, from GET /console/session).');
  const expected = Buffer.from(csrfTokenOf(sessionId));
  const given = Buffer.from(presented);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return forbidden('Refused a change with a wrong CSRF token.');
  return undefined;
}

export type SessionAuthentication = { ok: true; principal: Principal; sessionId: string } | { ok: false; problem: HttpProblem };

export const SESSION_ENDED = 'Your console session has ended (signed out, idle too long, or too old): sign in again.';

/**
 * The principal of the request's session cookie, as its key stands now; undefined when the
 * request has no session cookie (or the app has no sessions). A change is checked for CSRF
 * before anything else is done with it.
 */
export async function authenticateSessionCookie(
  db: Knex,
  req: Request,
  refusalDetail: (refusal: KeyRefusal | undefined) => string,
): Promise<SessionAuthentication | undefined> {
  const settings = consoleSessionSettingsOf(req);
  const sessionId = sessionCookieOf(req);
  if (!settings || !sessionId) return undefined;
  const session = await findLiveConsoleSession(db, sessionId, settings.idleSeconds);
  if (!session) return { ok: false, problem: new HttpProblem(401, 'Unauthorized', SESSION_ENDED) };
  const auth = await authenticateApiKeyId(db, session.apiKeyId);
  if (!auth.ok) {
    // A revoked or expired key ends every session made with it.
    await deleteConsoleSessionsOfKey(db, session.apiKeyId);
    return { ok: false, problem: new HttpProblem(401, 'Unauthorized', refusalDetail(auth.refusal), auth.refusal ? { keyState: auth.refusal.state } : {}) };
  }
  if (!isSafeMethod(req.method)) {
    const refusal = crossOriginRefusal(req, settings) ?? csrfRefusal(req, sessionId);
    if (refusal) return { ok: false, problem: refusal };
    // The token is the check's, not the route's: a strict body schema must not see it.
    if (typeof req.body === 'object' && req.body !== null) delete (req.body as Record<string, unknown>)._csrf;
  }
  await touchConsoleSession(db, sessionId, Math.min(60, Math.ceil(settings.idleSeconds / 10)));
  return { ok: true, principal: auth.principal, sessionId };
}
