import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The labelled compliance corpus: outbound messages by category, inbound replies by intent. */
export const CORPUS_DIR = path.resolve(__dirname, '../fixtures/compliance-corpus');
export const CORPUS_SEED = 'clearsend-compliance-corpus-2026-12-02';
export const HELD_OUT_SHARE = 0.3;

export interface CorpusExample {
  id?: string;
  text: string;
  label: string;
  messageType?: 'transactional' | 'marketing' | 'conversational';
  note?: string;
}

export type CorpusName = 'outbound' | 'inbound';

/** Rules and models may read only 'train'; the held-out part is for measuring. */
export function readCorpus(name: CorpusName, part: 'train' | 'heldout'): CorpusExample[] {
  return readFileSync(path.join(CORPUS_DIR, `${name}.${part}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CorpusExample);
}

/** How the corpus tells two messages apart: case and surrounding space do not count. */
export const corpusKey = (text: string) => text.trim().toLowerCase();

/**
 * The labelled examples in JSONL files that are not yet in the corpus (`seen` holds the keys of
 * those that are, and gains the new ones), refusing a label outside `labels`.
 */
export function newExamplesFrom(files: string[], labels: ReadonlySet<string>, seen: Set<string>): { fresh: CorpusExample[]; skipped: number } {
  const fresh: CorpusExample[] = [];
  let skipped = 0;
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const e = JSON.parse(line) as CorpusExample;
      if (!labels.has(e.label)) throw new Error(`${file}: unknown label ${e.label}`);
      if (seen.has(corpusKey(e.text))) {
        skipped++;
        continue;
      }
      seen.add(corpusKey(e.text));
      fresh.push(e);
    }
  }
  return { fresh, skipped };
}

/** The number after the highest id in a part ("ot4665" → 4666). */
export const nextCorpusNumber = (rows: CorpusExample[]) => Math.max(0, ...rows.map((e) => Number(e.id?.replace(/\D/g, '') ?? 0))) + 1;
