import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { installQuietTemporalRuntime } from './quiet-runtime';
import { testServices } from './test-env';

/**
 * For tests about workflow logic only: the real dev server and the run's real workflow
 * bundle, with activities the test supplies. A fresh task queue per call isolates tests.
 */
export async function workflowLogicHarness(activities: object) {
  installQuietTemporalRuntime();
  const { temporalAddress, workflowBundlePath } = testServices();
  const taskQueue = `logic-${randomBytes(4).toString('hex')}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const connection = await Connection.connect({ address: temporalAddress });
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle: { codePath: workflowBundlePath }, activities });
  const client = new Client({ connection });
  const running = worker.run();
  return {
    client,
    taskQueue,
    close: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** Kept here for the test files that import it from this module; see ./eventually. */
export { eventually } from './eventually';
