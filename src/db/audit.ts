import type { Knex } from 'knex';

export type ActorKind = 'staff' | 'tenant' | 'system';
export interface AuditEntry {
  actor: string;
  actorKind: ActorKind;
  tenantId?: string | null;
  action: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit log (the table refuses updates and deletes); returns the entry's id. */
export async function recordAudit(db: Knex | Knex.Transaction, entry: AuditEntry): Promise<string> {
  const [row] = await db('audit_log')
    .insert({
      actor: entry.actor,
      actor_kind: entry.actorKind,
      tenant_id: entry.tenantId ?? null,
      action: entry.action,
      reason: entry.reason ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .returning<{ id: string }[]>('id');
  return row.id;
}
