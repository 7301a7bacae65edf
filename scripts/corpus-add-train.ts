/**
 * Adds labelled messages to the TRAIN part of the compliance corpus (never to held-out): new
 * real-world misses, or new examples written for training. Each gets the next train id; a
 * message already in either part is skipped, so held-out examples can never leak into train.
 *
 *   npx tsx scripts/corpus-add-train.ts outbound|inbound <file.jsonl> [...]
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CATEGORY_IDS } from '../src/domain/compliance/policy';
import { CORPUS_DIR, readCorpus, type CorpusExample, type CorpusName } from '../test/support/compliance-corpus';

const [name, ...files] = process.argv.slice(2) as [CorpusName, ...string[]];
if (!['outbound', 'inbound'].includes(name) || !files.length) throw new Error('usage: corpus-add-train.ts outbound|inbound <file.jsonl> [...]');
const labels = new Set<string>(name === 'outbound' ? [...CATEGORY_IDS, 'legit'] : ['opt_out', 'not_opt_out']);
const key = (text: string) => text.trim().toLowerCase();
const train = readCorpus(name, 'train');
const seen = new Set([...train, ...readCorpus(name, 'heldout')].map((e) => key(e.text)));
let next = Math.max(0, ...train.map((e) => Number(e.id?.replace(/\D/g, '') ?? 0))) + 1;
let added = 0;
let skipped = 0;
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as CorpusExample;
    if (!labels.has(e.label)) throw new Error(`${file}: unknown label ${e.label}`);
    if (seen.has(key(e.text))) {
      skipped++;
      continue;
    }
    seen.add(key(e.text));
    appendFileSync(path.join(CORPUS_DIR, `${name}.train.jsonl`), `${JSON.stringify({ ...e, id: `${name[0]}t${String(next++).padStart(4, '0')}` })}\n`);
    added++;
  }
}
process.stdout.write(`${name}: ${added} added to train, ${skipped} already in the corpus\n`);
