import { normalizeText } from './normalize';
import { tokenize } from './tokens';

/**
 * A lexicon phrase is checked when it is loaded, because a slip in one does not fail: it just
 * never matches as meant, and nothing shows it. "buy in|buyins * chips" reads as "buy" then
 * "in" or "buyins", so "buyins ... chips" was never found; "buy-in" as one alternative is two
 * words in a message and never matches at all.
 */

/** The stem a lexicon word has in a message: the same normalisation, tokenising and stemming, or null when a message cannot hold it as one word. */
export function stemAsWritten(word: string): string | null {
  const { text } = normalizeText(word);
  const tokens = tokenize(text);
  return tokens.length === 1 && tokens[0].start === 0 && tokens[0].end === text.length ? tokens[0].stem : null;
}

const PREFIX = /^\$?[a-z0-9]*%$/;
const isGap = (word: string) => word === '*' || word === '**';

/** The literal alternatives of a phrase word (not `#`, not prefixes). */
const literals = (word: string) => word.split('|').filter((o) => o !== '#' && !o.endsWith('%'));

/**
 * "buy in|buyins": an alternative that is the previous word run together with one of its own
 * group ("buy" + "in" = "buyin…"), or the reverse ("didnt|didn t": "didn" + "t" = "didnt"). Either
 * means a space was typed inside an `a|b` group, which splits the group in two.
 */
function spaceInsideGroup(previous: string, word: string): string | null {
  const before = literals(previous);
  const here = literals(word);
  const runTogether = (group: string[], first: string[], second: string[]) =>
    group.some((joined) => first.some((p) => second.some((h) => p !== joined && h !== joined && stemAsWritten(joined) === stemAsWritten(p + h))));
  return runTogether(here, before, here) || runTogether(before, before, here) ? `${previous} ${word}` : null;
}

/** What is wrong with a phrase written in the phrase-matcher syntax; empty when nothing is. */
export function phraseProblems(phrase: string): string[] {
  const problems: string[] = [];
  const words = phrase.trim().split(/\s+/);
  if (!words[0] || isGap(words[0]) || isGap(words[words.length - 1])) problems.push('must start and end with a word');
  words.forEach((word, i) => {
    if (isGap(word)) return;
    for (const option of word.split('|')) {
      if (option === '') problems.push(`"${word}" has an empty alternative`);
      else if (option === '#') continue;
      else if (option.endsWith('%')) {
        // `%` alone is any one word ("gov % com").
        if (!PREFIX.test(option.toLowerCase())) problems.push(`prefix "${option}" is not the start of a word`);
      } else if (stemAsWritten(option) === null) problems.push(`"${option}" is not one word in a message, so it never matches`);
    }
    const previous = words[i - 1];
    const split = previous !== undefined && !isGap(previous) ? spaceInsideGroup(previous, word) : null;
    if (split) problems.push(`"${split}" looks like one a|b group with a space typed inside it (write each wording as its own phrase)`);
  });
  return problems;
}
