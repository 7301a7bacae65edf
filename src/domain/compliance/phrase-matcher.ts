import { phraseProblems, stemAsWritten } from './phrase-check';
import type { Token } from './tokens';

/**
 * Phrases matched on stems, so one entry covers its inflections ("payday loan" also finds
 * "PAYDAY LOANS"). A phrase is words separated by spaces, where a word may be:
 * - `a|b|c`: any one of these words;
 * - `crypto%`: any word whose stem starts with this (`%` alone: any one word);
 * - `#`: any number or amount ("$500", "800");
 * - `*`: up to three words of anything, `**`: up to eight.
 * Words are read as a message's words are (normalised, then stemmed), and a phrase that could
 * never match as written is refused when it is compiled (phrase-check.ts).
 */
type Element = { kind: 'word'; stems: Set<string>; prefixes: string[]; number: boolean } | { kind: 'gap'; max: number };

export interface CompiledPhrase {
  phrase: string;
  elements: Element[];
}

export interface PhraseHit {
  phrase: string;
  /** Token range [first, last] the phrase covers. */
  first: number;
  last: number;
}

function compileWord(word: string): Element {
  if (word === '*') return { kind: 'gap', max: 3 };
  if (word === '**') return { kind: 'gap', max: 8 };
  const stems = new Set<string>();
  const prefixes: string[] = [];
  let number = false;
  for (const option of word.split('|')) {
    if (option === '#') number = true;
    else if (option.endsWith('%')) prefixes.push(option.slice(0, -1).toLowerCase());
    // As a message would read it: "web3" and "m30s" are "webe" and "meos" once normalised.
    else stems.add(stemAsWritten(option)!);
  }
  return { kind: 'word', stems, prefixes, number };
}

/** Refuses a phrase that would never match as written (phrase-check.ts), so a slip fails at load. */
export function compilePhrase(phrase: string): CompiledPhrase {
  const problems = phraseProblems(phrase);
  if (problems.length) throw new Error(`malformed phrase "${phrase}": ${problems.join('; ')}`);
  return { phrase, elements: phrase.trim().split(/\s+/).map(compileWord) };
}

type WordElement = Extract<Element, { kind: 'word' }>;

function wordMatches(el: WordElement, stem: string): boolean {
  if (el.stems.has(stem)) return true;
  if (el.number && /^\$?\d/.test(stem)) return true;
  return el.prefixes.some((p) => stem.startsWith(p));
}

/** Last token index of a match of `elements[e..]` starting at token `t`, or -1. */
function matchFrom(elements: Element[], e: number, tokens: Token[], t: number): number {
  if (e === elements.length) return t - 1;
  const el = elements[e];
  if (el.kind === 'gap') {
    for (let skip = 0; skip <= el.max && t + skip <= tokens.length; skip++) {
      const end = matchFrom(elements, e + 1, tokens, t + skip);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (t >= tokens.length || !wordMatches(el, tokens[t].stem)) return -1;
  return matchFrom(elements, e + 1, tokens, t + 1);
}

interface Entry<T> {
  compiled: CompiledPhrase;
  value: T;
}

const NO_ENTRIES: never[] = [];

/** How many stems' candidate lists a set keeps (the vocabulary of real traffic stays well under it). */
const CANDIDATE_CACHE_LIMIT = 100_000;

/**
 * Many phrases, indexed by the stems their first word can take, so a message is walked once
 * and each token tries only the phrases that can start with it.
 */
export class PhraseSet<T> {
  private readonly byStem = new Map<string, Array<Entry<T>>>();
  /** Phrases whose first word is a prefix or a number: no stem to index them by. */
  private readonly unindexed: Array<Entry<T>> = [];
  /**
   * Per stem, every phrase whose first word it matches, indexed ones first, as matchAll has
   * always reported them. Made once per stem: trying each unindexed phrase's first word at
   * every token was a fifth of the judgement's time.
   */
  private readonly startingWith = new Map<string, Array<Entry<T>>>();

  constructor(entries: Array<{ phrase: string; value: T }>) {
    for (const { phrase, value } of entries) {
      const compiled = compilePhrase(phrase);
      const first = compiled.elements[0] as WordElement;
      if (first.prefixes.length || first.number) this.unindexed.push({ compiled, value });
      else for (const s of first.stems) this.byStem.set(s, [...(this.byStem.get(s) ?? []), { compiled, value }]);
    }
  }

  private startingAt(stem: string): Array<Entry<T>> {
    let candidates = this.startingWith.get(stem);
    if (candidates === undefined) {
      const indexed = this.byStem.get(stem) ?? NO_ENTRIES;
      const unindexed = this.unindexed.filter((e) => wordMatches(e.compiled.elements[0] as WordElement, stem));
      candidates = unindexed.length ? [...indexed, ...unindexed] : indexed;
      if (this.startingWith.size < CANDIDATE_CACHE_LIMIT) this.startingWith.set(stem, candidates);
    }
    return candidates;
  }

  /** Every phrase occurrence (one per start token and phrase). */
  matchAll(tokens: Token[]): Array<PhraseHit & { value: T }> {
    const hits: Array<PhraseHit & { value: T }> = [];
    for (let t = 0; t < tokens.length; t++) {
      for (const { compiled, value } of this.startingAt(tokens[t].stem)) {
        // The first word matched already (that is how the phrase became a candidate).
        const last = matchFrom(compiled.elements, 1, tokens, t + 1);
        if (last >= 0) hits.push({ phrase: compiled.phrase, first: t, last, value });
      }
    }
    return hits;
  }
}
