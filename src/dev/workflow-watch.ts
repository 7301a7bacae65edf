import { ApplicationFailure, type WorkflowClient } from '@temporalio/client';

/** Where a workflow stops without completing. */
const ENDED_WITHOUT_COMPLETING = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']);

/** An error and its causes, outermost first: "Activity task failed: TwilioError20404: …". */
function causeChain(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    parts.push(e instanceof ApplicationFailure && e.type ? `${e.type}: ${e.message}` : e.message);
  }
  return parts.join(': ');
}

/**
 * How `workflowId` ended if it ended without completing (failed, terminated, timed out,
 * cancelled): its status and the failure with its causes. Undefined while it runs and once it
 * completed. For scripts that wait on a workflow through its query: a query still answers
 * after a failure, so without this they would wait for a state that never comes.
 */
export async function workflowEndedWithout(client: WorkflowClient, workflowId: string): Promise<string | undefined> {
  const handle = client.getHandle(workflowId);
  const { status } = await handle.describe();
  if (!ENDED_WITHOUT_COMPLETING.has(status.name)) return undefined;
  const ended = `${workflowId} ${status.name.toLowerCase().replace('_', ' ')}`;
  try {
    await handle.result();
    return ended;
  } catch (err) {
    // WorkflowFailedError says only "Workflow execution failed"; what failed is in its causes.
    return `${ended}: ${causeChain(err instanceof Error && err.cause ? err.cause : err)}`;
  }
}

export interface WorkflowWait<S> {
  /** What is awaited, for messages ("the verification code"). */
  what: string;
  /** Reads the workflow's state (its query, or an API route that answers with it). */
  read: () => Promise<S>;
  ready: (state: S) => unknown;
  /** Whether the workflow ended without completing, in words (see `workflowEndedWithout`). */
  ended: () => Promise<string | undefined>;
  /** Where it stands, for a time-out. */
  describe: (state: S) => string;
  /** Sees every state read that is not ready yet (to report a held step, say). */
  onWaiting?: (state: S) => void;
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Polls until `ready`; fails at once, naming the workflow and its error, when the workflow
 * ended without completing, and otherwise after `timeoutMs` saying where it stood.
 */
export async function waitForWorkflowState<S>(wait: WorkflowWait<S>): Promise<S> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const state = await wait.read();
    if (wait.ready(state)) return state;
    wait.onWaiting?.(state);
    const ended = await wait.ended();
    if (ended) throw new Error(`workflow ${ended} (while waiting for ${wait.what})`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${wait.what}; ${wait.describe(state)}`);
    await new Promise((resolve) => setTimeout(resolve, wait.intervalMs ?? 300));
  }
}
