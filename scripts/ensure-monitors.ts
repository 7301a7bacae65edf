/**
 * `npm run monitors:ensure`: starts a monitor for every active tenant without a running one
 * (e.g. tenants activated before the monitor existed). Safe to repeat.
 */
import { Client, Connection } from '@temporalio/client';
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { createDb } from '../src/db/knex';
import { ensureTenantMonitors } from '../src/ops/ensure-monitors';
import { TEMPORAL_CONNECTION_SETTINGS, temporalConnectionOptions } from '../src/temporal-connection';

async function main() {
  const config = orExit(() =>
    parseSettings(
      configSchema.pick({
        ...TEMPORAL_CONNECTION_SETTINGS,
        DATABASE_URL: true,
        TEMPORAL_NAMESPACE: true,
        TEMPORAL_TASK_QUEUE: true,
        MONITOR_INTERVAL_SECONDS: true,
      }),
      process.env,
    ),
  );
  const temporalOptions = orExit(() => temporalConnectionOptions(config));
  const db = createDb(config.DATABASE_URL, { max: 1 });
  const connection = await Connection.connect(temporalOptions);
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const { active, started } = await ensureTenantMonitors(db, client, {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      intervalMs: config.MONITOR_INTERVAL_SECONDS * 1000,
    });
    console.log(`${active} active tenants; started ${started.length} monitors${started.length ? `: ${started.join(', ')}` : ''}`);
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
