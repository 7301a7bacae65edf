import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { staffPrincipalOf } from './auth';
import { recordAudit } from '../db/audit';

export const STAFF_READ_ACTION = 'staff.read';

const uuid = z.uuid();
/** Path segments that are followed by the tenant a staff route reads: `/tenants/<id>`, `/registrations/<id>`. */
const TENANT_SEGMENTS = new Set(['tenants', 'registrations']);

/** The tenant a staff GET names, by path or by `?tenantId=`, if any. */
function namedTenant(path: string, query: Record<string, unknown>): string | undefined {
  if (typeof query.tenantId === 'string' && uuid.safeParse(query.tenantId).success) return query.tenantId;
  const segments = path.split('/');
  const at = segments.findIndex((s, i) => TENANT_SEGMENTS.has(s) && uuid.safeParse(segments[i + 1]).success);
  return at >= 0 ? segments[at + 1] : undefined;
}

/**
 * Every staff read (a GET under /v1/compliance) is audited before it is answered: who, the path
 * and query, and the tenant it names (none for lists across tenants, which name their filter in
 * the query). Mounted after the staff key check, so a refused request leaves no entry. The
 * audit log's own listing leaves these out unless asked (`includeReads=true`).
 */
export function auditStaffReads(db: Knex): RequestHandler {
  return (req, res, next) => {
    const staff = staffPrincipalOf(res);
    if (req.method !== 'GET' || !staff) return next();
    const named = namedTenant(req.path, req.query);
    const read = async () => {
      // An id that is no tenant's is still recorded, outside any tenant (the log's tenant_id is a foreign key).
      const tenantId = named && (await db('tenants').where({ id: named }).first('id')) ? named : null;
      await recordAudit(db, {
        actor: `staff:${staff.name}`,
        actorKind: 'staff',
        tenantId,
        action: STAFF_READ_ACTION,
        details: { path: `${req.baseUrl}${req.path}`, query: req.query, byKeyId: staff.keyId, staffRole: staff.role },
      });
    };
    read().then(() => next(), next);
  };
}
