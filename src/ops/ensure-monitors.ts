import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { monitorWorkflowId, startMonitorOptions } from '../workflows/tenant-monitor/definitions';
import { tenantMonitor } from '../workflows/tenant-monitor/workflow';

/** Whether the tenant's monitor runs now (one that ended, or never started, does not). */
async function monitorRunning(client: Client, tenantId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(monitorWorkflowId(tenantId)).describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Starts the monitor of every active tenant that has none running — tenants activated before
 * the monitor existed, or whose monitor was terminated by hand. Running ones are left alone,
 * so this is safe to run at every start (`npm start` does; `npm run monitors:ensure` alone).
 */
export async function ensureTenantMonitors(
  db: Knex,
  client: Client,
  opts: { taskQueue: string; intervalMs: number; only?: string[] },
): Promise<{ active: number; started: string[] }> {
  const tenants = await db('tenants')
    .where({ lifecycle_step: 'active' })
    // An offboarded tenant's monitor was ended on purpose: its subaccount is closed.
    .whereNotIn('status', ['offboarding', 'offboarded'])
    .modify((q) => {
      if (opts.only) void q.whereIn('id', opts.only);
    })
    .select<Array<{ id: string; business_name: string }>>('id', 'business_name');
  const started: string[] = [];
  for (const t of tenants) {
    // Looked at first only to report what was started: a monitor the lifecycle starts meanwhile is kept as it is.
    if (await monitorRunning(client, t.id)) continue;
    await client.workflow.start(tenantMonitor, {
      ...startMonitorOptions({ id: t.id, businessName: t.business_name }, opts.intervalMs),
      taskQueue: opts.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    started.push(t.id);
  }
  return { active: tenants.length, started };
}
