import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Recorded workflow histories, replayed against today's workflow code by
 * test/integration/replay.test.ts. One file per recorded run:
 * `test/histories/<workflowType>/<scenario>.<YYYY-MM-DD>.json` (the workflow type as Temporal
 * names it, a kebab-case scenario, the day it was recorded). The store is append-only: a new
 * version of a scenario gets a new date and the old file stays, for runs of the old code that may
 * still be open (scripts/check-histories.ts fails when a committed one changes).
 */
export const HISTORIES_DIR = path.resolve(__dirname, '../../test/histories');

/** Not a history: explains the folder, and its first commit is the checker's baseline. */
export const HISTORIES_README = 'README.md';

/**
 * Not a history: `{ "<file>": "<why>" }` for histories kept on file but no longer replayed, once
 * a deprecatePatch() has dropped the code that ran them and no run of that code can be open.
 */
export const RETIRED_HISTORIES = 'retired.json';

export const SCENARIO_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const WORKFLOW_TYPE_NAME = /^[a-z][A-Za-z0-9]*$/;
const HISTORY_FILE_NAME = /^(?<scenario>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?<date>\d{4}-\d{2}-\d{2})\.json$/;

export interface HistoryFile {
  /** Relative to the histories folder, with forward slashes: `tenantLifecycle/happy-path.2026-11-24.json`. */
  file: string;
  workflowType: string;
  scenario: string;
  date: string;
}

/** What a history file holds: the run's workflow id (histories do not carry it) and its events as JSON. */
export interface RecordedHistory {
  workflowId: string;
  history: unknown;
}

const historySchema = z.object({ events: z.array(z.unknown()).min(1) });
const recordedHistorySchema = z.object({ workflowId: z.string().min(1), history: historySchema });

const startedEventSchema = z.object({
  eventType: z.literal('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED'),
  workflowExecutionStartedEventAttributes: z.object({ workflowType: z.object({ name: z.string().regex(WORKFLOW_TYPE_NAME) }) }),
});

export function historyFilePath(workflowType: string, scenario: string, date: string): string {
  return `${workflowType}/${scenario}.${date}.json`;
}

/** The workflow type a history (as JSON, the way Temporal's historyToJSON writes it) is a run of. */
export function workflowTypeOf(history: unknown): string {
  const parsed = historySchema.safeParse(history);
  const started = startedEventSchema.safeParse(parsed.success ? parsed.data.events[0] : undefined);
  if (!started.success) throw new Error('the history does not start with a WorkflowExecutionStarted event naming a workflow type');
  return started.data.workflowExecutionStartedEventAttributes.workflowType.name;
}

/**
 * Every history file under `dir`, sorted. Throws naming each file that is not in the layout
 * (a flat `test/histories/x.json`, a bad scenario or date), so none is silently skipped.
 */
export function listHistoryFiles(dir: string = HISTORIES_DIR): HistoryFile[] {
  const found: HistoryFile[] = [];
  const misplaced: string[] = [];
  for (const top of readdirSync(dir, { withFileTypes: true })) {
    if (top.isFile() && (top.name === HISTORIES_README || top.name === RETIRED_HISTORIES)) continue;
    if (!top.isDirectory() || !WORKFLOW_TYPE_NAME.test(top.name)) {
      misplaced.push(top.name);
      continue;
    }
    for (const entry of readdirSync(path.join(dir, top.name), { withFileTypes: true })) {
      const match = entry.isFile() ? HISTORY_FILE_NAME.exec(entry.name) : null;
      const { scenario, date } = match?.groups ?? {};
      if (!scenario || !date || Number.isNaN(Date.parse(date))) misplaced.push(`${top.name}/${entry.name}`);
      else found.push({ file: historyFilePath(top.name, scenario, date), workflowType: top.name, scenario, date });
    }
  }
  if (misplaced.length > 0) {
    throw new Error(
      `not in the layout <workflowType>/<scenario>.<YYYY-MM-DD>.json under ${dir}: ${misplaced.sort().join(', ')} ` +
        '(git mv it there, workflow type from its first event, date from the day it was recorded)',
    );
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

const retiredSchema = z.record(z.string().regex(/^[^/]+\/[^/]+\.json$/), z.string().min(1, 'say why it is retired'));

/** The retired histories (file → why), none when there is no retired.json. */
export function retiredHistories(dir: string = HISTORIES_DIR): Map<string, string> {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path.join(dir, RETIRED_HISTORIES), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  const parsed = retiredSchema.safeParse(content);
  if (!parsed.success) throw new Error(`${RETIRED_HISTORIES}: ${parsed.error.message}`);
  return new Map(Object.entries(parsed.data));
}

/** Reads a history file, checking that it holds a run of the workflow type its folder names. */
export function readHistoryFile(entry: HistoryFile, dir: string = HISTORIES_DIR): RecordedHistory {
  const content: unknown = JSON.parse(readFileSync(path.join(dir, entry.file), 'utf8'));
  const parsed = recordedHistorySchema.safeParse(content);
  if (!parsed.success) throw new Error(`${entry.file}: not a recorded history: ${parsed.error.message}`);
  // The file's own object, not zod's output: parsing strips the event fields the schema does not name.
  const { workflowId, history } = content as RecordedHistory;
  const type = workflowTypeOf(history);
  if (type !== entry.workflowType) throw new Error(`${entry.file}: a run of ${type}, filed under ${entry.workflowType}`);
  return { workflowId, history };
}
