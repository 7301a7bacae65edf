/**
 * Splits a NEW batch of labelled outbound messages, written by people who read neither the
 * corpus nor the engine, between train and held-out by the fixed seed — once, before anything is
 * tuned on it — and appends both parts to the corpus. The first split (scripts/corpus-split.ts)
 * left 19 held-out messages a category, where one miss moves recall by 0.05; a fresh batch split
 * the same way is the honest way to measure on more messages nobody tuned to.
 *
 * A batch is split once: its name goes into `batches.json` and the script refuses a name it has
 * seen. Messages already in either part are skipped, so nothing can move between parts.
 *
 *   npx tsx scripts/corpus-split-batch.ts <batch name> <held-out share> <file.jsonl> [...]
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { CATEGORY_IDS } from '../src/domain/compliance/policy';
import { CORPUS_DIR, CORPUS_SEED, corpusKey, newExamplesFrom, nextCorpusNumber, readCorpus, type CorpusExample } from '../test/support/compliance-corpus';

const [batch, shareText, ...files] = process.argv.slice(2);
const share = Number(shareText);
if (!batch || !(share > 0 && share < 1) || !files.length) throw new Error('usage: corpus-split-batch.ts <batch name> <held-out share> <file.jsonl> [...]');

const ledgerPath = path.join(CORPUS_DIR, 'batches.json');
type Ledger = Record<string, { heldOutShare: number; seed: string; train: number; heldOut: number; skipped: number }>;
const ledger = (existsSync(ledgerPath) ? JSON.parse(readFileSync(ledgerPath, 'utf8')) : {}) as Ledger;
if (ledger[batch]) throw new Error(`batch ${batch} was split already; a batch is split once`);

const labels = new Set<string>([...CATEGORY_IDS, 'legit']);
const train = readCorpus('outbound', 'train');
const heldOut = readCorpus('outbound', 'heldout');
const seen = new Set([...train, ...heldOut].map((e) => corpusKey(e.text)));
const { fresh, skipped } = newExamplesFrom([...files].sort(), labels, seen);
const byLabel = new Map<string, CorpusExample[]>();
for (const e of fresh) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), { text: e.text, label: e.label, messageType: e.messageType, note: e.note }]);

const seed = `${CORPUS_SEED}/${batch}/outbound`;
const random = seedrandom(seed);
let nextTrain = nextCorpusNumber(train);
let nextHeldOut = nextCorpusNumber(heldOut);
const counts = { train: 0, heldOut: 0 };
for (const label of [...byLabel.keys()].sort()) {
  const group = byLabel.get(label)!;
  // Fisher–Yates with the seeded generator, as in the first split.
  for (let i = group.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [group[i], group[j]] = [group[j], group[i]];
  }
  const cut = Math.round(group.length * share);
  const note = (e: CorpusExample) => ({ ...e, note: [e.note, `batch ${batch}`].filter(Boolean).join('; ') });
  const heldOutLines = group.slice(0, cut).map((e) => JSON.stringify({ id: `oh${String(nextHeldOut++).padStart(4, '0')}`, ...note(e) }));
  const trainLines = group.slice(cut).map((e) => JSON.stringify({ id: `ot${String(nextTrain++).padStart(4, '0')}`, ...note(e) }));
  if (heldOutLines.length) appendFileSync(path.join(CORPUS_DIR, 'outbound.heldout.jsonl'), `${heldOutLines.join('\n')}\n`);
  if (trainLines.length) appendFileSync(path.join(CORPUS_DIR, 'outbound.train.jsonl'), `${trainLines.join('\n')}\n`);
  counts.heldOut += heldOutLines.length;
  counts.train += trainLines.length;
}
ledger[batch] = { heldOutShare: share, seed, train: counts.train, heldOut: counts.heldOut, skipped };
writeFileSync(ledgerPath, `${JSON.stringify(ledger, null, 2)}\n`);
process.stdout.write(`${batch}: ${counts.train} to train, ${counts.heldOut} held out, ${skipped} already in the corpus\n`);
