import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * How a phone number may appear where operators read (logs, error messages, Temporal's failure
 * texts): its country calling code and its last two digits, `+1…71`. The same number always
 * reads the same, so two log lines about one handset can be matched, but the number cannot be
 * recovered from it (a hundred numbers share every tail).
 */
export function redactedPhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  const tail = digits.slice(-2);
  const text = raw.trim().replace(/^%2B/i, '+');
  const countryCode = text.startsWith('+') ? parsePhoneNumberFromString(text)?.countryCallingCode : undefined;
  return `${countryCode ? `+${countryCode}` : ''}…${tail}`;
}

/**
 * A run of digits written the way phone numbers are (an optional `+` or its URL form `%2B`,
 * digits with spaces, dots, dashes or brackets between them). Not one next to a letter, digit,
 * dash or (unless it starts with `+`) dot, so SIDs (`SM0a1b…`), UUIDs, ISO dates and decimals
 * are left alone.
 */
const PHONE_LIKE = /(?:(?<![\w+%])(?:\+|%2B)|(?<![\w+%.-]))\(?\d[\d ().-]{5,}\d(?![\w-])/gi;
/** Seven digits with a `+` or punctuation (`555-2671`); shorter runs are error codes and years. */
const MIN_WRITTEN_DIGITS = 7;
/** Ten bare digits (`4155552671`): a run of seven to nine is a count or a limit (`10000000`). */
const MIN_BARE_DIGITS = 10;
/** E.164 allows fifteen; more is something else (a UUID of digits only). */
const MAX_PHONE_DIGITS = 15;
/** A date (`2026-12-02 18:04`) is digits and dashes too. */
const DATE_FIRST = /^\d{4}-\d\d-\d\d(?!\d)/;

/** `text` with every phone number in it replaced by its redacted form (for error messages, URLs and log text). */
export function redactPhoneNumbersIn(text: string): string {
  return text.replace(PHONE_LIKE, (found) => {
    const digits = found.replace(/^%2B/i, '+').replace(/\D/g, '');
    const least = /^\d+$/.test(found) ? MIN_BARE_DIGITS : MIN_WRITTEN_DIGITS;
    return digits.length >= least && digits.length <= MAX_PHONE_DIGITS && !DATE_FIRST.test(found) ? redactedPhone(found) : found;
  });
}

/** `value` with every string in it (through objects and arrays a few levels deep) passed through redactPhoneNumbersIn. */
export function withoutPhoneNumbers(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactPhoneNumbersIn(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withoutPhoneNumbers(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPhoneNumbers(v, depth + 1)]));
}

/** A message text where operators read: only its length, never its words. */
export function redactedBody(text: string): string {
  return `[message text, ${text.length} chars]`;
}
