/**
 * `npm run record-history -- <workflowId> <name>`: saves a finished run's event history to
 * test/histories/<name>.json. CI replays every file there against the current workflow code
 * (test/integration/replay.test.ts), so a change that breaks determinism fails the build.
 * Record a new history whenever a workflow gains a new path worth guarding.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { TEMPORAL_CONNECTION_SETTINGS, temporalConnectionOptions } from '../src/temporal-connection';

async function main() {
  const [workflowId, name] = process.argv.slice(2);
  if (!workflowId || !name || !/^[a-z0-9-]+$/.test(name)) {
    console.error('usage: npm run record-history -- <workflowId> <name-in-kebab-case>');
    process.exit(2);
  }
  const settings = orExit(() => parseSettings(configSchema.pick({ ...TEMPORAL_CONNECTION_SETTINGS, TEMPORAL_NAMESPACE: true }), process.env));
  const connection = await Connection.connect(orExit(() => temporalConnectionOptions(settings)));
  try {
    const client = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const file = path.resolve(__dirname, '../test/histories', `${name}.json`);
    writeFileSync(file, `${JSON.stringify({ workflowId, history: JSON.parse(historyToJSON(history)) as unknown }, null, 1)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
