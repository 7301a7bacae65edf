/**
 * `npm run check:histories` (part of `npm test` and `.ci/run`): fails when a committed workflow
 * history under test/histories was modified, deleted or renamed, in a commit since the rule came in
 * or in the working tree (src/dev/history-guard.ts). Needs the full git history, not a shallow clone.
 */
import path from 'node:path';
import { findHistoryViolations, HistoryGuardUnavailable } from '../src/dev/history-guard';

try {
  const violations = findHistoryViolations(path.resolve(__dirname, '..'));
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
