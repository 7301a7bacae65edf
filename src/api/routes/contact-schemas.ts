import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { HttpProblem } from '../problem';
import { requireStorable } from '../request-input';
import { CONSENT_METHODS, CONSENT_PURPOSES } from '../../domain/consent';
import { CSV_FIELD_PREFIX, FIELD_NAME, MAX_FIELD_VALUE, MAX_FIELDS, RESERVED_FIELD_NAMES } from '../../domain/contact-fields';

export const MAX_CONTACTS_PER_REQUEST = 100_000;
/** A consent time a little ahead of the server's clock is a clock's skew; further ahead it is a mistake. */
const FUTURE_SKEW_MS = 5 * 60_000;

const purposes = z
  .array(z.enum(CONSENT_PURPOSES))
  .min(1, 'name at least one purpose: marketing, transactional, conversational')
  .max(3)
  .refine((p) => new Set(p).size === p.length, 'names a purpose twice');

const occurredAt = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, such as 2026-11-30T14:05:00Z' })
  .transform((s) => new Date(s))
  .refine((d) => d.getTime() <= Date.now() + FUTURE_SKEW_MS, 'is in the future');

/**
 * A consent as the tenant states it: when, how, where (the form's URL, the keyword), the exact
 * words shown, and for which message types. A web form's source must be its URL.
 */
export const consentSchema = z
  .object({
    optedInAt: occurredAt,
    method: z.enum(CONSENT_METHODS),
    source: z.string().trim().min(1).max(2000).optional(),
    wording: z.string().trim().min(10, 'must be the exact words shown when consent was given').max(2000),
    purposes,
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.method === 'web_form' || c.method === 'qr_code') && !(c.source && /^https?:\/\/\S+$/i.test(c.source)))
      ctx.addIssue({ code: 'custom', path: ['source'], message: `is required for ${c.method}: the URL where consent was given` });
    if (c.method === 'keyword' && !c.source) ctx.addIssue({ code: 'custom', path: ['source'], message: 'is required for keyword: the keyword texted' });
  });
export type ConsentInput = z.infer<typeof consentSchema>;

/** A withdrawal: for which message types, when, and optionally how it was asked for. */
export const withdrawalSchema = z
  .object({
    withdrawnAt: occurredAt.optional(),
    purposes,
    method: z.enum(CONSENT_METHODS).optional(),
    source: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();

const FIELD_NAME_RULE = `must be 1 to 40 of a-z, 0-9 and _`;

/**
 * A contact's custom fields: names of 1 to 40 [a-z0-9_], at most 20 of them, string values of at
 * most 200 characters. A bad one is named by its path (`contacts[0].fields.plan`).
 */
export const contactFieldsSchema = z
  .unknown()
  // Names are checked on the object as sent: a record's output would have lost `__proto__` silently.
  .superRefine((fields, ctx) => {
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return;
    const names = Object.keys(fields);
    if (names.length > MAX_FIELDS) ctx.addIssue({ code: 'custom', path: [], message: `has ${names.length} fields; at most ${MAX_FIELDS}` });
    for (const name of names) {
      if (!FIELD_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `is not a field name: ${FIELD_NAME_RULE}` });
      else if (RESERVED_FIELD_NAMES.has(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is reserved' });
    }
  })
  .pipe(z.record(z.string(), z.string({ error: 'must be a string' }).max(MAX_FIELD_VALUE, `must be at most ${MAX_FIELD_VALUE} characters`)));

export const contactSchema = z
  .object({
    phone: z.string().trim().min(3, 'is too short to be a phone number').max(40),
    name: z.string().trim().max(200).optional(),
    /** Who at the tenant answers this contact's replies (an email or a user name). */
    assignedUser: z.string().trim().min(1, 'is required: who answers this contact’s replies').max(200),
    tags: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
    /** Custom fields, stored sealed (src/domain/contact-fields.ts). */
    fields: contactFieldsSchema.optional(),
    consent: consentSchema.optional(),
  })
  .strict();
export type ContactInput = z.infer<typeof contactSchema>;

export const contactsBody = z.object({ contacts: z.array(contactSchema).min(1).max(MAX_CONTACTS_PER_REQUEST) }).strict();

/** The CSV's consent columns, each named after a `consent` field. */
const CONSENT_COLUMNS = ['consent_method', 'consent_at', 'consent_source', 'consent_wording', 'consent_purposes'] as const;

function consentOfRow(r: Record<string, string>): Record<string, unknown> | undefined {
  if (!CONSENT_COLUMNS.some((c) => r[c])) return undefined;
  return {
    method: r.consent_method,
    optedInAt: r.consent_at,
    ...(r.consent_source ? { source: r.consent_source } : {}),
    wording: r.consent_wording,
    purposes: (r.consent_purposes ?? '')
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean),
  };
}

/** An issue's path as the CSV names it: a custom field by its column (`field:plan`), else the JSON path. */
function csvColumnOf(path: PropertyKey[]): string {
  if (path[0] === 'fields' && path.length > 1) return `${CSV_FIELD_PREFIX}${String(path[1])}`;
  return path.map(String).join('.');
}

/**
 * What was wrong with a CSV, without quoting it: csv-parse's own messages quote the field it
 * stopped at ("value is \"+14155552671 \""), which is a contact's number.
 */
function csvErrorDetail(err: Error & { code?: string; lines?: number }): string {
  const where = err.lines ? ` on line ${err.lines}` : '';
  switch (err.code) {
    case 'INVALID_OPENING_QUOTE':
      return `a quote inside an unquoted field${where} (quote the whole field and double the quotes in it).`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `text after a closing quote${where} (quote the whole field and double the quotes in it).`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quote opened${where} is never closed.`;
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return `a row${where} has a different number of fields than the header.`;
    default:
      return `${err.code ?? 'unreadable'}${where}.`;
  }
}

/**
 * The CSV header's names as the rows are keyed: known columns case-insensitively; a custom field's
 * `field:<name>` keeps its name as written (a name is lower-case, so `field:Plan` is refused, as
 * `Plan` is in JSON). A field named twice, or not a field name, is refused before any row is read.
 */
function csvColumns(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, i) => {
    const h = raw.trim();
    if (h.slice(0, CSV_FIELD_PREFIX.length).toLowerCase() !== CSV_FIELD_PREFIX) return h.toLowerCase();
    const name = h.slice(CSV_FIELD_PREFIX.length);
    if (!FIELD_NAME.test(name) || RESERVED_FIELD_NAMES.has(name))
      throw new HttpProblem(400, 'Bad CSV', `Column ${i + 1} (${h}) is not a custom field: after "${CSV_FIELD_PREFIX}" the name ${FIELD_NAME_RULE}.`, {
        errors: [{ field: h, message: `is not a custom field column: after "${CSV_FIELD_PREFIX}" the name ${FIELD_NAME_RULE}` }],
      });
    const column = `${CSV_FIELD_PREFIX}${name}`;
    if (seen.has(column))
      throw new HttpProblem(400, 'Bad CSV', `The column ${column} appears twice.`, { errors: [{ field: column, message: 'appears twice' }] });
    seen.add(column);
    return column;
  });
}

/** A row's custom fields: its non-empty `field:<name>` cells (an empty cell: the contact has no such field). */
function fieldsOfRow(r: Record<string, string>): Record<string, string> | undefined {
  const entries = Object.entries(r)
    .filter(([column, value]) => column.startsWith(CSV_FIELD_PREFIX) && value !== '')
    .map(([column, value]) => [column.slice(CSV_FIELD_PREFIX.length), value] as const);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/**
 * CSV columns: phone, assigned_user, optionally name, tags (separated by `;`), the consent_*
 * columns, and custom fields as `field:<name>` columns (one per field).
 */
export function contactsFromCsv(text: string): ContactInput[] {
  // Its own body parser runs after the app-wide check (request-input.ts), so the check is here.
  requireStorable(text, 'body');
  let records: Array<Record<string, string>>;
  try {
    records = parseCsv(text, {
      columns: csvColumns,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Array<Record<string, string>>;
  } catch (err) {
    if (err instanceof HttpProblem) throw err;
    throw new HttpProblem(400, 'Bad CSV', `The CSV could not be read: ${csvErrorDetail(err as Error & { code?: string; lines?: number })}`);
  }
  if (!records.length) throw new HttpProblem(400, 'Bad CSV', 'The CSV has no contacts (a header row then one contact per row).');
  const missing = ['phone', 'assigned_user'].filter((c) => !(c in records[0]));
  if (missing.length)
    throw new HttpProblem(
      400,
      'Bad CSV',
      `The CSV needs the column(s) ${missing.join(', ')}; optional: name, tags, ${CONSENT_COLUMNS.join(', ')}, ${CSV_FIELD_PREFIX}<name> (custom fields).`,
    );
  if (records.length > MAX_CONTACTS_PER_REQUEST) throw new HttpProblem(413, 'Too many contacts', `At most ${MAX_CONTACTS_PER_REQUEST} contacts per upload.`);
  const errors: Array<{ row: number; problems: string[] }> = [];
  const contacts: ContactInput[] = [];
  records.forEach((r, i) => {
    const consent = consentOfRow(r);
    const fields = fieldsOfRow(r);
    const parsed = contactSchema.safeParse({
      phone: r.phone,
      assignedUser: r.assigned_user,
      ...(r.name ? { name: r.name } : {}),
      tags: r.tags
        ? r.tags
            .split(';')
            .map((t) => t.trim())
            .filter(Boolean)
        : [],
      ...(fields ? { fields } : {}),
      ...(consent ? { consent } : {}),
    });
    if (parsed.success) contacts.push(parsed.data);
    else errors.push({ row: i + 2, problems: parsed.error.issues.map((issue) => `${csvColumnOf(issue.path)}: ${issue.message}`) });
  });
  if (errors.length)
    throw new HttpProblem(400, 'Invalid contacts', `${errors.length} row(s) are not valid; nothing was stored.`, { errors: errors.slice(0, 100) });
  return contacts;
}
