import { randomUUID } from 'node:crypto';
import { platformSelfCheck } from '../../src/workflows';
import { selfCheckWorkflowId } from '../../src/workflows/platform-self-check';
import { testConfig } from '../support/test-env';
import { startRealWorker, type RealWorkerHarness } from '../support/temporal';

describe('platform self-check on the real Temporal dev server', () => {
  const config = testConfig();
  let harness: RealWorkerHarness;
  beforeAll(async () => {
    harness = await startRealWorker(config);
  });
  afterAll(() => harness.close());

  it('is run by the real worker, whose activity reads PostgreSQL', async () => {
    const workflowId = selfCheckWorkflowId(randomUUID());
    const result = await harness.whileRunning(() => harness.client.workflow.execute(platformSelfCheck, { workflowId, taskQueue: config.TEMPORAL_TASK_QUEUE }));
    expect(result.workflowId).toBe(workflowId);
    expect(result.database.latestMigration).toMatch(/^\d{8}_\d{3}_/);

    // The run is recorded on the server: its history shows the activity completed.
    const history = await harness.client.workflow.getHandle(workflowId).fetchHistory();
    const types = (history.events ?? []).map((e) => e.activityTaskCompletedEventAttributes && 'completed').filter(Boolean);
    expect(types).toHaveLength(1);
  });
});
