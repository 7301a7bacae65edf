/**
 * The one-time split of the labelled compliance corpus into train and held-out parts, by a
 * fixed seed, stratified by label (30 % of each label held out). It ran once, before any rule
 * was written or the model fitted; it refuses to run again so the held-out part cannot be
 * re-drawn after seeing results. New real-world cases go into the *train* files by hand.
 *
 *   npx tsx scripts/corpus-split.ts <raw dir>
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { CORPUS_DIR, CORPUS_SEED, HELD_OUT_SHARE, type CorpusExample } from '../test/support/compliance-corpus';

const rawDir = process.argv[2];
if (!rawDir) throw new Error('usage: corpus-split.ts <raw dir>');

const parts = { outbound: [] as CorpusExample[], inbound: [] as CorpusExample[] };
for (const file of readdirSync(rawDir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()) {
  const target = file.startsWith('inbound') ? parts.inbound : parts.outbound;
  for (const line of readFileSync(path.join(rawDir, file), 'utf8').split('\n').filter(Boolean)) target.push(JSON.parse(line) as CorpusExample);
}

for (const [name, examples] of Object.entries(parts)) {
  const trainPath = path.join(CORPUS_DIR, `${name}.train.jsonl`);
  const heldOutPath = path.join(CORPUS_DIR, `${name}.heldout.jsonl`);
  if (existsSync(trainPath) || existsSync(heldOutPath)) throw new Error(`${name} is split already; add new cases to ${trainPath} by hand`);
  const seen = new Set<string>();
  const unique = examples.filter((e) => !seen.has(e.text.trim().toLowerCase()) && seen.add(e.text.trim().toLowerCase()));
  const random = seedrandom(`${CORPUS_SEED}/${name}`);
  const byLabel = new Map<string, CorpusExample[]>();
  for (const e of unique) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e]);
  const train: CorpusExample[] = [];
  const heldOut: CorpusExample[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const group = byLabel.get(label)!;
    // Fisher–Yates with the seeded generator.
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j], group[i]];
    }
    const cut = Math.round(group.length * HELD_OUT_SHARE);
    heldOut.push(...group.slice(0, cut));
    train.push(...group.slice(cut));
  }
  const write = (file: string, rows: CorpusExample[], prefix: string) =>
    writeFileSync(file, rows.map((r, i) => JSON.stringify({ id: `${prefix}${String(i + 1).padStart(4, '0')}`, ...r })).join('\n') + '\n');
  write(trainPath, train, `${name[0]}t`);
  write(heldOutPath, heldOut, `${name[0]}h`);
  process.stdout.write(
    `${name}: ${unique.length} examples (${examples.length - unique.length} duplicates dropped), ${train.length} train, ${heldOut.length} held out\n`,
  );
}
