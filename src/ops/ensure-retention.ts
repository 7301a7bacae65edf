import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { dataRetention } from '../workflows/data-retention/workflow';
import { DATA_RETENTION_WORKFLOW_ID, startDataRetentionOptions } from '../workflows/data-retention/definitions';

/**
 * Starts the platform's data retention workflow unless it runs already (a running one is kept
 * as it is), so `npm start` can call it every time. Returns whether this call started it.
 */
export async function ensureDataRetention(client: Client, opts: { taskQueue: string; intervalMs: number; dayMs?: number }): Promise<boolean> {
  try {
    if ((await client.workflow.getHandle(DATA_RETENTION_WORKFLOW_ID).describe()).status.name === 'RUNNING') return false;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  await client.workflow.start(dataRetention, {
    ...startDataRetentionOptions({ intervalMs: opts.intervalMs, dayMs: opts.dayMs }),
    taskQueue: opts.taskQueue,
    // Started meanwhile by another `npm start`: that one is kept.
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return true;
}
