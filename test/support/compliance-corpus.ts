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
