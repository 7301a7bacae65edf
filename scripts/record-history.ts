/**
 * `npm run record-history -- [--new-version] <workflowId> <scenario> [runId]`: saves a run's event
 * history to test/histories/<workflowType>/<scenario>.<today>.json (src/dev/history-recorder.ts;
 * it never overwrites). CI replays every file there against the current workflow code
 * (test/integration/replay.test.ts), so a change that breaks determinism fails the build.
 * Record a new history whenever a workflow gains a new path worth guarding; keep the old ones.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { HistoryRecordingRefused, recordHistory } from '../src/dev/history-recorder';
import { TEMPORAL_CONNECTION_SETTINGS, temporalConnectionOptions } from '../src/temporal-connection';

const USAGE = 'usage: npm run record-history -- [--new-version] <workflowId> <scenario-in-kebab-case> [runId]';

async function main() {
  const { values, positionals } = parseArgs({ options: { 'new-version': { type: 'boolean', default: false } }, allowPositionals: true });
  const [workflowId, scenario, runId] = positionals;
  if (!workflowId || !scenario || positionals.length > 3) {
    console.error(USAGE);
    process.exit(2);
  }
  const settings = orExit(() => parseSettings(configSchema.pick({ ...TEMPORAL_CONNECTION_SETTINGS, TEMPORAL_NAMESPACE: true }), process.env));
  const connection = await Connection.connect(orExit(() => temporalConnectionOptions(settings)));
  try {
    const client = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
    const file = await recordHistory(client, { workflowId, runId, scenario, newVersion: values['new-version'] });
    console.log(`wrote test/histories/${file}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof HistoryRecordingRefused ? `refused: ${err.message}` : err instanceof Error ? err.message : err);
  process.exit(1);
});
