import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { HISTORIES_DIR, SCENARIO_NAME, historyFilePath, workflowTypeOf, type RecordedHistory } from './history-layout';

/** The recorder would overwrite, or add a version nobody asked for; nothing was written. */
export class HistoryRecordingRefused extends Error {
  override name = 'HistoryRecordingRefused';
}

export interface SaveOptions {
  /** Add another dated version of a scenario that already has one (the old ones stay). */
  newVersion?: boolean;
  /** The recording day; today (UTC) unless a test says otherwise. */
  today?: Date;
  dir?: string;
}

/**
 * Writes `<workflowType>/<scenario>.<today>.json` and returns its path relative to the
 * histories folder. Never overwrites: an existing file, or (without `newVersion`) an earlier
 * version of the same scenario, is refused, because old histories are what hold new workflow
 * code to the runs that may still be open.
 */
export function saveHistory(recorded: RecordedHistory, scenario: string, options: SaveOptions = {}): string {
  const dir = options.dir ?? HISTORIES_DIR;
  if (!SCENARIO_NAME.test(scenario)) throw new HistoryRecordingRefused(`scenario "${scenario}" is not kebab-case (a-z, 0-9, -)`);
  const workflowType = workflowTypeOf(recorded.history);
  const date = (options.today ?? new Date()).toISOString().slice(0, 10);
  const file = historyFilePath(workflowType, scenario, date);
  const folder = path.join(dir, workflowType);
  mkdirSync(folder, { recursive: true });
  const earlier = readdirSync(folder).filter((name) => name.startsWith(`${scenario}.`) && name !== path.basename(file));
  if (earlier.length > 0 && !options.newVersion) {
    throw new HistoryRecordingRefused(
      `${workflowType}/${scenario} already has ${earlier.join(', ')}, which stays as it is. If this run takes a new ` +
        'path (workflow code changed behind patched()), record it as a new version (--new-version, or ' +
        'RECORD_HISTORIES=new-version in tests) or under a scenario name of its own.',
    );
  }
  try {
    // 'wx': fails if the file exists, even one written a moment ago by another recorder.
    writeFileSync(path.join(dir, file), `${JSON.stringify(recorded, null, 1)}\n`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new HistoryRecordingRefused(
      `${file} exists and recorded histories are never overwritten. If it is not committed yet, delete it and ` +
        'record again; otherwise record this run under another scenario name.',
    );
  }
  return file;
}

export interface RecordOptions extends SaveOptions {
  workflowId: string;
  /** Without it, the workflow's latest run (each run of a continue-as-new chain has its own id). */
  runId?: string;
  scenario: string;
}

/** Fetches a run's event history from Temporal and saves it (see saveHistory). */
export async function recordHistory(client: Client, options: RecordOptions): Promise<string> {
  const history = await client.workflow.getHandle(options.workflowId, options.runId).fetchHistory();
  const recorded: RecordedHistory = { workflowId: options.workflowId, history: JSON.parse(historyToJSON(history)) as unknown };
  return saveHistory(recorded, options.scenario, options);
}
