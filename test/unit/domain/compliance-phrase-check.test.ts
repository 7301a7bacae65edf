import { LEXICON } from '../../../src/domain/compliance/lexicon';
import { normalizeText } from '../../../src/domain/compliance/normalize';
import { phraseProblems } from '../../../src/domain/compliance/phrase-check';
import { PhraseSet } from '../../../src/domain/compliance/phrase-matcher';
import { tokenize } from '../../../src/domain/compliance/tokens';

/**
 * A lexicon phrase with a slip does not fail: it silently never matches as meant. The phrase
 * matcher refuses such phrases when it compiles them, so a lexicon with one does not load.
 */
describe('lexicon phrases are checked when they are loaded', () => {
  it.each([
    ['a space inside an a|b group', 'buy in|buyins * chips', /space typed inside/],
    ['the same slip the other way round', 'didnt|didn t * sign up', /space typed inside/],
    ['a compound split from its own group', 'smoke free|smokefree', /space typed inside/],
    ['an empty alternative', 'payday|| loan', /empty alternative/],
    ['a trailing bar', 'payday loan|', /empty alternative/],
    ['a hyphenated word (two words in a message)', 'buy-in night', /not one word/],
    ['punctuation inside a word', 'e.g. casino', /not one word/],
    ['a prefix that is not the start of a word', 'cry-pto% coins', /not the start of a word/],
    ['a phrase that starts with a gap', '* payday loan', /start and end with a word/],
    ['a phrase that ends with a gap', 'payday loan **', /start and end with a word/],
  ])('refuses %s', (_name, phrase, problem) => {
    expect(phraseProblems(phrase).join('; ')).toMatch(problem);
    expect(() => new PhraseSet([{ phrase, value: 1 }])).toThrow(/malformed phrase/);
  });

  it.each([
    ['alternatives that share a stem', 'invest|investing in your|yourself'],
    ['a word and its compound in separate phrases', 'buyin|buyins'],
    ['`%` alone as any one word', 'gov % com|net'],
    ['amounts, numbers and prefixes', '$% buy in # crypto%'],
  ])('accepts %s', (_name, phrase) => {
    expect(phraseProblems(phrase)).toEqual([]);
  });

  it('finds nothing wrong in the shipped lexicon', () => {
    const problems = LEXICON.flatMap((rule) =>
      (['strong', 'weak', 'context', 'unless', 'escalate'] as const).flatMap((kind) =>
        (rule[kind] ?? []).flatMap((p) => phraseProblems(p).map((x) => `${rule.category} ${kind}: ${x}`)),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('reads a lexicon word as a message reads it, so a word with digits still matches ("web3" is "webe" once normalised)', () => {
    const set = new PhraseSet([{ phrase: 'web3|m30s presale', value: 1 }]);
    expect(set.matchAll(tokenize(normalizeText('WEB3 presale opens at noon').text))).toHaveLength(1);
    expect(set.matchAll(tokenize(normalizeText('blue m30s presale').text))).toHaveLength(1);
  });
});
