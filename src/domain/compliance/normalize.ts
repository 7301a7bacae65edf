import { confusablesMap } from 'confusables';

/**
 * Text as the judgement reads it, with a map back to the original so every finding can point
 * at what the tenant wrote. Spammers dodge word lists with characters a reader does not see or
 * does not notice (zero-width spaces, soft hyphens, Cyrillic "о", fullwidth "ｌｏａｎ") and with
 * spelling tricks ("c1alis", "ca$h", "v.a.p.e", "b e t"); all of them are undone here, once,
 * before any rule or model looks at the text.
 */
export interface NormalizedText {
  /** Lower-case ASCII-folded text. */
  text: string;
  /** `origin[i]` is the index in the original string of `text[i]`; one extra entry ends it. */
  origin: number[];
}

/** Unicode format characters (zero-width space/joiners, soft hyphen, bidi marks) and combining marks. */
const INVISIBLE = /[\p{Cf}\p{Mn}\p{Me}]/u;

/** Characters that stand for a letter inside a word: "fr33", "c1alis", "ca$h", "l0an", "v@pe". */
const LEET = new Map(Object.entries({ '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' }));

/**
 * Emoji that street sellers write for a drug or for the seller, read as the slang word they stand
 * for, so they are words the lexicon and the models can read (the tokeniser keeps only letters and
 * digits). From the DEA's "Emoji Drug Code: Decoded" (December 2021, dea.gov; reported e.g. at
 * https://digital-stage.newsnationnow.com/morninginamerica/dea-emoji-drug-code): a snowflake or
 * snowman for cocaine, a diamond or ice for meth, a pill for counterfeit pills, a mushroom for
 * psilocybin, a plug for the dealer, a fuel pump for strong cannabis, leaves and trees for
 * cannabis. The DEA adds that an emoji alone indicates nothing: the words are innocent on their
 * own in the lexicon too ("snow", "plug"), and count next to how a sale is priced or handed over.
 * The emoji the DEA lists that everyday texts use as much (lightning, rocket, cookie, money bag)
 * are not read. A variation selector after one (❄️) is dropped with the invisible characters.
 */
const EMOJI_WORDS = new Map([
  ...['\u2744', '\u2603', '\u26c4'].map((e) => [e, 'snow'] as const), // ❄ ☃ ⛄
  ['\u{1f9ca}', 'ice'], // 🧊
  ['\u{1f48e}', 'crystal'], // 💎
  ['\u{1f48a}', 'pill'], // 💊
  ['\u{1f344}', 'mushroom'], // 🍄
  ['\u{1f50c}', 'plug'], // 🔌
  ['\u26fd', 'gas'], // ⛽
  ...['\u{1f343}', '\u{1f33f}', '\u{1f332}', '\u{1f966}', '\u{1f341}'].map((e) => [e, 'tree'] as const), // 🍃 🌿 🌲 🥦 🍁
]);

function foldChar(ch: string): string {
  // NFKC first (fullwidth and styled letters become plain ones), then look-alikes to Latin.
  let out = '';
  for (const c of ch.normalize('NFKD')) {
    if (INVISIBLE.test(c)) continue;
    const k = c.normalize('NFKC');
    out += confusablesMap.get(k) ?? k;
  }
  return out.toLowerCase();
}

// foldChar depends on the character alone, and Unicode normalisation per character was a tenth
// of the judgement's time: each character is folded once and remembered (ASCII in a table made
// at load, the rest as met, up to a bound). It is kept as UTF-16 code units, not code points, so
// that `origin` has one entry for each unit of the text tokens index into: an emoji is two units,
// and as one entry it shifted every span after it by one.
const foldInto = (ch: string) => {
  const word = EMOJI_WORDS.get(ch);
  return word === undefined ? foldChar(ch).split('') : [...` ${word} `];
};
const ASCII_FOLDS = Array.from({ length: 128 }, (_, code) => foldInto(String.fromCharCode(code)));
const otherFolds = new Map<string, string[]>();
const FOLD_CACHE_LIMIT = 50_000;

/** How many code units the character at `index` takes, as `for (const ch of text)` steps: a surrogate pair together, a lone surrogate alone. */
const widthAt = (text: string, index: number) => (text.codePointAt(index)! > 0xffff ? 2 : 1);

/** The code units of what the character of `width` code units at `index` folds into. */
function foldedAt(original: string, index: number, width: number): string[] {
  const code = original.charCodeAt(index);
  if (code < 128) return ASCII_FOLDS[code];
  const ch = original.slice(index, index + width);
  let folded = otherFolds.get(ch);
  if (folded === undefined) {
    folded = foldInto(ch);
    if (otherFolds.size < FOLD_CACHE_LIMIT) otherFolds.set(ch, folded);
  }
  return folded;
}

const isLetter = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
const inWord = (c: string | undefined) => c !== undefined && (isLetter(c) || (c >= '0' && c <= '9') || LEET.has(c));

/**
 * In a word that starts with a letter (or "$" before letters) and has two letters at least, a
 * substitute with a letter further right is a letter ("c1alis", "ca$h", "l0an"); so is a
 * trailing run made only of digit substitutes ("fr33"). "!" and "|" count only inside a word,
 * since "Win!" ends a sentence.
 */
function undoSubstitutions(chars: string[]): void {
  for (let i = 0; i < chars.length;) {
    if (!inWord(chars[i]) || inWord(chars[i - 1])) {
      i++;
      continue;
    }
    // The word is chars[i, end); read in place, since most texts have a word every few characters.
    let end = i;
    let letters = 0;
    let lastLetter = -1;
    for (; inWord(chars[end]); end++) {
      if (!isLetter(chars[end])) continue;
      letters++;
      lastLetter = end;
    }
    const startsWell = isLetter(chars[i]) || (chars[i] === '$' && isLetter(chars[i + 1]));
    if (startsWell && letters >= 2) {
      let trailingIsSubstitute = end - (lastLetter + 1) <= 2;
      for (let k = lastLetter + 1; k < end && trailingIsSubstitute; k++) trailingIsSubstitute = LEET.has(chars[k]) && chars[k] !== '!' && chars[k] !== '|';
      for (let k = i; k < end; k++) {
        const letter = LEET.get(chars[k]);
        if (letter !== undefined && (k < lastLetter || trailingIsSubstitute)) chars[k] = letter;
      }
    }
    i = end;
  }
}

/**
 * Folds the text character by character, then undoes in-word substitutions and letters spread
 * out with separators. Only a symbol between or after letters inside a word is read as a
 * letter, so prices ("$500"), times ("3pm") and codes ("A1") stay what they are.
 */
export function normalizeText(original: string): NormalizedText {
  const chars: string[] = [];
  const origin: number[] = [];
  for (let index = 0; index < original.length;) {
    const width = widthAt(original, index);
    for (const c of foldedAt(original, index, width)) {
      chars.push(c);
      origin.push(index);
    }
    index += width;
  }

  undoSubstitutions(chars);

  // Letters spread out: "v.a.p.e", "b e t", "c-b-d" (three or more single letters, one separator each).
  // Most texts have none, and keep their characters as they are.
  let firstRun = 0;
  while (firstRun < chars.length && spreadRunEnd(chars, firstRun) === firstRun) firstRun++;
  if (firstRun === chars.length) {
    origin.push(original.length);
    return { text: chars.join(''), origin };
  }
  const out = chars.slice(0, firstRun);
  const outOrigin = origin.slice(0, firstRun);
  for (let i = firstRun; i < chars.length;) {
    const run = spreadRunEnd(chars, i);
    if (run > i) {
      for (let k = i; k < run; k += 2) {
        out.push(chars[k]);
        outOrigin.push(origin[k]);
      }
      i = run;
      continue;
    }
    out.push(chars[i]);
    outOrigin.push(origin[i]);
    i++;
  }
  outOrigin.push(original.length);
  return { text: out.join(''), origin: outOrigin };
}

const SPREAD_SEPARATOR = /[ .\-_*·•/]/;

/** End (exclusive) of a run "x.y.z" starting at `i`: single letters alternating with one separator; `i` when none. */
function spreadRunEnd(chars: string[], i: number): number {
  if (!isLetter(chars[i]) || isLetter(chars[i - 1])) return i;
  let k = i;
  let letters = 1;
  while (SPREAD_SEPARATOR.test(chars[k + 1] ?? '') && isLetter(chars[k + 2]) && !isLetter(chars[k + 3])) {
    k += 2;
    letters++;
  }
  // Three letters at least, and the separators all alike ("a, b and c" is not a spread word).
  if (letters < 3) return i;
  const sep = chars[i + 1];
  for (let s = i + 1; s < k; s += 2) if (chars[s] !== sep) return i;
  return k + 1;
}

/** The original text behind the normalised range [start, end). */
export function originalSpan(norm: NormalizedText, original: string, start: number, end: number): { start: number; end: number; text: string } {
  const from = norm.origin[start] ?? original.length;
  const lastChar = norm.origin[Math.max(start, end - 1)] ?? original.length;
  // Extend to the end of the last original character (a surrogate pair or a folded ligature).
  const cp = original.codePointAt(lastChar);
  const to = Math.min(original.length, lastChar + (cp !== undefined && cp > 0xffff ? 2 : 1));
  return { start: from, end: to, text: original.slice(from, to) };
}
