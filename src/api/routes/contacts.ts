import express, { Router } from 'express';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { authenticate, callerTenantId } from '../auth';
import { HttpProblem } from '../problem';
import { parseQuery, requireStorable } from '../request-input';
import { defaultCountryOf, normalizePhoneNumber } from '../../domain/phone';

const MAX_CONTACTS_PER_REQUEST = 100_000;

export const contactSchema = z
  .object({
    phone: z.string().trim().min(3, 'is too short to be a phone number').max(40),
    name: z.string().trim().max(200).optional(),
    /** Who at the tenant answers this contact's replies (an email or a user name). */
    assignedUser: z.string().trim().min(1, 'is required: who answers this contact’s replies').max(200),
    tags: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
  })
  .strict();
type ContactInput = z.infer<typeof contactSchema>;

const contactsBody = z.object({ contacts: z.array(contactSchema).min(1).max(MAX_CONTACTS_PER_REQUEST) }).strict();

/** CSV columns: phone, assigned_user, and optionally name and tags (separated by `;`). */
function contactsFromCsv(text: string): ContactInput[] {
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
    throw new HttpProblem(400, 'Bad CSV', `The CSV could not be read: ${(err as Error).message}`);
  }
  if (!records.length) throw new HttpProblem(400, 'Bad CSV', 'The CSV has no contacts (a header row then one contact per row).');
  const missing = ['phone', 'assigned_user'].filter((c) => !(c in records[0]));
  if (missing.length) throw new HttpProblem(400, 'Bad CSV', `The CSV needs the column(s) ${missing.join(', ')}; optional: name, tags.`);
  if (records.length > MAX_CONTACTS_PER_REQUEST) throw new HttpProblem(413, 'Too many contacts', `At most ${MAX_CONTACTS_PER_REQUEST} contacts per upload.`);
  const errors: Array<{ row: number; problems: string[] }> = [];
  const contacts: ContactInput[] = [];
  records.forEach((r, i) => {
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
    });
    if (parsed.success) contacts.push(parsed.data);
    else errors.push({ row: i + 2, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
  });
  if (errors.length)
    throw new HttpProblem(400, 'Invalid contacts', `${errors.length} row(s) are not valid; nothing was stored.`, { errors: errors.slice(0, 100) });
  return contacts;
}

/**
 * A tenant's contacts, by JSON or CSV upload. Numbers are kept as given (a campaign's
 * hygiene step normalises, de-duplicates and explains each one it drops); uploading the same
 * phone again updates that contact. All or nothing: one bad row stores none.
 */
export function contactRoutes({ db }: ApiDeps): Router {
  const router = Router();
  const tenantKey = authenticate(db, 'tenant');

  router.post('/v1/contacts', tenantKey, express.text({ type: ['text/csv', 'application/csv'], limit: '20mb' }), async (req, res) => {
    const tenantId = callerTenantId(res);
    const contacts = typeof req.body === 'string' ? contactsFromCsv(req.body) : contactsBody.parse(req.body).contacts;
    // The same phone twice in one upload: the last row wins, as a re-upload would.
    const byPhone = new Map(contacts.map((c) => [c.phone, c]));
    let created = 0;
    const [countries] = await db('tenants').where({ id: tenantId }).pluck<string[][]>('destination_countries');
    // Kept beside what was typed so a reply from this number finds its contact.
    const e164Of = (phone: string) => {
      const n = normalizePhoneNumber(phone, defaultCountryOf(countries));
      return n.ok ? n.e164 : null;
    };
    await db.transaction(async (trx) => {
      const rows = [...byPhone.values()].map((c) => ({
        tenant_id: tenantId,
        phone: c.phone,
        phone_e164: e164Of(c.phone),
        name: c.name ?? null,
        assigned_user: c.assignedUser,
        tags: c.tags,
      }));
      for (let i = 0; i < rows.length; i += 2000) {
        const written = await trx('contacts')
          .insert(rows.slice(i, i + 2000))
          .onConflict(['tenant_id', 'phone'])
          .merge({
            phone_e164: trx.raw('EXCLUDED.phone_e164'),
            name: trx.raw('EXCLUDED.name'),
            assigned_user: trx.raw('EXCLUDED.assigned_user'),
            tags: trx.raw('EXCLUDED.tags'),
            updated_at: trx.fn.now(),
          })
          .returning<Array<{ inserted: boolean }>>(trx.raw('(xmax = 0) AS inserted'));
        created += written.filter((w) => w.inserted).length;
      }
    });
    res.status(201).json({ received: contacts.length, created, updated: byPhone.size - created });
  });

  const listQuery = z
    .object({ after: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100), tag: z.string().max(64).optional() })
    .strict();
  router.get('/v1/contacts', tenantKey, async (req, res) => {
    const tenantId = callerTenantId(res);
    const q = parseQuery(listQuery, req.query);
    const rows = await db('contacts')
      .where({ tenant_id: tenantId })
      .modify((b) => {
        if (q.after) void b.andWhere('id', '>', q.after);
        if (q.tag) void b.whereRaw('? = ANY(tags)', [q.tag]);
      })
      .orderBy('id')
      .limit(q.limit)
      .select<Array<{ id: string; phone: string; name: string | null; assigned_user: string; tags: string[]; created_at: Date }>>(
        'id',
        'phone',
        'name',
        'assigned_user',
        'tags',
        'created_at',
      );
    res.json({
      contacts: rows.map((r) => ({ id: r.id, phone: r.phone, name: r.name, assignedUser: r.assigned_user, tags: r.tags, createdAt: r.created_at })),
      next:
        rows.length === q.limit ? `/v1/contacts?after=${rows[rows.length - 1].id}&limit=${q.limit}${q.tag ? `&tag=${encodeURIComponent(q.tag)}` : ''}` : null,
    });
  });

  return router;
}
