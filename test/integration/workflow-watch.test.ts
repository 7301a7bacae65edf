import { randomBytes } from 'node:crypto';
import { notificationEmail, platformSelfCheck } from '../../src/workflows';
import { waitForWorkflowState, workflowEndedWithout } from '../../src/dev/workflow-watch';
import { startRealWorker, type RealWorkerHarness } from '../support/temporal';
import { testConfig } from '../support/test-env';

/**
 * What `npm run demo` uses to wait on a tenant's lifecycle: a workflow that failed is named
 * with its error as soon as it is seen, instead of the wait running into its time-out. Real
 * worker, real Temporal and PostgreSQL; the failure is a real one (an email for a
 * notification that does not exist).
 */
describe('waiting on a workflow from outside', () => {
  const config = testConfig();
  let w: RealWorkerHarness;
  let running: Promise<void>;
  beforeAll(async () => {
    w = await startRealWorker(config);
    running = w.worker.run();
  });
  afterAll(async () => {
    w.worker.shutdown();
    await running;
    await w.close();
  });
  const id = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

  it('names a failed workflow and its error at once, not after the time-out', async () => {
    const workflowId = id('email/reply-missing');
    await w.client.workflow.start(notificationEmail, { workflowId, taskQueue: config.TEMPORAL_TASK_QUEUE, args: [{ kind: 'reply', id: '987654321' }] });
    const waiting = waitForWorkflowState({
      what: 'the email',
      read: async () => 'no email yet',
      ready: () => false,
      ended: () => workflowEndedWithout(w.client.workflow, workflowId),
      describe: (s) => s,
      // Far beyond jest's own time-out: only the failure can end this wait in time.
      timeoutMs: 30 * 60_000,
      intervalMs: 100,
    });
    await expect(waiting).rejects.toThrow(
      `workflow ${workflowId} failed: Activity task failed: NotFound: no notification 987654321 (while waiting for the email)`,
    );
  });

  it('says nothing of a workflow that runs or completed, and names a terminated one with its reason', async () => {
    const unpolled = id('self-check-unpolled');
    const handle = await w.client.workflow.start(platformSelfCheck, { workflowId: unpolled, taskQueue: `${config.TEMPORAL_TASK_QUEUE}-nobody` });
    expect(await workflowEndedWithout(w.client.workflow, unpolled)).toBeUndefined();
    await handle.terminate('operator stopped it');
    expect(await workflowEndedWithout(w.client.workflow, unpolled)).toBe(`${unpolled} terminated: operator stopped it`);

    const completed = id('self-check');
    await w.client.workflow.execute(platformSelfCheck, { workflowId: completed, taskQueue: config.TEMPORAL_TASK_QUEUE });
    expect(await workflowEndedWithout(w.client.workflow, completed)).toBeUndefined();
  });

  it('still times out, saying where it stood, while the workflow runs', async () => {
    const unpolled = id('self-check-unpolled');
    const handle = await w.client.workflow.start(platformSelfCheck, { workflowId: unpolled, taskQueue: `${config.TEMPORAL_TASK_QUEUE}-nobody` });
    try {
      const waiting = waitForWorkflowState({
        what: 'the check',
        read: async () => 'queued',
        ready: () => false,
        ended: () => workflowEndedWithout(w.client.workflow, unpolled),
        describe: (s) => `it is ${s}`,
        timeoutMs: 300,
        intervalMs: 50,
      });
      await expect(waiting).rejects.toThrow('timed out waiting for the check; it is queued');
    } finally {
      await handle.terminate('test over');
    }
  });
});
