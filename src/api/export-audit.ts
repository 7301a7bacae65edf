import type { Knex } from 'knex';
import { principalOf } from './auth';
import { recordAudit } from '../db/audit';

/**
 * Every export of a tenant's data (a CSV of contacts, a campaign's recipients, opt-outs,
 * a day's traffic, usage) leaves an audit entry before a line is written: who (the tenant and
 * the key's user, or `staff:<name>`), what (`export.<what>`) and whose data (the tenant, or
 * none for staff's usage of every tenant).
 */
export async function auditExport(
  db: Knex,
  res: { locals: Record<string, unknown> },
  entry: { tenantId: string | null; what: string; details?: Record<string, unknown> },
): Promise<void> {
  const principal = principalOf(res);
  const who =
    principal.kind === 'tenant'
      ? { actor: `tenant:${principal.tenantId}`, actorKind: 'tenant' as const, user: principal.user }
      : { actor: `staff:${principal.name}`, actorKind: 'staff' as const, user: null };
  await recordAudit(db, {
    actor: who.actor,
    actorKind: who.actorKind,
    tenantId: entry.tenantId,
    action: `export.${entry.what}`,
    details: { ...entry.details, byKeyId: principal.keyId, user: who.user },
  });
}
