/**
 * Contacts' custom fields: a tenant's own string values per contact (`plan`, `store_id`), kept
 * as one JSON object sealed with the tenant's data key (`contacts.fields`), never in clear.
 * Tags stay plain: they are the tenant's labels that select audiences in SQL.
 */

/** A field's name: lower-case letters, digits and `_`, 1 to 40 of them. */
export const FIELD_NAME = /^[a-z0-9_]{1,40}$/;
export const MAX_FIELDS = 20;
export const MAX_FIELD_VALUE = 200;
/** A CSV column holding a custom field, in the upload and in the export: `field:<name>`. */
export const CSV_FIELD_PREFIX = 'field:';
/** Names an object's prototype when assigned: refused rather than silently lost. */
export const RESERVED_FIELD_NAMES = new Set(['__proto__']);

export type ContactFields = Record<string, string>;

/** What is sealed into `contacts.fields`: the fields as JSON, names in order; none is NULL. */
export function storedFieldsJson(fields: ContactFields | undefined): string | null {
  const entries = Object.entries(fields ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? JSON.stringify(Object.fromEntries(entries)) : null;
}

/** The fields an opened `contacts.fields` holds ({} for NULL). */
export function fieldsOfStoredJson(json: string | null): ContactFields {
  if (json === null || json === '') return {};
  const parsed: unknown = JSON.parse(json);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('contacts.fields does not hold an object');
  return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
