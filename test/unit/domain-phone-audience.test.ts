import { cleanAudience } from '../../src/domain/audience-hygiene';
import { isTwilioMagicNumber, normalizePhoneNumber, senderTypeOf } from '../../src/domain/phone';

describe('senderTypeOf: the route a sending number is on', () => {
  it.each([
    ['+14155552671', '10dlc'],
    ['+18335550123', 'toll_free'],
    ['+18005550199', 'toll_free'],
    ['22395', 'short_code'],
    ['+447700900123', '10dlc'],
  ])('%s → %s', (number, type) => {
    expect(senderTypeOf(number)).toBe(type);
  });
});

describe('phone normalisation', () => {
  it.each([
    ['+14155552671', '+14155552671', 'US'],
    ['(415) 555-2671', '+14155552671', 'US'],
    ['415.555.2671', '+14155552671', 'US'],
    ['1-415-555-2671', '+14155552671', 'US'],
    [' +44 20 7946 0958 ', '+442079460958', 'GB'],
    ['0044 20 7946 0958', '+442079460958', 'GB'],
    ['+1 604 555 0123', '+16045550123', 'CA'],
  ])('%j → %s (%s)', (raw, e164, country) => {
    expect(normalizePhoneNumber(raw)).toEqual({ ok: true, e164, country });
  });

  it('uses the default country for national numbers', () => {
    expect(normalizePhoneNumber('020 7946 0958', 'GB')).toMatchObject({ ok: true, e164: '+442079460958' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['call me', 'not_a_number'],
    ['+1415', 'too_short'],
    ['+1415555267199999', 'too_long'],
    ['+999 1234 5678', 'invalid_country'],
    ['+1 415 055 2671', 'invalid'],
  ])('%j is refused as %s', (raw, reason) => {
    expect(normalizePhoneNumber(raw)).toEqual({ ok: false, reason });
  });

  it.each([
    ['+15005550006', true],
    ['+15005550000', true],
    ['+15005550010', false],
    ['+14155552671', false],
  ])('%s is a magic number: %s', (n, magic) => {
    expect(isTwilioMagicNumber(n)).toBe(magic);
  });
});

describe('audience hygiene', () => {
  it('keeps reachable consenting numbers once each and says why it drops the rest', () => {
    const result = cleanAudience(
      [
        { id: 1, phone: '(415) 555-2671' },
        { id: 2, phone: '+14155552671' },
        { id: 3, phone: 'n/a' },
        { id: 4, phone: '+14155552672' },
        { id: 5, phone: '+442079460958' },
        { id: 6, phone: '+16045550123' },
        { id: 7, phone: '+1415' },
      ],
      { allowedCountries: ['US', 'CA'], suppressed: new Set(['+14155552672']) },
    );
    expect(result.eligible).toEqual([
      { id: 1, e164: '+14155552671', country: 'US' },
      { id: 6, e164: '+16045550123', country: 'CA' },
    ]);
    expect(result.dropped).toEqual([
      { id: 2, phone: '+14155552671', reason: 'duplicate', detail: '+14155552671' },
      { id: 3, phone: 'n/a', reason: 'invalid', detail: 'not_a_number' },
      { id: 4, phone: '+14155552672', reason: 'suppressed', detail: 'opted out' },
      { id: 5, phone: '+442079460958', reason: 'country', detail: 'GB' },
      { id: 7, phone: '+1415', reason: 'invalid', detail: 'too_short' },
    ]);
  });

  it('counts a suppressed duplicate once, as suppressed, then as a duplicate', () => {
    const result = cleanAudience(
      [
        { id: 'a', phone: '+14155552672' },
        { id: 'b', phone: '415-555-2672' },
      ],
      { allowedCountries: ['US'], suppressed: new Set(['+14155552672']) },
    );
    expect(result.dropped.map((d) => d.reason)).toEqual(['suppressed', 'duplicate']);
  });
});
