import { execFileSync } from 'node:child_process';
import { HISTORIES_README } from './history-layout';

/**
 * Recorded histories are append-only: replay only proves that new workflow code still runs the
 * old runs if the old histories stay as they were recorded. (The change this guards against
 * replaced an activity with a child workflow without patched() and re-recorded the histories
 * in the same commit, so replay never saw the break that running workflows then hit.)
 *
 * A history is a file one folder deep under test/histories, ending in .json. Counted from the
 * baseline (the commit that first added test/histories/README.md, which brought in this rule),
 * every history any commit since has modified, deleted, renamed or retyped, or that the working
 * tree (staged or not) changes, is a violation unless the working tree holds it again exactly as
 * first committed: a mistaken commit is repaired by restoring the file, not by rewriting main.
 * Adding histories is always fine; files outside the layout (e.g. a flat test/histories/x.json)
 * are not histories and may move into it.
 *
 * Hand-written on git's own command line: a few log/diff/rev-parse calls, no library needed.
 */
const HISTORIES = 'test/histories';
export const BASELINE_MARKER = `${HISTORIES}/${HISTORIES_README}`;
const IS_HISTORY = /^test\/histories\/[^/]+\/[^/]+\.json$/;
const CHANGES = 'DMRT';
const CHANGE_NAMES: Record<string, string> = { D: 'deleted', M: 'modified', R: 'renamed', T: 'changed type' };

/** The check cannot run here (no git, shallow clone, no baseline): fail rather than pass unchecked. */
export class HistoryGuardUnavailable extends Error {
  override name = 'HistoryGuardUnavailable';
  constructor(
    message: string,
    /** A shallow clone: the commits are missing, but the working tree can still be held to HEAD. */
    readonly shallow = false,
  ) {
    super(message);
  }
}

export interface HistoryViolation {
  file: string;
  /** What happened to it and where: "modified in 1a2b3c4 (Re-record …)", "deleted in the working tree". */
  changes: string[];
}

type Git = (...args: string[]) => string;

function gitIn(repoDir: string): Git {
  return (...args) => execFileSync('git', ['-c', 'core.quotePath=false', ...args], { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function baselineOf(git: Git): string {
  try {
    if (git('rev-parse', '--is-inside-work-tree').trim() !== 'true') throw new Error('not a work tree');
  } catch {
    throw new HistoryGuardUnavailable('not a git work tree: the history check reads the repository history');
  }
  if (git('rev-parse', '--is-shallow-repository').trim() === 'true') {
    throw new HistoryGuardUnavailable('a shallow clone: fetch the full history (git fetch --unshallow) so every commit since the baseline is checked', true);
  }
  const baseline = git('log', '--diff-filter=A', '--format=%H', '--', BASELINE_MARKER).trim().split('\n').filter(Boolean).at(-1);
  if (!baseline) throw new HistoryGuardUnavailable(`no commit adds ${BASELINE_MARKER}, the baseline the check counts from`);
  return baseline;
}

/** `--name-status` lines (after `>commit` header lines from `--format=>…`) → changed history paths. */
function historyChanges(output: string, where: (header: string) => string): { file: string; change: string }[] {
  const found: { file: string; change: string }[] = [];
  let header = '';
  for (const line of output.split('\n')) {
    if (line.startsWith('>')) header = line.slice(1);
    const [status, from] = line.split('\t');
    if (!status || from === undefined) continue;
    const kind = CHANGE_NAMES[status[0]];
    if (kind && IS_HISTORY.test(from)) found.push({ file: from, change: `${kind} in ${where(header)}` });
  }
  return found;
}

/** The blob a history had when first committed at or after the baseline. */
function firstCommittedBlob(git: Git, baseline: string, file: string): string {
  const commit = (() => {
    try {
      git('cat-file', '-e', `${baseline}:${file}`);
      return baseline;
    } catch {
      return git('log', '-m', '--diff-filter=A', '--format=%H', `${baseline}..HEAD`, '--', file).trim().split('\n').filter(Boolean).at(-1);
    }
  })();
  return commit ? git('rev-parse', `${commit}:${file}`).trim() : '';
}

function workingTreeBlob(git: Git, file: string): string | undefined {
  try {
    return git('hash-object', '--', file).trim();
  } catch {
    return undefined;
  }
}

/**
 * Histories the working tree changes against HEAD: all a shallow clone (where the commits since the
 * baseline are missing) can still check.
 */
export function findUncommittedHistoryChanges(repoDir: string): HistoryViolation[] {
  const git = gitIn(repoDir);
  return historyChanges(git('diff', '-M', `--diff-filter=${CHANGES}`, '--name-status', 'HEAD', '--', HISTORIES), () => 'the working tree').map(
    ({ file, change }) => ({ file, changes: [change] }),
  );
}

/** Every committed history that is no longer as first committed, with what changed it. */
export function findHistoryViolations(repoDir: string): HistoryViolation[] {
  const git = gitIn(repoDir);
  const baseline = baselineOf(git);
  // -m: a merge's own changes (e.g. a conflict resolved by editing a history) count too.
  const committed = historyChanges(
    git('log', '-m', '-M', `--diff-filter=${CHANGES}`, '--name-status', '--format=>%h (%s)', `${baseline}..HEAD`, '--', HISTORIES),
    (header) => header,
  );
  const uncommitted = historyChanges(git('diff', '-M', `--diff-filter=${CHANGES}`, '--name-status', 'HEAD', '--', HISTORIES), () => 'the working tree');

  const changesByFile = new Map<string, Set<string>>();
  for (const { file, change } of [...committed.reverse(), ...uncommitted]) changesByFile.set(file, (changesByFile.get(file) ?? new Set()).add(change));
  const violations: HistoryViolation[] = [];
  for (const [file, changes] of changesByFile) {
    const original = firstCommittedBlob(git, baseline, file);
    if (original && workingTreeBlob(git, file) === original) continue;
    violations.push({ file, changes: [...changes] });
  }
  return violations.sort((a, b) => a.file.localeCompare(b.file));
}
