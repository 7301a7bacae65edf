import type { ActivityDeps } from '../deps';
import { recordAudit } from '../../db/audit';
import { useStaffDecision, type AuditedStaffAction, type StaffDecisionCheck } from '../../db/staff-decisions';

/** A person's part in onboarding: compliance cases opened, reminded and decided; staff decisions checked and recorded. */
export function createReviewActivities({ db, log }: ActivityDeps) {
  return {
    /** Opens the case for `key` once; a retry returns the same case. */
    async openComplianceCase(input: { tenantId: string; kind: string; key: string; summary: string; details: Record<string, unknown> }): Promise<string> {
      return db.transaction(async (trx) => {
        const inserted = await trx('compliance_cases')
          .insert({ tenant_id: input.tenantId, kind: input.kind, summary: input.summary, details: JSON.stringify(input.details), opened_by_key: input.key })
          .onConflict('opened_by_key')
          .ignore()
          .returning<{ id: string }[]>('id');
        if (inserted.length) {
          await recordAudit(trx, {
            actor: 'system:lifecycle',
            actorKind: 'system',
            tenantId: input.tenantId,
            action: 'case.opened',
            reason: input.summary,
            details: { caseId: inserted[0].id, kind: input.kind },
          });
          return inserted[0].id;
        }
        const existing = await trx('compliance_cases').where({ opened_by_key: input.key }).first<{ id: string } | undefined>('id');
        return existing!.id;
      });
    },

    async recordReviewReminder(caseId: string): Promise<number> {
      return db.transaction(async (trx) => {
        const [row] = await trx('compliance_cases')
          .where({ id: caseId, status: 'open' })
          .increment('reminders_sent', 1)
          .update({ last_reminder_at: trx.fn.now() })
          .returning<{ tenant_id: string; reminders_sent: number }[]>(['tenant_id', 'reminders_sent']);
        if (!row) return 0;
        await recordAudit(trx, {
          actor: 'system:lifecycle',
          actorKind: 'system',
          tenantId: row.tenant_id,
          action: 'case.reminder',
          details: { caseId, remindersSent: row.reminders_sent },
        });
        return row.reminders_sent;
      });
    },

    async decideComplianceCase(input: { caseId: string; decision: 'approved' | 'rejected'; by: string; reason: string }): Promise<void> {
      await db.transaction(async (trx) => {
        const updated = await trx('compliance_cases')
          .where({ id: input.caseId, status: 'open' })
          .update({ status: input.decision, decided_at: trx.fn.now(), decided_by: input.by, decision_reason: input.reason })
          .returning<{ tenant_id: string }[]>('tenant_id');
        if (updated.length) {
          await recordAudit(trx, {
            actor: input.by,
            actorKind: 'staff',
            tenantId: updated[0].tenant_id,
            action: `case.${input.decision}`,
            reason: input.reason,
            details: { caseId: input.caseId },
          });
        }
      });
    },

    /**
     * Checks a staff decision's audit entry (see src/db/staff-decisions.ts) and records a
     * refusal: a decision that did not come through the API is not acted on.
     */
    async confirmStaffDecision(input: {
      tenantId: string;
      decision: AuditedStaffAction;
      auditId?: string;
      claimedBy: string;
      usedBy: string;
    }): Promise<StaffDecisionCheck> {
      const check = await useStaffDecision(db, input);
      if (!check.accepted) {
        log.warn(
          { tenantId: input.tenantId, decision: input.decision, auditId: input.auditId, claimedBy: input.claimedBy, why: check.why },
          'staff decision refused',
        );
        await recordAudit(db, {
          actor: 'system:lifecycle',
          actorKind: 'system',
          tenantId: input.tenantId,
          action: 'staff_decision.refused',
          reason: check.why,
          details: { decision: input.decision, auditId: input.auditId ?? null, claimedBy: input.claimedBy },
        });
      }
      return check;
    },

    /** Records a staff action the workflow acted on (reject or suspend at any step, reinstate). */
    async recordStaffAction(input: { tenantId: string; action: string; by: string; reason: string; step: string }): Promise<void> {
      await recordAudit(db, {
        actor: input.by,
        actorKind: 'staff',
        tenantId: input.tenantId,
        action: input.action,
        reason: input.reason,
        details: { step: input.step },
      });
    },
  };
}
