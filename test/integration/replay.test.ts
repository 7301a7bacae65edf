import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { listHistoryFiles, readHistoryFile, retiredHistories, type HistoryFile } from '../../src/dev/history-layout';
import { testServices } from '../support/test-env';

/**
 * Replays every recorded history (test/histories/<workflowType>/<scenario>.<date>.json, made
 * with `npm run record-history` or RECORD_HISTORIES=1) against today's workflow bundle, one
 * replay worker per workflow type: a non-deterministic change fails here, naming each file it
 * breaks, not in production. Retired histories (test/histories/retired.json: their code is gone
 * behind a deprecatePatch and no run of it can be open) stay on file but are not replayed.
 */
const onFile = listHistoryFiles();
const retired = retiredHistories();
const files = onFile.filter((f) => !retired.has(f.file));
const byWorkflowType = new Map<string, HistoryFile[]>();
for (const f of files) byWorkflowType.set(f.workflowType, [...(byWorkflowType.get(f.workflowType) ?? []), f]);

describe('recorded histories replay against the current workflow code', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('retires only histories that are on file', () => {
    expect([...retired.keys()].filter((file) => !onFile.some((f) => f.file === file))).toEqual([]);
  });

  it.each([...byWorkflowType])('%s', async (_workflowType, group) => {
    const histories = group.map((f) => {
      const { workflowId, history } = readHistoryFile(f);
      return { workflowId, history: historyFromJSON(history) };
    });
    const results = Worker.runReplayHistories({ workflowBundle: { codePath: testServices().workflowBundlePath } }, histories);
    // The worker replays one history at a time and yields one result for each, in order.
    const broken: string[] = [];
    let replayed = 0;
    for await (const { error } of results) {
      if (error) broken.push(`${group[replayed].file}: ${error.message}`);
      replayed += 1;
    }
    expect(broken).toEqual([]);
    expect(replayed).toBe(group.length);
  });
});
