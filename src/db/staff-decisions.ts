import type { Knex } from 'knex';
import { recordAudit } from './audit';

/**
 * A staff decision on an onboarding tenant is written to the audit log by the API, and the
 * Signal that carries it to the workflow names that row. Anyone who reaches Temporal can send
 * a Signal; only the API (behind a staff key) writes these rows, so the workflow honours a
 * decision only through its row, and each row once.
 */
export const STAFF_DECISIONS = ['approve', 'reject', 'suspend', 'reinstate'] as const;
export type StaffDecisionName = (typeof STAFF_DECISIONS)[number];

/**
 * Every staff action a workflow takes only through its audit entry: the four decisions, and the
 * restart of a carrier registration that timed out (issue 14).
 */
export type AuditedStaffAction = StaffDecisionName | 'restart_registration';

export const staffDecisionAction = (decision: AuditedStaffAction) => `staff_decision.${decision}`;

/** The API's half: the audit row, written before the Signal is sent; its id goes with the Signal. */
export function recordStaffDecision(
  db: Knex | Knex.Transaction,
  input: { tenantId: string; decision: AuditedStaffAction; by: string; reason: string; details?: Record<string, unknown> },
): Promise<string> {
  return recordAudit(db, {
    actor: input.by,
    actorKind: 'staff',
    tenantId: input.tenantId,
    action: staffDecisionAction(input.decision),
    reason: input.reason,
    details: input.details,
  });
}

/**
 * The API's half when the workflow refused the decision (its Update's validator or handler), or
 * there was no workflow to take it: the refusal is audited beside the decision's entry, and the
 * entry is marked used so no later Signal can make it count.
 */
export async function recordStaffDecisionRefused(
  db: Knex,
  input: { tenantId: string; decision: AuditedStaffAction; auditId: string; by: string; why: string; refusal: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('staff_decision_uses').insert({ audit_id: input.auditId, tenant_id: input.tenantId, used_by: 'api:refused' }).onConflict('audit_id').ignore();
    await recordAudit(trx, {
      actor: 'system:api',
      actorKind: 'system',
      tenantId: input.tenantId,
      action: 'staff_decision.refused',
      reason: input.why,
      details: { decision: input.decision, auditId: input.auditId, claimedBy: input.by, refusal: input.refusal },
    });
  });
}

export type StaffDecisionCheck = { accepted: true; by: string; reason: string } | { accepted: false; why: string };

interface AuditRow {
  id: string;
  tenant_id: string | null;
  actor: string;
  actor_kind: string;
  action: string;
  reason: string | null;
}

/**
 * The workflow's half: accepts `auditId` for `decision` on `tenantId` if that row is a staff
 * decision the API recorded and nobody else has used it. `usedBy` names the caller (its
 * workflow run and activity), so a retry of the same call is accepted again.
 * Who decided and why come from the row, never from the Signal.
 */
export async function useStaffDecision(
  db: Knex,
  input: { tenantId: string; decision: AuditedStaffAction; auditId?: string; usedBy: string },
): Promise<StaffDecisionCheck> {
  const { auditId } = input;
  if (!auditId || !/^[1-9]\d{0,18}$/.test(auditId)) return { accepted: false, why: 'the decision names no audit entry' };
  return db.transaction(async (trx) => {
    const row = await trx<AuditRow>('audit_log').where({ id: auditId }).first('tenant_id', 'actor', 'actor_kind', 'action', 'reason');
    if (!row) return { accepted: false, why: `audit entry ${auditId} does not exist` };
    if (row.tenant_id !== input.tenantId) return { accepted: false, why: `audit entry ${auditId} is about another tenant` };
    if (row.action !== staffDecisionAction(input.decision))
      return { accepted: false, why: `audit entry ${auditId} records ${row.action}, not ${staffDecisionAction(input.decision)}` };
    if (row.actor_kind !== 'staff' || !row.actor.startsWith('staff:')) return { accepted: false, why: `audit entry ${auditId} was not made by staff` };
    await trx('staff_decision_uses').insert({ audit_id: auditId, tenant_id: input.tenantId, used_by: input.usedBy }).onConflict('audit_id').ignore();
    const use = await trx('staff_decision_uses').where({ audit_id: auditId }).first<{ used_by: string }>('used_by');
    if (use.used_by !== input.usedBy) return { accepted: false, why: `audit entry ${auditId} was already used` };
    return { accepted: true, by: row.actor, reason: row.reason ?? '' };
  });
}
