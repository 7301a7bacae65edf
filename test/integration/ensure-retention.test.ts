import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ensureDataRetention } from '../../src/ops/ensure-retention';
import { DATA_RETENTION_WORKFLOW_ID } from '../../src/workflows/data-retention/definitions';
import { testServices } from '../support/test-env';

/** `npm start` ensures the platform's data retention workflow: started when missing, a running one left alone. */
describe('ensureDataRetention', () => {
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: testServices().temporalAddress });
    client = new Client({ connection });
  });
  afterAll(() => connection.close());

  it('starts the one data retention workflow when none runs, and only then', async () => {
    // No worker polls this queue: the workflow is started and looked at, never run (other test files share the database).
    const taskQueue = `ensure-retention-${randomBytes(3).toString('hex')}`;
    const handle = client.workflow.getHandle(DATA_RETENTION_WORKFLOW_ID);
    expect(await ensureDataRetention(client, { taskQueue, intervalMs: 3_600_000 })).toBe(true);
    const first = await handle.describe();
    expect(first.status.name).toBe('RUNNING');
    expect(await ensureDataRetention(client, { taskQueue, intervalMs: 3_600_000 })).toBe(false);
    expect((await handle.describe()).runId).toBe(first.runId);
    // Terminated by hand: the next start brings it back.
    await handle.terminate('test');
    expect(await ensureDataRetention(client, { taskQueue, intervalMs: 3_600_000 })).toBe(true);
    expect((await handle.describe()).runId).not.toBe(first.runId);
    await handle.terminate('test over');
  });
});
