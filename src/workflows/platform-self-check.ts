import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PlatformActivities, PlatformCheck } from '../activities/platform';

const { checkDatabase } = proxyActivities<PlatformActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

export interface PlatformSelfCheckResult extends PlatformCheck {
  workflowId: string;
}

/** A self-check's id: `label` tells runs apart (the time `npm start` ran it, say). */
export const selfCheckWorkflowId = (label: string) => `platform-self-check/${label}`;

/**
 * The smallest end-to-end proof that the platform works: the API or `npm start` starts it,
 * a real worker runs it, and its activity reads PostgreSQL.
 */
export async function platformSelfCheck(): Promise<PlatformSelfCheckResult> {
  return { workflowId: workflowInfo().workflowId, database: await checkDatabase() };
}
