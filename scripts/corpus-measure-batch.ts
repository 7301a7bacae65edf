/**
 * Judges a NEW batch of labelled outbound messages with the engine as committed, BEFORE the batch
 * is split (scripts/corpus-split-batch.ts), and prints one JSON line for
 * bench/results/compliance-fresh-batches.jsonl. Nobody has read the batch while writing rules, so
 * this is the engine's figure on text it was not written from; after the split, only its train
 * half may be read. Misses are not printed (that would be reading the batch); only counts.
 *
 *   npx tsx scripts/corpus-measure-batch.ts <batch name> <note> <file.jsonl> [...]
 */
import { execFileSync } from 'node:child_process';
import { CATEGORY_IDS } from '../src/domain/compliance/policy';
import { judgeMessage } from '../src/domain/compliance/judge';
import { measureJudgement } from '../src/domain/compliance/evaluation';
import { newExamplesFrom, readCorpus, corpusKey } from '../test/support/compliance-corpus';

const [batch, note, ...files] = process.argv.slice(2);
if (!batch || !note || !files.length) throw new Error('usage: corpus-measure-batch.ts <batch name> <note> <file.jsonl> [...]');

const seen = new Set([...readCorpus('outbound', 'train'), ...readCorpus('outbound', 'heldout')].map((e) => corpusKey(e.text)));
const { fresh, skipped } = newExamplesFrom([...files].sort(), new Set<string>([...CATEGORY_IDS, 'legit']), seen);
const figures = measureJudgement(fresh, (text) => judgeMessage(text));
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src/domain/compliance'], { encoding: 'utf8' }).trim() !== '';
process.stdout.write(
  JSON.stringify({
    bench: 'compliance-fresh-batch',
    batch,
    measuredBeforeSplit: true,
    engineCommit: dirty ? `${commit}+uncommitted` : commit,
    at: new Date().toISOString().slice(0, 16) + 'Z',
    machine: process.env.BENCH_MACHINE ?? 'go-svc 2 cores',
    note,
    examples: fresh.length,
    skippedAsAlreadyInCorpus: skipped,
    precision: figures.blocked.precision,
    recall: figures.blocked.recall,
    fp: figures.blocked.falsePositives,
    fn: figures.blocked.falseNegatives,
    perCategory: Object.fromEntries(Object.entries(figures.perCategory).map(([k, v]) => [k, v.recall])),
  }) + '\n',
);
