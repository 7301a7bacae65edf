import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { installQuietTemporalRuntime } from './quiet-runtime';
import pino, { type Logger } from 'pino';
import { temporalRuntimeOptions } from '../../src/temporal-logger';
import type { Config } from '../../src/config';
import { createDb, type Db } from '../../src/db/knex';
import { createWorker } from '../../src/worker';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { testServices } from './test-env';

export interface RealWorkerHarness {
  client: Client;
  db: Db;
  worker: Worker;
  /** Runs `fn` while the real worker polls this test's task queue. */
  whileRunning<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The project's real worker (real activities, the run's prebuilt bundle) against this run's services. */
export async function startRealWorker(config: Config, log?: Logger): Promise<RealWorkerHarness> {
  installQuietTemporalRuntime(log && temporalRuntimeOptions(log));
  const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const db = createDb(config.DATABASE_URL);
  const worker = await createWorker({
    config,
    connection: nativeConnection,
    deps: { db, twilio: createTwilioClientFactory(config), clock: () => new Date(), log: log ?? pino({ level: 'silent' }), config },
    workflowBundle: { codePath: testServices().workflowBundlePath },
  });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  return {
    client,
    db,
    worker,
    whileRunning: (fn) => worker.runUntil(fn),
    close: async () => {
      await db.destroy();
      await connection.close();
      await nativeConnection.close();
    },
  };
}
