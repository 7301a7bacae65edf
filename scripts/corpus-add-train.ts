/**
 * Adds labelled messages to the TRAIN part of the compliance corpus (never to held-out): new
 * real-world misses, or new examples written for training. Each gets the next train id; a
 * message already in either part is skipped, so held-out examples can never leak into train.
 *
 *   npx tsx scripts/corpus-add-train.ts outbound|inbound <file.jsonl> [...]
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { CATEGORY_IDS } from '../src/domain/compliance/policy';
import { CORPUS_DIR, corpusKey, newExamplesFrom, nextCorpusNumber, readCorpus, type CorpusName } from '../test/support/compliance-corpus';

const [name, ...files] = process.argv.slice(2) as [CorpusName, ...string[]];
if (!['outbound', 'inbound'].includes(name) || !files.length) throw new Error('usage: corpus-add-train.ts outbound|inbound <file.jsonl> [...]');
const labels = new Set<string>(name === 'outbound' ? [...CATEGORY_IDS, 'legit'] : ['opt_out', 'not_opt_out']);
const train = readCorpus(name, 'train');
const seen = new Set([...train, ...readCorpus(name, 'heldout')].map((e) => corpusKey(e.text)));
const { fresh, skipped } = newExamplesFrom(files, labels, seen);
let next = nextCorpusNumber(train);
const lines = fresh.map((e) => `${JSON.stringify({ ...e, id: `${name[0]}t${String(next++).padStart(4, '0')}` })}\n`);
if (lines.length) appendFileSync(path.join(CORPUS_DIR, `${name}.train.jsonl`), lines.join(''));
process.stdout.write(`${name}: ${fresh.length} added to train, ${skipped} already in the corpus\n`);
