import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { loadConfig, type Config } from './config';
import { orExit } from './config-cli';
import { createActivities } from './activities';
import { createDb } from './db/knex';
import { createLogger } from './logger';
import { temporalRuntimeOptions } from './temporal-logger';
import { createTwilioClientFactory } from './twilio/client-factory';
import { temporalConnectionOptions } from './temporal-connection';
import type { ActivityDeps } from './activities/deps';

export interface WorkerParts {
  config: Config;
  connection: NativeConnection;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests build one per run); otherwise workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function createWorker({ config, connection, deps, workflowBundle }: WorkerParts): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('./workflows') }),
    activities: createActivities(deps),
  });
}

async function main() {
  const config = orExit(() => loadConfig());
  const log = createLogger({ level: config.LOG_LEVEL, name: 'clearsend-worker' });
  // The runtime's default shutdown signals (SIGINT, SIGTERM, …) drain the worker gracefully:
  // run() resolves once in-flight tasks finish, then we close what we opened.
  Runtime.install(temporalRuntimeOptions(log));
  const connection = await NativeConnection.connect(orExit(() => temporalConnectionOptions(config)));
  const db = createDb(config.DATABASE_URL);
  try {
    const worker = await createWorker({
      config,
      connection,
      workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined,
      deps: { db, twilio: createTwilioClientFactory(config), clock: () => new Date(), log, config },
    });
    log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS }, 'worker running');
    await worker.run();
    log.info('worker stopped');
  } finally {
    await db.destroy();
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
