import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { HttpProblem } from '../problem';
import { requireStorable } from '../request-input';
import { CONSENT_METHODS, CONSENT_PURPOSES } from '../../domain/consent';

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

export const contactSchema = z
  .object({
    phone: z.string().trim().min(3, 'is too short to be a phone number').max(40),
    name: z.string().trim().max(200).optional(),
    /** Who at the tenant answers this contact's replies (an email or a user name). */
    assignedUser: z.string().trim().min(1, 'is required: who answers this contact’s replies').max(200),
    tags: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
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

/** CSV columns: phone, assigned_user, optionally name, tags (separated by `;`) and the consent_* columns. */
export function contactsFromCsv(text: string): ContactInput[] {
  // Its own body parser runs after the app-wide check (request-input.ts), so the check is here.
  requireStorable(text, 'body');
  let records: Array<Record<string, string>>;
  try {
    records = parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Array<Record<string, string>>;
  } catch (err) {
    throw new HttpProblem(400, 'Bad CSV', `The CSV could not be read: ${csvErrorDetail(err as Error & { code?: string; lines?: number })}`);
  }
  if (!records.length) throw new HttpProblem(400, 'Bad CSV', 'The CSV has no contacts (a header row then one contact per row).');
  const missing = ['phone', 'assigned_user'].filter((c) => !(c in records[0]));
  if (missing.length)
    throw new HttpProblem(400, 'Bad CSV', `The CSV needs the column(s) ${missing.join(', ')}; optional: name, tags, ${CONSENT_COLUMNS.join(', ')}.`);
  if (records.length > MAX_CONTACTS_PER_REQUEST) throw new HttpProblem(413, 'Too many contacts', `At most ${MAX_CONTACTS_PER_REQUEST} contacts per upload.`);
  const errors: Array<{ row: number; problems: string[] }> = [];
  const contacts: ContactInput[] = [];
  records.forEach((r, i) => {
    const consent = consentOfRow(r);
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
      ...(consent ? { consent } : {}),
    });
    if (parsed.success) contacts.push(parsed.data);
    else errors.push({ row: i + 2, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
  });
  if (errors.length)
    throw new HttpProblem(400, 'Invalid contacts', `${errors.length} row(s) are not valid; nothing was stored.`, { errors: errors.slice(0, 100) });
  return contacts;
}
