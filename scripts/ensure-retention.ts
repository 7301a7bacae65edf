/**
 * `npm run retention:ensure`: starts the platform's data retention workflow unless it runs
 * (`npm start` does this itself; a deployment that starts the worker on its own runs this). Safe to repeat.
 */
import { Client, Connection } from '@temporalio/client';
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { ensureDataRetention } from '../src/ops/ensure-retention';
import { TEMPORAL_CONNECTION_SETTINGS, temporalConnectionOptions } from '../src/temporal-connection';

async function main() {
  const config = orExit(() =>
    parseSettings(
      configSchema.pick({
        ...TEMPORAL_CONNECTION_SETTINGS,
        TEMPORAL_NAMESPACE: true,
        TEMPORAL_TASK_QUEUE: true,
        RETENTION_INTERVAL_SECONDS: true,
        RETENTION_DAY_SECONDS: true,
      }),
      process.env,
    ),
  );
  const connection = await Connection.connect(orExit(() => temporalConnectionOptions(config)));
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const started = await ensureDataRetention(client, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      intervalMs: config.RETENTION_INTERVAL_SECONDS * 1000,
      dayMs: config.RETENTION_DAY_SECONDS * 1000,
    });
    console.log(started ? 'started the data retention workflow' : 'the data retention workflow is already running');
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
