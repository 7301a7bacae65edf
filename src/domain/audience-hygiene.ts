import type { CountryCode } from 'libphonenumber-js/max';
import { normalizePhoneNumber } from './phone';

/**
 * Which contacts a campaign may reach, and why each of the others may not. Order of checks:
 * a number that cannot be read is invalid; then the first occurrence of each E.164 number
 * wins; then opted-out numbers and countries outside the tenant's list are dropped.
 */
export type DropReason = 'invalid' | 'duplicate' | 'suppressed' | 'country';

export interface AudienceInput<Id> {
  id: Id;
  phone: string;
}

export interface CleanAudience<Id> {
  eligible: Array<{ id: Id; e164: string; country: string | undefined }>;
  dropped: Array<{ id: Id; phone: string; reason: DropReason; detail: string }>;
}

export function cleanAudience<Id>(
  contacts: Iterable<AudienceInput<Id>>,
  policy: { defaultCountry?: CountryCode; allowedCountries: string[]; suppressed: ReadonlySet<string> },
): CleanAudience<Id> {
  const allowed = new Set(policy.allowedCountries.map((c) => c.toUpperCase()));
  const seen = new Set<string>();
  const result: CleanAudience<Id> = { eligible: [], dropped: [] };
  for (const { id, phone } of contacts) {
    const n = normalizePhoneNumber(phone, policy.defaultCountry);
    if (!n.ok) {
      result.dropped.push({ id, phone, reason: 'invalid', detail: n.reason });
    } else if (seen.has(n.e164)) {
      result.dropped.push({ id, phone, reason: 'duplicate', detail: n.e164 });
    } else {
      seen.add(n.e164);
      if (policy.suppressed.has(n.e164)) result.dropped.push({ id, phone, reason: 'suppressed', detail: 'opted out' });
      else if (!n.country || !allowed.has(n.country)) result.dropped.push({ id, phone, reason: 'country', detail: n.country ?? 'unknown' });
      else result.eligible.push({ id, e164: n.e164, country: n.country });
    }
  }
  return result;
}
