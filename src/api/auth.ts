import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { authenticateApiKey, type KeyRefusal, type Principal, type StaffPrincipal, type TenantPrincipal } from './api-keys';
import { authenticateSessionCookie, sessionCookieOf } from './console-auth';
import { HttpProblem } from './problem';
import {
  assignedScope,
  STAFF_PERMISSIONS,
  staffRoleMay,
  TENANT_PERMISSIONS,
  TENANT_ROLES,
  tenantRoleChanges,
  tenantRoleMay,
  type StaffAction,
  type TenantAction,
} from '../domain/permissions';

/** The token of `Authorization: Bearer <token>`, the scheme in any case (RFC 7235). */
export function bearerTokenOf(req: Request): string | undefined {
  return /^Bearer +(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
}

/**
 * `Authorization: Bearer <key>`, or without an Authorization header the console's session
 * cookie (src/api/console-auth.ts: the key's current state, and CSRF checks on changes); the
 * principal is kept on `res.locals`.
 */
export function authenticate(db: Knex, role: Principal['kind']): RequestHandler {
  return (req, res, next) => {
    const admit = (principal: Principal) => {
      if (principal.kind !== role) return next(new HttpProblem(403, 'Forbidden', `This route needs a ${role} key.`));
      // A viewer only reads, whatever a route forgot to say (each route also names its action).
      if (principal.kind === 'tenant' && !READS.has(req.method) && !tenantRoleChanges(principal.role))
        return next(roleRefusal(principal.role, 'a change', TENANT_ROLES.filter(tenantRoleChanges)));
      res.locals.principal = principal;
      next();
    };
    // Routers that share a path prefix each authenticate (compliance's prefix-wide check, then the
    // route's own): the first one's answer stands for the request, so a key or session is looked
    // up, touched and CSRF-checked once (its `_csrf` form field is gone after the first check).
    const known = res.locals.principal as Principal | undefined;
    if (known) return admit(known);
    const key = bearerTokenOf(req);
    if (!key && req.get('authorization') === undefined && sessionCookieOf(req)) {
      authenticateSessionCookie(db, req, refusalDetail)
        .then((session) => (!session ? next(missingKey()) : session.ok ? admit(session.principal) : next(session.problem)))
        .catch(next);
      return;
    }
    if (!key) return next(missingKey());
    authenticateApiKey(db, key)
      .then((auth) => {
        if (!auth.ok)
          return next(
            new HttpProblem(401, 'Unauthorized', refusalDetail(auth.refusal), auth.refusal ? { keyState: auth.refusal.state } : {}, {
              'WWW-Authenticate': 'Bearer',
            }),
          );
        admit(auth.principal);
      })
      .catch(next);
  };
}

const missingKey = () => new HttpProblem(401, 'Unauthorized', 'Send your API key as "Authorization: Bearer <key>".', {}, { 'WWW-Authenticate': 'Bearer' });

const READS = new Set(['GET', 'HEAD']);

function roleRefusal(role: string, what: string, allowed: readonly string[]): HttpProblem {
  return new HttpProblem(403, 'Forbidden', `Your key's role (${role}) may not make ${what}; it needs ${allowed.join(' or ')}.`, {
    role,
    allowedRoles: allowed,
  });
}

/** After `authenticate(db, 'tenant')`: the key's role must be one that may take `action` (403, nothing done, otherwise). */
export function requireTenant(action: TenantAction): RequestHandler {
  return (_req, res, next) => {
    const principal = tenantPrincipalOf(res);
    next(tenantRoleMay(principal.role, action) ? undefined : roleRefusal(principal.role, `this request (${action})`, TENANT_PERMISSIONS[action]));
  };
}

/** Inside a route that answers several ways: throws the same 403 as `requireTenant(action)` when the key's role may not. */
export function assertTenantMay(res: { locals: Record<string, unknown> }, action: TenantAction): void {
  const principal = tenantPrincipalOf(res);
  if (!tenantRoleMay(principal.role, action)) throw roleRefusal(principal.role, `this request (${action})`, TENANT_PERMISSIONS[action]);
}

/** Whether the key's role may take `action` (for leaving out what a role may not see). */
export function tenantMay(res: { locals: Record<string, unknown> }, action: TenantAction): boolean {
  return tenantRoleMay(tenantPrincipalOf(res).role, action);
}

/** `authenticate(db, 'tenant')` then `requireTenant(action)`, as one handler. */
export function tenantAccess(db: Knex, action: TenantAction): RequestHandler {
  const authenticated = authenticate(db, 'tenant');
  const permitted = requireTenant(action);
  return (req, res, next) => authenticated(req, res, (err?: unknown) => (err ? next(err) : permitted(req, res, next)));
}

/** After `authenticate(db, 'staff')`: the staff member's role must be one that may take `action`. */
export function requireStaff(action: StaffAction): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (principal.kind !== 'staff') return next(new HttpProblem(403, 'Forbidden', 'This route needs a staff key.'));
    next(staffRoleMay(principal.role, action) ? undefined : roleRefusal(principal.role, `this request (${action})`, STAFF_PERMISSIONS[action]));
  };
}

/** Why a key is refused, as the API says it (console sign-in says the same). */
export function refusalDetail(refusal: KeyRefusal | undefined): string {
  if (!refusal) return 'The API key is not valid.';
  const since = refusal.since.toISOString();
  return refusal.state === 'expired' ? `The API key expired at ${since}.` : `The API key was revoked at ${since}.`;
}

export function principalOf(res: { locals: Record<string, unknown> }): Principal {
  return res.locals.principal as Principal;
}

export function tenantPrincipalOf(res: { locals: Record<string, unknown> }): TenantPrincipal {
  const principal = principalOf(res);
  if (principal.kind !== 'tenant') throw new HttpProblem(403, 'Forbidden', 'Needs a tenant key.');
  return principal;
}

export function staffPrincipalOf(res: { locals: Record<string, unknown> }): StaffPrincipal | undefined {
  const principal = principalOf(res);
  return principal.kind === 'staff' ? principal : undefined;
}

/**
 * The user whose assigned contacts are all the key may see (a user restricted to them), or
 * null when it sees every contact of its tenant. Routes that show contacts filter by it.
 */
export function assignedUserScope(res: { locals: Record<string, unknown> }): string | null {
  return assignedScope(tenantPrincipalOf(res));
}

/**
 * Who recorded something with this key, as kept on the record (a consent's `recorded_by`): the
 * tenant user the key belongs to (`user:<name>`), or the tenant's own key (`api-key:<id>`).
 */
export function recorderOf(res: { locals: Record<string, unknown> }): string {
  const principal = tenantPrincipalOf(res);
  return principal.user !== null ? `user:${principal.user}` : `api-key:${principal.keyId}`;
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
