/**
 * `npm run check:histories` (part of `npm test` and `.ci/run`): fails when a committed workflow
 * history under test/histories was modified, deleted or renamed, in a commit since the rule came in
 * or in the working tree (src/dev/history-guard.ts). Needs the full git history, not a shallow clone.
 */
import path from 'node:path';
import { findHistoryViolations, findUncommittedHistoryChanges, HistoryGuardUnavailable, type HistoryViolation } from '../src/dev/history-guard';

const repoDir = path.resolve(__dirname, '..');

/**
 * A shallow clone lacks the commits to walk; rather than fail a build over how it was cloned
 * (.ci/run unshallows first when it can), it says loudly what it could not check and still holds
 * the working tree to HEAD.
 */
function violationsHere(): HistoryViolation[] {
  try {
    return findHistoryViolations(repoDir);
  } catch (err) {
    if (!(err instanceof HistoryGuardUnavailable) || !err.shallow) throw err;
    console.warn(`WARNING: history check limited to the working tree: ${err.message}`);
    return findUncommittedHistoryChanges(repoDir);
  }
}

try {
  const violations = violationsHere();
  if (violations.length > 0) {
    console.error('Recorded histories are append-only; these committed ones changed:');
    for (const v of violations) console.error(`  ${v.file}: ${v.changes.join('; ')}`);
    console.error(
      'Put each back as it was first committed (git show <commit>^:<file> > <file>) and record the new run beside it ' +
        '(npm run record-history, or RECORD_HISTORIES=1): README, Development, "Changing workflow code".',
    );
    process.exit(1);
  }
  console.log('recorded histories: none changed');
} catch (err) {
  if (!(err instanceof HistoryGuardUnavailable)) throw err;
  console.error(`history check cannot run: ${err.message}`);
  process.exit(1);
}
