import stem from 'wink-porter2-stemmer';

/** A word of the normalised text with where it stands, so a match can be shown to the tenant. */
export interface Token {
  /** Porter2 stem ("loans" → "loan", "gambling" → "gambl"); numbers keep their digits. */
  stem: string;
  start: number;
  end: number;
}

// Tokens are cut here rather than by wink-nlp-utils' tokenizers because findings need each
// token's offsets, which those tokenizers drop; the stemming is the library's (Porter2).
const WORD = /\$?[a-z0-9]+(?:['’][a-z]+)?/g;
const stems = new Map<string, string>();

function stemOf(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = /^\$?\d/.test(word) ? word : stem(word.replace(/['’]/g, ''));
    if (stems.size < 200_000) stems.set(word, s);
  }
  return s;
}

export function tokenize(normalized: string): Token[] {
  const out: Token[] = [];
  for (const m of normalized.matchAll(WORD)) out.push({ stem: stemOf(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

/** Stems a lexicon phrase the way message text is stemmed, so both meet in one form. */
export const stemWord = stemOf;
