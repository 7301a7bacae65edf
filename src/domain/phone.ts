import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';

/**
 * Phone numbers as people type them, to E.164. libphonenumber-js with its full metadata
 * decides validity; the only thing added here is reading a leading "00" as "+", which most
 * of the world dials but a US default country would otherwise misread.
 */
export type PhoneNormalization =
  | { ok: true; e164: string; country: CountryCode | undefined }
  | { ok: false; reason: 'empty' | 'not_a_number' | 'too_short' | 'too_long' | 'invalid_country' | 'invalid' };

export function normalizePhoneNumber(raw: string, defaultCountry: CountryCode = 'US'): PhoneNormalization {
  const text = raw.trim().replace(/^00(?=[1-9])/, '+');
  if (!text) return { ok: false, reason: 'empty' };
  if (!/\d/.test(text) || /[a-z]{3,}/i.test(text)) return { ok: false, reason: 'not_a_number' };
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (parsed?.isValid()) return { ok: true, e164: parsed.number, country: parsed.country };
  switch (validatePhoneNumberLength(text, defaultCountry)) {
    case 'TOO_SHORT':
      return { ok: false, reason: 'too_short' };
    case 'TOO_LONG':
      return { ok: false, reason: 'too_long' };
    case 'INVALID_COUNTRY':
      return { ok: false, reason: 'invalid_country' };
    case 'NOT_A_NUMBER':
      return { ok: false, reason: 'not_a_number' };
    default:
      return { ok: false, reason: 'invalid' };
  }
}

/** How a tenant's contacts are read without a country code: as numbers of its first destination country. */
export function defaultCountryOf(destinationCountries: readonly string[] | undefined): CountryCode {
  return (destinationCountries?.[0] ?? 'US') as CountryCode;
}

/** Twilio's magic test numbers (+15005550000 to +15005550009): only test credentials use them. */
export function isTwilioMagicNumber(e164: string): boolean {
  return /^\+1500555000\d$/.test(e164);
}

/**
 * Which route a sending number is: a short code (5–6 digits), a toll-free number (libphonenumber's
 * TOLL_FREE type, e.g. +1 800/833/844/855/866/877/888) or an ordinary long code (10DLC in the US).
 * Carriers' content rules differ by route (src/domain/compliance/policy/).
 */
export function senderTypeOf(phoneNumber: string): '10dlc' | 'toll_free' | 'short_code' {
  if (/^\d{5,6}$/.test(phoneNumber)) return 'short_code';
  const parsed = parsePhoneNumberFromString(phoneNumber);
  return parsed?.getType() === 'TOLL_FREE' ? 'toll_free' : '10dlc';
}
