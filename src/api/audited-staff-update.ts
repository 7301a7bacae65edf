import type { Db } from '../db/knex';
import { recordStaffDecision, recordStaffDecisionRefused, type AuditedStaffAction } from '../db/staff-decisions';
import { DECISION_NOT_AUDITED } from '../workflows/tenant-lifecycle/definitions';
import { definiteRefusal, onWorkflow } from './workflow-errors';

/**
 * A staff action sent to a workflow as an Update that names its audit entry: the entry first
 * (the workflow takes the action only through it), then the Update. A refusal, or no workflow to
 * take it, is audited beside the entry, and the entry can never be used later (a failed audit
 * check recorded its own refusal). Temporal's answers become the API's problems.
 */
export async function auditedStaffUpdate<T>(
  db: Db,
  subject: string,
  entry: { tenantId: string; decision: AuditedStaffAction; by: string; reason: string; details?: Record<string, unknown> },
  send: (auditId: string) => Promise<T>,
): Promise<{ auditId: string; answer: T }> {
  const auditId = await recordStaffDecision(db, entry);
  const answer = await onWorkflow(subject, async () => {
    try {
      return await send(auditId);
    } catch (err) {
      const refusal = definiteRefusal(err);
      if (refusal && refusal.type !== DECISION_NOT_AUDITED)
        await recordStaffDecisionRefused(db, {
          tenantId: entry.tenantId,
          decision: entry.decision,
          auditId,
          by: entry.by,
          why: refusal.message,
          refusal: refusal.type,
        });
      throw err;
    }
  });
  return { auditId, answer };
}
