import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { tenantMonitorStart } from '../workflows/tenant-monitor/definitions';
import { tenantMonitor } from '../workflows/tenant-monitor/workflow';

/**
 * Starts the monitor of every active tenant that has none running — tenants activated before
 * the monitor existed, or whose monitor was terminated by hand. Running ones are left alone,
 * so this is safe to run at every start (`npm start` does; `npm run monitors:ensure` alone).
 */
export async function ensureTenantMonitors(db: Knex, client: Client, opts: { taskQueue: string; intervalMs: number; only?: string[] }): Promise<{ active: number; started: string[] }> {
  const tenants = await db('tenants')
    .where({ lifecycle_step: 'active' })
    .modify((q) => {
      if (opts.only) void q.whereIn('id', opts.only);
    })
    .select<Array<{ id: string; business_name: string }>>('id', 'business_name');
  const started: string[] = [];
  for (const t of tenants) {
    try {
      await client.workflow.start(tenantMonitor, { ...tenantMonitorStart({ id: t.id, businessName: t.business_name }, opts.intervalMs), taskQueue: opts.taskQueue });
      started.push(t.id);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return { active: tenants.length, started };
}
