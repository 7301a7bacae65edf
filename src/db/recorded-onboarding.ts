import type { LifecycleStepName, TenantLifecycleState } from '../workflows/tenant-lifecycle/definitions';
import type { Db } from './knex';

/**
 * A finished onboarding as PostgreSQL recorded it. The lifecycle workflow ends when its tenant
 * is active, and Temporal drops a closed run after the namespace's retention (a day on the dev
 * server); the tenant's state must still be readable then, so it comes from the rows the
 * lifecycle's own activities wrote: the step, the audited step history, the number and the
 * subaccount. Undefined while onboarding is unfinished (its state lives in the running workflow).
 */
export async function recordedOnboarding(db: Db, tenantId: string): Promise<TenantLifecycleState | undefined> {
  const tenant = await db('tenants').where({ id: tenantId }).first<{ lifecycle_step: string } | undefined>('lifecycle_step');
  if (tenant?.lifecycle_step !== 'active') return undefined;
  const [steps, number, credentials] = await Promise.all([
    db('audit_log')
      .where({ tenant_id: tenantId })
      .whereLike('action', 'lifecycle.%')
      .orderBy('id')
      .select<Array<{ action: string; at: Date; reason: string | null }>>('action', 'at', 'reason'),
    db('tenant_phone_numbers')
      .where({ tenant_id: tenantId })
      .whereNull('released_at')
      .orderBy('granted_at')
      .first<{ phone_number: string } | undefined>('phone_number'),
    db('tenant_credentials').where({ tenant_id: tenantId }).first<{ subaccount_sid: string } | undefined>('subaccount_sid'),
  ]);
  return {
    tenantId,
    step: 'active',
    suspended: false,
    history: steps.map((s) => ({
      step: s.action.slice('lifecycle.'.length) as LifecycleStepName,
      at: s.at.toISOString(),
      ...(s.reason ? { note: s.reason } : {}),
    })),
    openRequirements: [],
    reasons: [],
    verification: { attemptsLeft: 0, verified: true },
    sandbox: { successfulSends: 0, required: 0 },
    ...(number ? { phoneNumber: number.phone_number } : {}),
    ...(credentials ? { subaccountSid: credentials.subaccount_sid } : {}),
  };
}
