import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASELINE_MARKER, findHistoryViolations, HistoryGuardUnavailable } from '../../src/dev/history-guard';

/** A throwaway git repository with clearsend's test/histories layout. */
function throwawayRepo() {
  const dir = mkdtempSync(path.join(tmpdir(), 'history-guard-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  git('init', '-q', '-b', 'main');
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  };
  /** Commits everything in this throwaway repository; returns the short hash. */
  const commit = (message: string) => {
    git('add', '--all', '.');
    git('commit', '-q', '--allow-empty', '-m', message);
    return git('rev-parse', '--short', 'HEAD').trim();
  };
  const baseline = () => {
    write(BASELINE_MARKER, 'append-only\n');
    return commit('histories are append-only');
  };
  return { dir, git, write, commit, baseline, check: () => findHistoryViolations(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const H1 = 'test/histories/tenantLifecycle/happy-path.2026-11-24.json';
const H2 = 'test/histories/tenantLifecycle/happy-path.2026-12-05.json';
const H3 = 'test/histories/campaignSend/completed.2026-12-05.json';

describe('the committed-history check (scripts/check-histories.ts)', () => {
  let repo: ReturnType<typeof throwawayRepo>;
  beforeEach(() => {
    repo = throwawayRepo();
  });
  afterEach(() => repo.remove());

  it('passes when histories are only added', () => {
    repo.write(H1, '{"v":1}\n');
    repo.baseline();
    expect(repo.check()).toEqual([]);
    repo.write(H2, '{"v":2}\n');
    repo.write(H3, '{"c":1}\n');
    expect(repo.check()).toEqual([]); // untracked
    repo.commit('record new versions');
    expect(repo.check()).toEqual([]);
  });

  it('fails naming a committed history modified in a later commit, and the commit', () => {
    repo.write(H1, '{"v":1}\n');
    repo.baseline();
    repo.write(H1, '{"v":1,"re-recorded":true}\n');
    const hash = repo.commit('re-record the happy path');
    expect(repo.check()).toEqual([{ file: H1, changes: [`modified in ${hash} (re-record the happy path)`] }]);
  });

  it('fails on an uncommitted change to a committed history, staged or not', () => {
    repo.write(H1, '{"v":1}\n');
    repo.write(H3, '{"c":1}\n');
    repo.baseline();
    repo.write(H1, '{"v":1,"edited":true}\n');
    unlinkSync(path.join(repo.dir, H3));
    expect(repo.check()).toEqual([
      { file: H3, changes: ['deleted in the working tree'] },
      { file: H1, changes: ['modified in the working tree'] },
    ]);
    repo.git('add', '--all', '.');
    expect(repo.check()).toHaveLength(2);
  });

  it('fails on a committed history deleted or renamed in a later commit', () => {
    repo.write(H1, '{"v":1}\n');
    repo.write(H3, '{"c":1}\n');
    repo.baseline();
    unlinkSync(path.join(repo.dir, H1));
    const deleted = repo.commit('drop the old happy path');
    renameSync(path.join(repo.dir, H3), path.join(repo.dir, 'test/histories/campaignSend/completed.2026-12-06.json'));
    const renamed = repo.commit('redate');
    expect(repo.check()).toEqual([
      { file: H3, changes: [`renamed in ${renamed} (redate)`] },
      { file: H1, changes: [`deleted in ${deleted} (drop the old happy path)`] },
    ]);
  });

  it('fails on a history added after the baseline and modified later', () => {
    repo.baseline();
    repo.write(H2, '{"v":2}\n');
    repo.commit('record');
    repo.write(H2, '{"v":3}\n');
    const hash = repo.commit('re-record');
    expect(repo.check()).toEqual([{ file: H2, changes: [`modified in ${hash} (re-record)`] }]);
  });

  it('fails on a history edited in a merge commit', () => {
    repo.write(H1, '{"v":1}\n');
    repo.baseline();
    repo.git('checkout', '-q', '-b', 'side');
    repo.write(H2, '{"v":2}\n');
    repo.commit('side records');
    repo.git('checkout', '-q', 'main');
    repo.write(H3, '{"c":1}\n');
    repo.commit('main records');
    repo.git('merge', '-q', '--no-ff', '--no-commit', 'side');
    repo.write(H1, '{"v":1,"edited in the merge":true}\n');
    const merge = repo.commit('merge side');
    expect(repo.check()).toEqual([{ file: H1, changes: [`modified in ${merge} (merge side)`] }]);
  });

  it('passes once a changed history is back as first committed', () => {
    repo.write(H1, '{"v":1}\n');
    repo.baseline();
    repo.write(H1, '{"v":"oops"}\n');
    repo.commit('re-record by mistake');
    expect(repo.check()).toHaveLength(1);
    repo.write(H1, '{"v":1}\n');
    expect(repo.check()).toEqual([]); // restored in the working tree
    repo.commit('put the recorded history back');
    expect(repo.check()).toEqual([]);
  });

  it('counts from the baseline: earlier changes, and files outside the layout moving in, pass', () => {
    repo.write(H1, '{"v":0}\n');
    repo.write('test/histories/campaign-send-completed.json', '{"c":1}\n');
    repo.commit('before the rule');
    repo.write(H1, '{"v":1}\n');
    repo.commit('re-recorded before the rule');
    repo.baseline();
    mkdirSync(path.join(repo.dir, path.dirname(H3)), { recursive: true });
    renameSync(path.join(repo.dir, 'test/histories/campaign-send-completed.json'), path.join(repo.dir, H3));
    repo.commit('into the layout');
    expect(repo.check()).toEqual([]);
  });

  it('refuses to pass unchecked without a baseline or on a shallow clone', () => {
    repo.write(H1, '{"v":1}\n');
    repo.commit('no marker');
    expect(() => repo.check()).toThrow(HistoryGuardUnavailable);
    repo.baseline();
    repo.write(H2, '{"v":2}\n');
    repo.commit('more');
    const shallow = mkdtempSync(path.join(tmpdir(), 'history-guard-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow], { stdio: 'ignore' });
      expect(() => findHistoryViolations(shallow)).toThrow(/shallow clone/);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
    expect(() => findHistoryViolations(tmpdir())).toThrow(/not a git work tree/);
  });
});
