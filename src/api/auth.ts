import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { authenticateApiKey, type KeyRefusal, type Principal } from './api-keys';
import { HttpProblem } from './problem';

/** The token of `Authorization: Bearer <token>`, the scheme in any case (RFC 7235). */
export function bearerTokenOf(req: Request): string | undefined {
  return /^Bearer +(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
}

/** `Authorization: Bearer <key>`; the principal is kept on `res.locals`. */
export function authenticate(db: Knex, role: Principal['kind']): RequestHandler {
  return (req, res, next) => {
    const key = bearerTokenOf(req);
    if (!key) return next(new HttpProblem(401, 'Unauthorized', 'Send your API key as "Authorization: Bearer <key>".', {}, { 'WWW-Authenticate': 'Bearer' }));
    authenticateApiKey(db, key)
      .then((auth) => {
        if (!auth.ok)
          return next(
            new HttpProblem(401, 'Unauthorized', refusalDetail(auth.refusal), auth.refusal ? { keyState: auth.refusal.state } : {}, {
              'WWW-Authenticate': 'Bearer',
            }),
          );
        const { principal } = auth;
        if (principal.kind !== role) return next(new HttpProblem(403, 'Forbidden', `This route needs a ${role} key.`));
        res.locals.principal = principal;
        next();
      })
      .catch(next);
  };
}

function refusalDetail(refusal: KeyRefusal | undefined): string {
  if (!refusal) return 'The API key is not valid.';
  const since = refusal.since.toISOString();
  return refusal.state === 'expired' ? `The API key expired at ${since}.` : `The API key was revoked at ${since}.`;
}

export function principalOf(res: { locals: Record<string, unknown> }): Principal {
  return res.locals.principal as Principal;
}

/** The tenant whose key made the request (routes behind `authenticate(db, 'tenant')`). */
export function callerTenantId(res: { locals: Record<string, unknown> }): string {
  const principal = principalOf(res);
  if (principal.kind !== 'tenant') throw new HttpProblem(403, 'Forbidden', 'Needs a tenant key.');
  return principal.tenantId;
}

/** A tenant may act only on itself; another tenant's id answers 404, not 403, so ids don't leak. */
export function ownTenantId(req: Request, res: { locals: Record<string, unknown> }): string {
  const principal = principalOf(res);
  const id = String(req.params.id);
  if (principal.kind !== 'tenant' || principal.tenantId !== id) throw new HttpProblem(404, 'Not found', `No tenant ${id}.`);
  return id;
}

/** How a staff member appears in signals and the audit log: `staff:<name>`. */
export function staffActorOf(res: { locals: Record<string, unknown> }): string {
  const staff = principalOf(res);
  return `staff:${staff.kind === 'staff' ? staff.name : staff.keyId}`;
}
