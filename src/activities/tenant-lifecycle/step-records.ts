import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import { recordAudit } from '../../db/audit';
import { closeStaffCase, recordInfrastructureFault, type InfrastructureFault } from '../../db/staff-cases';
import { standingAt, type LifecycleStepName } from '../../workflows/tenant-lifecycle/definitions';

/** What the workflow records of its steps: each step reached, and a step held by an infrastructure fault. */
export function createStepRecordActivities({ db, log }: ActivityDeps) {
  return {
    /** Mirrors the workflow's step into PostgreSQL (compliance queue, listings) and the audit log. */
    async recordLifecycleStep(input: { tenantId: string; step: LifecycleStepName; note?: string }): Promise<void> {
      const status = standingAt(input.step);
      await db.transaction(async (trx) => {
        const updated = await trx('tenants').where({ id: input.tenantId }).update({ lifecycle_step: input.step, status, updated_at: trx.fn.now() });
        // Sign-up starts the workflow before it commits the tenant: until then, try again.
        if (!updated) throw ApplicationFailure.retryable(`tenant ${input.tenantId} is not visible (yet)`, 'TenantNotVisible');
        await recordAudit(trx, {
          actor: 'system:lifecycle',
          actorKind: 'system',
          tenantId: input.tenantId,
          action: `lifecycle.${input.step}`,
          reason: input.note ?? null,
        });
      });
    },

    /** Opens (or counts one more failure on) the staff case for an onboarding step held by infrastructure. */
    async recordInfrastructureFault(fault: InfrastructureFault): Promise<string> {
      log.error(
        { tenantId: fault.tenantId, activity: fault.activity, error: fault.error },
        'onboarding step held by an infrastructure failure; staff case open',
      );
      return recordInfrastructureFault(db, fault);
    },

    async closeStaffCase(input: { caseId: string; resolution: string }): Promise<void> {
      await closeStaffCase(db, input);
    },
  };
}
