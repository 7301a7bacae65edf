import { redactedBody, redactedPhone, redactPhoneNumbersIn, withoutPhoneNumbers } from '../../../src/domain/redaction';

describe('a phone number where operators read it', () => {
  it.each([
    ['+14155552671', '+1…71'],
    ['+442079460958', '+44…58'],
    ['%2B14155552671', '+1…71'],
    ['(415) 555-2671', '…71'],
    ['+1415555267', '+1…67'], // too short to be a valid number, still one of country 1
    ['22395', '…95'],
  ])('%s → %s', (raw, shown) => {
    expect(redactedPhone(raw)).toBe(shown);
  });

  it('reads the same for the same number, however it was written', () => {
    expect(redactedPhone('+14155552671')).toBe(redactedPhone(' +14155552671 '));
  });
});

describe('phone numbers inside text', () => {
  it.each([
    ["Twilio's refusal", "The 'To' number +15005550009 is not a valid phone number.", "The 'To' number +1…09 is not a valid phone number."],
    ['a URL path', '/v1/compliance/tenants/t1/senders/%2B14155552671/mps', '/v1/compliance/tenants/t1/senders/+1…71/mps'],
    ['a query', '/__sandbox/verify/code?to=+14155552671', '/__sandbox/verify/code?to=+1…71'],
    ['national punctuation', 'call (415) 555-2671 or 415.555.2671 or 415 555 2671', 'call …71 or …71 or …71'],
    ['bare digits', 'from 4155552671.', 'from …71.'],
    ['two numbers', '+14155552671 texted +16285550101', '+1…71 texted +1…01'],
    ['a field path keyed by a number', 'contacts.+14155552671.name', 'contacts.+1…71.name'],
  ])('%s', (_label, text, redacted) => {
    expect(redactPhoneNumbersIn(text)).toBe(redacted);
  });

  it.each([
    ['a message SID', 'SM0123456789abcdef0123456789abcdef'],
    ['an account SID with a long digit run', 'AC12345678901234567890123456789012'],
    ['a UUID whose groups are digits', 'tenant 12345678-1234-4234-8234-123456789012'],
    ['an ISO time', 'at 2026-12-02T18:04:00.123Z'],
    ['a date and time with a space', 'at 2026-12-02 18:04:00'],
    ['error codes and counts', 'Twilio 21211: 3 of 120 messages, 30003 undelivered'],
    ['a decimal', 'score 0.9746 in 1500.25 ms'],
    ['a limit of many digits', 'dailyCap 10000000 is above 200000; expected <=100000000'],
  ])('leaves %s alone', (_label, text) => {
    expect(redactPhoneNumbersIn(text)).toBe(text);
  });

  it('goes through objects and arrays, leaving other values as they are', () => {
    expect(withoutPhoneNumbers({ message: 'to +14155552671', details: [{ to: '+16285550101', code: 21211 }], ok: true, none: null })).toEqual({
      message: 'to +1…71',
      details: [{ to: '+1…01', code: 21211 }],
      ok: true,
      none: null,
    });
  });
});

describe('a message text where operators read it', () => {
  it('keeps the length only', () => {
    expect(redactedBody('Can I move my cleaning to Friday?')).toBe('[message text, 33 chars]');
  });
});
