import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Config } from '../config';
import { recordAudit, type AuditEntry } from '../db/audit';
import { createConsoleSession, deleteConsoleSession, deleteEndedConsoleSessions } from '../db/console-sessions';
import { authenticateApiKey, type Principal } from './api-keys';
import { refusalDetail } from './auth';
import { authenticateSessionCookie, consoleSessionSettingsOf, crossOriginRefusal, csrfTokenOf, SESSION_COOKIE, sessionCookieOf } from './console-auth';
import { HttpProblem } from './problem';
import type { ConsoleSessionView } from '../console/session-view';

const signInSchema = z.object({ key: z.string().trim().min(1, 'is required: your API key').max(200) });

/**
 * Sign-in (an API key for a session cookie), who is signed in, sign-out. The key is never
 * kept: the session refers to the key's row and acts as the key does at each request.
 */
export function consoleSessionRoutes({ db, config }: { db: Knex; config: Config }): Router {
  const router = Router();
  const temporalUiUrl = config.TEMPORAL_UI_URL && `${config.TEMPORAL_UI_URL.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}`;
  const sandboxUrl = config.TWILIO_API_BASE?.replace(/\/+$/, '');
  const viewOf = async (principal: Principal, sessionId: string): Promise<ConsoleSessionView> => ({
    ...(await whoIs(db, principal, sandboxUrl !== undefined)),
    csrfToken: csrfTokenOf(sessionId),
    ...(temporalUiUrl ? { temporalUiUrl } : {}),
    ...(sandboxUrl ? { sandboxUrl } : {}),
  });

  router.post('/console/session', async (req, res) => {
    const settings = consoleSessionSettingsOf(req)!;
    // Signing someone in with another person's key is an attack too: only the console's own page may post here.
    const crossOrigin = crossOriginRefusal(req, settings);
    if (crossOrigin) throw crossOrigin;
    const { key } = signInSchema.parse(req.body);
    const auth = await authenticateApiKey(db, key);
    if (!auth.ok) throw new HttpProblem(401, 'Unauthorized', refusalDetail(auth.refusal), auth.refusal ? { keyState: auth.refusal.state } : {});
    const previous = sessionCookieOf(req);
    if (previous) await deleteConsoleSession(db, previous);
    await deleteEndedConsoleSessions(db, settings.idleSeconds);
    const sessionId = await createConsoleSession(db, auth.principal.keyId, settings.lifetimeSeconds);
    await recordAudit(db, { ...auditActor(auth.principal), action: 'console.signed_in', details: auditDetails(auth.principal) });
    setSessionCookie(req, res, sessionId);
    noStore(res);
    // A plain form post (no script) lands on the console; the page's own fetch gets the session.
    if (req.is('application/x-www-form-urlencoded')) return res.redirect(303, '/console/');
    res.status(201).json(await viewOf(auth.principal, sessionId));
  });

  router.get('/console/session', async (req, res) => {
    const session = await authenticateSessionCookie(db, req, refusalDetail);
    if (!session) throw new HttpProblem(401, 'Unauthorized', 'Not signed in: sign in with an API key.');
    if (!session.ok) throw session.problem;
    noStore(res);
    res.json(await viewOf(session.principal, session.sessionId));
  });

  router.post('/console/session/sign-out', async (req, res) => {
    const session = await authenticateSessionCookie(db, req, refusalDetail);
    // A cross-site or token-less sign-out is refused like any change (it would sign the person out).
    if (session && !session.ok && session.problem.status === 403) throw session.problem;
    if (session?.ok) {
      await deleteConsoleSession(db, session.sessionId);
      await recordAudit(db, { ...auditActor(session.principal), action: 'console.signed_out', details: auditDetails(session.principal) });
    }
    // No session, or one that had already ended: signed out either way.
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.status(204).end();
  });

  return router;
}

function cookieOptions(req: Request) {
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: req.secure };
}

/** No Max-Age: the cookie goes when the browser closes; the server ends the session sooner when idle or old. */
function setSessionCookie(req: Request, res: Response, sessionId: string): void {
  res.cookie(SESSION_COOKIE, sessionId, cookieOptions(req));
}

/** Answers that carry the CSRF token are never cached. */
const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

function auditActor(principal: Principal): Pick<AuditEntry, 'actor' | 'actorKind' | 'tenantId'> {
  return principal.kind === 'staff'
    ? { actor: `staff:${principal.name}`, actorKind: 'staff' }
    : { actor: `tenant:${principal.tenantId}`, actorKind: 'tenant', tenantId: principal.tenantId };
}

const auditDetails = (principal: Principal) => ({
  apiKeyId: principal.keyId,
  ...(principal.kind === 'tenant' && principal.user !== null ? { user: principal.user } : {}),
});

async function whoIs(
  db: Knex,
  principal: Principal,
  sandbox: boolean,
): Promise<Pick<ConsoleSessionView, 'kind' | 'tenantId' | 'role' | 'name' | 'ownerPhone'>> {
  if (principal.kind === 'staff') return { kind: 'staff', role: principal.role, name: principal.name };
  const tenant = await db('tenants')
    .where({ id: principal.tenantId })
    .first<{ business_name: string; owner_phone: string } | undefined>('business_name', 'owner_phone');
  const business = tenant?.business_name ?? principal.tenantId;
  return {
    kind: 'tenant',
    tenantId: principal.tenantId,
    role: principal.role,
    name: principal.user !== null ? `${principal.user} (${business})` : business,
    // Only against the sandbox, whose numbers are test data: the page links the code filed under it.
    ...(sandbox && tenant ? { ownerPhone: tenant.owner_phone } : {}),
  };
}
