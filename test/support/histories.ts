import type { Client } from '@temporalio/client';
import { recordHistory } from '../../src/dev/history-recorder';

/**
 * With RECORD_HISTORIES=1, an end-to-end or workflow-logic test saves the history of a run it
 * drove as test/histories/<workflowType>/<scenario>.<today>.json, for the replay test to hold
 * later workflow code to; RECORD_HISTORIES=new-version also when the scenario already has a
 * history (the old one stays). The recorder refuses to overwrite, and the refusal fails the test,
 * so a recording asked for never silently does not happen. Without `runId`, the workflow's
 * latest run (a chain that continued as new names each run's id).
 */
export async function recordHistoryIfAsked(client: Client, workflowId: string, scenario: string, runId?: string): Promise<void> {
  const asked = process.env.RECORD_HISTORIES;
  if (!asked || asked === '0') return;
  if (asked !== '1' && asked !== 'new-version') throw new Error(`RECORD_HISTORIES=${asked}: use 1, or new-version to add a version of an existing scenario`);
  const file = await recordHistory(client, { workflowId, runId, scenario, newVersion: asked === 'new-version' });
  console.log(`recorded test/histories/${file}`);
}
