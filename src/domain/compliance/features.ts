import type { Token } from './tokens';

/**
 * What the classifiers read of a message. Each feature has two forms: a string, which is what
 * the models are fitted on and stored with (wink-naive-bayes-text-classifier), and a lookup key
 * the judgement scores with, so judging a message makes no feature strings: a message that
 * reaches the category model has about 170 features (stem pairs, character n-grams), and making,
 * hashing and collecting their strings was a good part of scoring's cost. Both forms come from
 * the same walk over the message, and `FeatureIndex` finds a key's row where its string's is,
 * so scoring reads exactly the features fitting saw (a unit test compares the two on train).
 */

/**
 * Stems (each once) and a few shapes: an amount, a number, a link. What the reply model reads,
 * and the start of what the outbound models read.
 */
export function messageFeatures(tokens: Token[], text: string): string[] {
  const features = new Set<string>();
  for (const token of tokens) features.add(shaped(token.stem));
  if (/https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|info|io|co|us|xyz|top|site|online|click|link|app|biz|shop|store)\b/.test(text)) features.add('__link');
  return [...features];
}

const shaped = (stem: string) => (/^\$\d/.test(stem) ? '__amount' : /^\d/.test(stem) ? '__number' : stem);

/** What the two outbound models read of a message: the strings for fitting, the keys for scoring. */
export interface OutboundFeatures {
  /** Stems, shapes and neighbouring stem pairs ("cash out", "__amount bonus"). */
  readonly gate: string[];
  /** The gate's features and character 4- and 5-grams inside each word ("#casi", "#sino "). */
  readonly category: string[];
  readonly keys: FeatureKeys;
}

/** The same features as lookup keys, in the same order. */
export interface FeatureKeys {
  /** `messageFeatures`: the shaped stems, each once, and the link shape. */
  readonly units: string[];
  /** Each token's shaped stem: the stem pairs are its neighbours. */
  readonly shapedStems: string[];
  /** Each character n-gram's `gramKey`, in `categoryFeatures`' order. */
  readonly grams: number[];
}

export function featureKeys(tokens: Token[], units: string[], text: string): FeatureKeys {
  let grams: number[] | undefined;
  return {
    units,
    shapedStems: tokens.map((t) => shaped(t.stem)),
    // Only the category model reads them, and only when the gate holds a message the lexicon did not settle.
    get grams() {
      return (grams ??= charGramKeys(text));
    },
  };
}

const pairFeature = (first: string, second: string) => `${first} ${second}`;

/**
 * Measured in 5-fold cross-validation on train (README, Compliance judgement): stem pairs made
 * the gate surer of what it holds, and character n-grams let the category model read slang,
 * misspellings and Spanish it has seen only in part ("prestamos", "cashout", "g4mbl"). Character
 * n-grams in the gate measured worse (naive Bayes counts the overlapping grams of one word as
 * independent evidence and grew overconfident on legitimate messages).
 */
export function gateFeatures(keys: FeatureKeys): string[] {
  const gate = new Set(keys.units);
  const { shapedStems } = keys;
  for (let i = 1; i < shapedStems.length; i++) gate.add(pairFeature(shapedStems[i - 1], shapedStems[i]));
  return [...gate];
}

/** The gate's features and the character 4- and 5-grams inside each word of the normalised text. */
export function categoryFeatures(keys: FeatureKeys, gate: string[]): string[] {
  // A gram can repeat ("#ing "): scoring and fitting count each feature once.
  return [...gate, ...keys.grams.map(gramFeature)];
}

/**
 * Character n-grams are read inside words of [a-z0-9$] (every digit as "0"), each word padded
 * with a space on both sides. A gram's key writes its characters as base-32 digits 1..29, so
 * keys are exact (no two grams share one) and a 4-gram's never equals a 5-gram's.
 */
const GRAM_ALPHABET = ' $0abcdefghijklmnopqrstuvwxyz';
const GRAM_BASE = 32;
const GRAM_DIGIT = new Map([...GRAM_ALPHABET].map((c, i) => [c, i + 1]));
const SPACE_DIGIT = GRAM_DIGIT.get(' ')!;
const DOLLAR_DIGIT = GRAM_DIGIT.get('$')!;
const ZERO_DIGIT = GRAM_DIGIT.get('0')!;
const A_DIGIT = GRAM_DIGIT.get('a')!; // a to z follow in order

/** The gram digit of a UTF-16 code unit of a word, or 0 for one outside words. */
function wordDigit(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return A_DIGIT + code - 0x61;
  if (code >= 0x30 && code <= 0x39) return ZERO_DIGIT;
  return code === 0x24 ? DOLLAR_DIGIT : 0;
}

/** The keys of the 4-grams, then the 5-grams, of each word in turn. */
export function charGramKeys(text: string): number[] {
  const keys: number[] = [];
  const padded: number[] = [];
  for (let i = 0; i < text.length;) {
    if (wordDigit(text.charCodeAt(i)) === 0) {
      i++;
      continue;
    }
    padded.length = 0;
    padded.push(SPACE_DIGIT);
    for (let digit; i < text.length && (digit = wordDigit(text.charCodeAt(i))) !== 0; i++) padded.push(digit);
    padded.push(SPACE_DIGIT);
    for (let n = 4; n <= 5; n++) {
      for (let start = 0; start + n <= padded.length; start++) {
        let key = 0;
        for (let k = start; k < start + n; k++) key = key * GRAM_BASE + padded[k];
        keys.push(key);
      }
    }
  }
  return keys;
}

/** The feature string of a gram key ("#casi"). */
export function gramFeature(key: number): string {
  let gram = '';
  for (; key > 0; key = Math.floor(key / GRAM_BASE)) gram = GRAM_ALPHABET[(key % GRAM_BASE) - 1] + gram;
  return `#${gram}`;
}

/** The key of a gram feature string, or undefined when the string is not one. */
export function gramKey(feature: string): number | undefined {
  if (feature[0] !== '#' || feature.length < 5 || feature.length > 6) return undefined;
  let key = 0;
  for (const c of feature.slice(1)) {
    const digit = GRAM_DIGIT.get(c);
    if (digit === undefined) return undefined;
    key = key * GRAM_BASE + digit;
  }
  return key;
}

/** A model's features by string and by key, and which of them a message has, each once. */
export class FeatureIndex {
  /** Every feature's row, by its string. */
  readonly rows = new Map<string, number>();
  /** Stem pairs' rows, by first and second stem. */
  private readonly pairs = new Map<string, Map<string, number>>();
  /** Character n-grams' rows, by key. */
  private readonly grams = new Map<number, number>();
  /** The last lookup that listed each row, so a feature a message has twice is listed once (presence, as fitted). */
  private readonly listedIn: Uint32Array;
  private lookup = 0;

  constructor(vocabulary: string[]) {
    vocabulary.forEach((feature, row) => {
      this.rows.set(feature, row);
      // Stems and shapes hold no space and never start with "#": a "#" is a gram, a space a pair.
      const key = gramKey(feature);
      if (key !== undefined) this.grams.set(key, row);
      else if (!feature.startsWith('#') && feature.includes(' ')) {
        const [first, second] = feature.split(' ');
        if (pairFeature(first, second) !== feature) return;
        let seconds = this.pairs.get(first);
        if (!seconds) this.pairs.set(first, (seconds = new Map<string, number>()));
        seconds.set(second, row);
      }
    });
    this.listedIn = new Uint32Array(vocabulary.length);
  }

  /** The rows of the features the model knows, each once, in the order given. */
  rowsOfStrings(features: string[]): number[] {
    const rows: number[] = [];
    const lookup = this.nextLookup();
    for (const f of features) this.list(rows, this.rows.get(f), lookup);
    return rows;
  }

  /**
   * The rows of `gateFeatures` (with `grams`, `categoryFeatures`) the model knows, each once,
   * in their order: the same rows `rowsOfStrings` gives for those strings.
   */
  rowsOfKeys(keys: FeatureKeys, grams: boolean): number[] {
    const rows: number[] = [];
    const lookup = this.nextLookup();
    for (const unit of keys.units) this.list(rows, this.rows.get(unit), lookup);
    const { shapedStems } = keys;
    for (let i = 1; i < shapedStems.length; i++) this.list(rows, this.pairs.get(shapedStems[i - 1])?.get(shapedStems[i]), lookup);
    if (grams) for (const key of keys.grams) this.list(rows, this.grams.get(key), lookup);
    return rows;
  }

  private list(rows: number[], row: number | undefined, lookup: number): void {
    if (row === undefined || this.listedIn[row] === lookup) return;
    this.listedIn[row] = lookup;
    rows.push(row);
  }

  /** A new mark for `listedIn`. */
  private nextLookup(): number {
    if (this.lookup === 0xffffffff) {
      this.listedIn.fill(0);
      this.lookup = 0;
    }
    return ++this.lookup;
  }
}
