import type { Knex } from 'knex';
import { recordAudit } from './audit';

/**
 * Cases a workflow opens for staff when it cannot go on by itself: an onboarding step whose
 * activity keeps failing on infrastructure (Twilio refusing the platform's credentials, the
 * database, a resource gone). The workflow keeps retrying; the case says what fails and since
 * when, and closes when the step goes through.
 */
export interface InfrastructureFault {
  /** One case per failing call: a repeat of the same failure updates it. */
  key: string;
  tenantId: string;
  workflowId: string;
  /** The activity that fails and the step it serves. */
  activity: string;
  step: string;
  error: string;
  /** What staff read in the queue; by default that the workflow retries the failing activity by itself. */
  summary?: string;
}

/** The audit log's tenant column only takes a tenant that exists; a missing one is the fault then. */
async function existingTenant(trx: Knex.Transaction, tenantId: string): Promise<string | null> {
  return (await trx('tenants').where({ id: tenantId }).first<{ id: string } | undefined>('id'))?.id ?? null;
}

/** Opens the case for `fault.key`, or counts one more failure on it; returns the case id. */
export async function recordInfrastructureFault(db: Knex, fault: InfrastructureFault): Promise<string> {
  return db.transaction(async (trx) => {
    const [opened] = await trx('staff_cases')
      .insert({
        kind: 'infrastructure_fault',
        tenant_id: fault.tenantId,
        workflow_id: fault.workflowId,
        opened_by_key: fault.key,
        summary: fault.summary ?? `Onboarding is held at ${fault.step}: ${fault.activity} keeps failing; the workflow retries by itself`,
        details: JSON.stringify({ activity: fault.activity, step: fault.step }),
        last_error: fault.error,
      })
      .onConflict('opened_by_key')
      .ignore()
      .returning<{ id: string }[]>('id');
    if (opened) {
      const tenantId = await existingTenant(trx, fault.tenantId);
      await recordAudit(trx, {
        actor: 'system:lifecycle',
        actorKind: 'system',
        tenantId,
        action: 'staff_case.opened',
        reason: fault.error,
        details: { caseId: opened.id, workflowId: fault.workflowId, activity: fault.activity, step: fault.step },
      });
      return opened.id;
    }
    const [again] = await trx('staff_cases')
      .where({ opened_by_key: fault.key })
      .update({ failures: trx.raw('failures + 1'), last_error: fault.error, last_failure_at: trx.fn.now() })
      .returning<{ id: string }[]>('id');
    return again.id;
  });
}

/** Closes an open case with what ended it; closing a closed case changes nothing. */
export async function closeStaffCase(db: Knex, input: { caseId: string; resolution: string }): Promise<void> {
  await db.transaction(async (trx) => {
    const [closed] = await trx('staff_cases')
      .where({ id: input.caseId, status: 'open' })
      .update({ status: 'closed', closed_at: trx.fn.now(), resolution: input.resolution })
      .returning<{ tenant_id: string; workflow_id: string }[]>(['tenant_id', 'workflow_id']);
    if (!closed) return;
    const tenantId = await existingTenant(trx, closed.tenant_id);
    await recordAudit(trx, {
      actor: 'system:lifecycle',
      actorKind: 'system',
      tenantId,
      action: 'staff_case.closed',
      reason: input.resolution,
      details: { caseId: input.caseId, workflowId: closed.workflow_id },
    });
  });
}
