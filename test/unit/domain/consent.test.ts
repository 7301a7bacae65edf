import { consentVerdict, standingConsent, type ConsentEvent } from '../../../src/domain/consent';
import { confirmationRequestText, normalizeKeyword, optInKeywordProblem } from '../../../src/domain/double-opt-in';

let seq = 0;
const at = (day: number) => new Date(Date.UTC(2026, 10, day));
const granted = (purposes: ConsentEvent['purposes'], method: ConsentEvent['method'], day = 1): ConsentEvent => ({
  status: 'granted',
  purposes,
  method,
  occurredAt: at(day),
  seq: ++seq,
});
const withdrawn = (purposes: ConsentEvent['purposes'], day = 2): ConsentEvent => ({
  status: 'withdrawn',
  purposes,
  method: null,
  occurredAt: at(day),
  seq: ++seq,
});

describe('consentVerdict (CTIA 5.1: promotional needs express written consent; informational express; conversational implied)', () => {
  const cases: Array<[string, 'marketing' | 'transactional' | 'conversational', ConsentEvent[], string | null]> = [
    ['marketing without any consent', 'marketing', [], 'no marketing consent'],
    ['marketing with transactional consent only', 'marketing', [granted(['transactional'], 'web_form')], 'no marketing consent'],
    ['marketing by web form', 'marketing', [granted(['marketing'], 'web_form')], null],
    ['marketing by keyword', 'marketing', [granted(['marketing', 'transactional'], 'keyword')], null],
    ['marketing on paper', 'marketing', [granted(['marketing'], 'paper_form')], null],
    ['marketing by QR code', 'marketing', [granted(['marketing'], 'qr_code')], null],
    ['marketing imported with its wording', 'marketing', [granted(['marketing'], 'import')], null],
    [
      'marketing given verbally (not written)',
      'marketing',
      [granted(['marketing'], 'verbal')],
      'marketing consent was verbal: marketing needs express written consent',
    ],
    ['marketing withdrawn after the grant', 'marketing', [granted(['marketing'], 'web_form', 1), withdrawn(['marketing'], 2)], 'marketing consent withdrawn'],
    [
      'marketing granted again after a withdrawal',
      'marketing',
      [granted(['marketing'], 'web_form', 1), withdrawn(['marketing'], 2), granted(['marketing'], 'keyword', 3)],
      null,
    ],
    ['marketing: history given out of order', 'marketing', [granted(['marketing'], 'keyword', 3), withdrawn(['marketing'], 2)], null],
    [
      'marketing: withdrawing transactional leaves marketing',
      'marketing',
      [granted(['marketing', 'transactional'], 'web_form', 1), withdrawn(['transactional'], 2)],
      null,
    ],
    ['transactional without any record (the number was given)', 'transactional', [], null],
    ['transactional given verbally', 'transactional', [granted(['transactional'], 'verbal')], null],
    [
      'transactional withdrawn',
      'transactional',
      [granted(['transactional'], 'web_form', 1), withdrawn(['transactional'], 2)],
      'transactional consent withdrawn',
    ],
    ['conversational without any record', 'conversational', [], null],
    ['conversational withdrawn', 'conversational', [withdrawn(['conversational', 'marketing'], 2)], 'conversational consent withdrawn'],
  ];
  it.each(cases)('%s', (_name, type, history, refusal) => {
    expect(consentVerdict(type, history)).toEqual(refusal === null ? { allowed: true } : { allowed: false, detail: refusal });
  });

  it('breaks a tie at the same time by the order of recording', () => {
    const grant = { ...granted(['marketing'], 'web_form', 5), seq: 10 };
    const withdrawal = { ...withdrawn(['marketing'], 5), seq: 11 };
    expect(consentVerdict('marketing', [withdrawal, grant])).toMatchObject({ allowed: false });
    expect(consentVerdict('marketing', [{ ...withdrawal, seq: 9 }, grant])).toEqual({ allowed: true });
  });

  it('tells where each purpose stands', () => {
    expect(standingConsent([granted(['marketing', 'transactional'], 'keyword', 1), withdrawn(['marketing'], 2)])).toEqual({
      marketing: { granted: false, method: null, since: at(2) },
      transactional: { granted: true, method: 'keyword', since: at(1) },
      conversational: { granted: false, method: null, since: null },
    });
  });
});

describe('double opt-in keywords', () => {
  it.each([
    ['JOIN', undefined],
    ['join!', undefined],
    ['Smile2026', undefined],
    ['STOP', 'STOP is a standard opt-out, opt-in or help keyword and keeps its meaning'],
    ['yes', 'YES is a standard opt-out, opt-in or help keyword and keeps its meaning'],
    ['help', 'HELP is a standard opt-out, opt-in or help keyword and keeps its meaning'],
    ['J', 'must be 2 to 30 letters or digits, one word'],
    ['JOIN NOW', 'must be 2 to 30 letters or digits, one word'],
    ['A'.repeat(31), 'must be 2 to 30 letters or digits, one word'],
  ])('%s → %s', (word, problem) => {
    expect(optInKeywordProblem(word)).toBe(problem);
  });

  it('matches the keyword as handsets type it', () => {
    expect(normalizeKeyword('  join. ')).toBe('JOIN');
  });

  it('asks for confirmation with brand, program, frequency, rates, HELP and STOP', () => {
    const text = confirmationRequestText({ brand: 'Bright Smiles Dental', programName: 'offers', frequency: 'Up to 4 msgs/month', purposes: ['marketing'] });
    expect(text).toBe(
      'Bright Smiles Dental: Reply YES to confirm you want offers texts. Up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
    );
  });
});
