import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listHistoryFiles, readHistoryFile, retiredHistories } from '../../src/dev/history-layout';
import { HistoryRecordingRefused, saveHistory } from '../../src/dev/history-recorder';

/** The start of a history as Temporal's historyToJSON writes it. */
function runOf(workflowType: string, marker: string) {
  return {
    workflowId: `${workflowType}/${marker}`,
    history: {
      events: [
        {
          eventId: '1',
          eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
          workflowExecutionStartedEventAttributes: { workflowType: { name: workflowType }, input: { payloads: [] } },
        },
      ],
    },
  };
}

const DAY_1 = new Date('2026-11-24T23:59:00Z');
const DAY_2 = new Date('2026-12-05T00:01:00Z');

describe('the history recorder (npm run record-history, RECORD_HISTORIES=1)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'histories-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const contentOf = (file: string) => readFileSync(path.join(dir, file), 'utf8');

  it('files a run under its workflow type, scenario and recording day (UTC)', () => {
    const file = saveHistory(runOf('tenantLifecycle', 'a'), 'happy-path', { dir, today: DAY_1 });
    expect(file).toBe('tenantLifecycle/happy-path.2026-11-24.json');
    expect(JSON.parse(contentOf(file))).toEqual(runOf('tenantLifecycle', 'a'));
    expect(listHistoryFiles(dir)).toEqual([{ file, workflowType: 'tenantLifecycle', scenario: 'happy-path', date: '2026-11-24' }]);
  });

  it('never overwrites a history file', () => {
    const file = saveHistory(runOf('tenantLifecycle', 'a'), 'happy-path', { dir, today: DAY_1 });
    for (const newVersion of [false, true]) {
      expect(() => saveHistory(runOf('tenantLifecycle', 'b'), 'happy-path', { dir, today: DAY_1, newVersion })).toThrow(HistoryRecordingRefused);
    }
    expect(JSON.parse(contentOf(file))).toEqual(runOf('tenantLifecycle', 'a'));
  });

  it('adds a later version of a scenario only when asked to, keeping the earlier one', () => {
    const first = saveHistory(runOf('campaignSend', 'a'), 'completed', { dir, today: DAY_1 });
    expect(() => saveHistory(runOf('campaignSend', 'b'), 'completed', { dir, today: DAY_2 })).toThrow(
      /campaignSend\/completed already has completed\.2026-11-24\.json.*new version/,
    );
    expect(listHistoryFiles(dir).map((f) => f.file)).toEqual([first]);

    const second = saveHistory(runOf('campaignSend', 'b'), 'completed', { dir, today: DAY_2, newVersion: true });
    expect(second).toBe('campaignSend/completed.2026-12-05.json');
    expect(listHistoryFiles(dir).map((f) => f.file)).toEqual([first, second]);
    expect(JSON.parse(contentOf(first))).toEqual(runOf('campaignSend', 'a'));
    // Another scenario, or the same scenario of another workflow type, is not a version of it.
    expect(saveHistory(runOf('campaignSend', 'c'), 'completed-twice', { dir, today: DAY_2 })).toBe('campaignSend/completed-twice.2026-12-05.json');
    expect(saveHistory(runOf('tenantMonitor', 'd'), 'completed', { dir, today: DAY_2 })).toBe('tenantMonitor/completed.2026-12-05.json');
  });

  it('refuses a scenario name that is not kebab-case, and a history without its start event', () => {
    for (const bad of ['Happy-path', 'happy_path', '../happy', 'happy.path', '']) {
      expect(() => saveHistory(runOf('tenantLifecycle', 'a'), bad, { dir, today: DAY_1 })).toThrow(HistoryRecordingRefused);
    }
    expect(() => saveHistory({ workflowId: 'x', history: { events: [] } }, 'empty', { dir, today: DAY_1 })).toThrow(/WorkflowExecutionStarted/);
    expect(listHistoryFiles(dir)).toEqual([]);
  });

  it('lists only files in the layout, naming any that is not', () => {
    saveHistory(runOf('tenantLifecycle', 'a'), 'happy-path', { dir, today: DAY_1 });
    writeFileSync(path.join(dir, 'README.md'), 'append-only\n');
    writeFileSync(path.join(dir, 'retired.json'), '{}');
    expect(listHistoryFiles(dir)).toHaveLength(1);
    writeFileSync(path.join(dir, 'tenant-lifecycle-new.json'), '{}');
    mkdirSync(path.join(dir, 'campaignSend'));
    writeFileSync(path.join(dir, 'campaignSend', 'completed.json'), '{}');
    expect(() => listHistoryFiles(dir)).toThrow(/campaignSend\/completed\.json, tenant-lifecycle-new\.json/);
  });

  it('reads a history back, refusing one filed under another workflow type', () => {
    const file = saveHistory(runOf('tenantLifecycle', 'a'), 'happy-path', { dir, today: DAY_1 });
    const [entry] = listHistoryFiles(dir);
    expect(readHistoryFile(entry, dir)).toEqual(runOf('tenantLifecycle', 'a'));
    mkdirSync(path.join(dir, 'campaignSend'));
    writeFileSync(path.join(dir, 'campaignSend', 'misfiled.2026-11-24.json'), contentOf(file));
    const misfiled = listHistoryFiles(dir).find((f) => f.workflowType === 'campaignSend')!;
    expect(() => readHistoryFile(misfiled, dir)).toThrow('campaignSend/misfiled.2026-11-24.json: a run of tenantLifecycle, filed under campaignSend');
  });

  it('reads the retired histories, each with why', () => {
    expect(retiredHistories(dir)).toEqual(new Map());
    writeFileSync(path.join(dir, 'retired.json'), JSON.stringify({ 'tenantLifecycle/happy-path.2026-11-24.json': "deprecatePatch('x'): no older run open" }));
    expect(retiredHistories(dir)).toEqual(new Map([['tenantLifecycle/happy-path.2026-11-24.json', "deprecatePatch('x'): no older run open"]]));
    writeFileSync(path.join(dir, 'retired.json'), JSON.stringify({ 'tenantLifecycle/happy-path.2026-11-24.json': '' }));
    expect(() => retiredHistories(dir)).toThrow(/say why it is retired/);
  });
});
