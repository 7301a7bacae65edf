import express, { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { dataKeysFor } from '../../crypto/data-keys';
import { assignedUserScope, authenticate, callerTenantId, recorderOf, tenantAccess } from '../auth';
import { auditExport } from '../export-audit';
import { HttpProblem, InvalidInput } from '../problem';
import { parseQuery } from '../request-input';
import { defaultCountryOf, normalizePhoneNumber } from '../../domain/phone';
import { standingConsent } from '../../domain/consent';
import { asEvents, byContact, consentRecordsOf, recordConsents, type NewConsent } from '../../db/contact-consents';
import { contactsBody, contactsFromCsv } from './contact-schemas';
import { consentRoutes } from './contact-consents';
import { exportContactsCsv } from './contact-export';
import { wantsCsv } from '../tabular';
import { erasedAmong, erasureHashKey } from '../../db/erased-numbers';
import { fieldsOfStoredJson, storedFieldsJson } from '../../domain/contact-fields';
import type { Db } from '../../db/knex';
import type { DataKeys } from '../../crypto/data-keys';

type ContactRow = { id: string; phone: string; name: string | null; fields: string | null; assigned_user: string; tags: string[]; created_at: Date };
const CONTACT_COLUMNS = ['id', 'phone', 'name', 'fields', 'assigned_user', 'tags', 'created_at'] as const;

/** Contacts as the API shows them: name and custom fields opened, each with its consent history and standing. */
async function contactViews(db: Db, keys: DataKeys, tenantId: string, rows: ContactRow[]) {
  await keys.openRows(rows, () => tenantId, { name: 'contacts.name', fields: 'contacts.fields' });
  const consents = byContact(
    await consentRecordsOf(
      db,
      tenantId,
      rows.map((r) => r.id),
    ),
  );
  return rows.map((r) => {
    const history = consents.get(r.id) ?? [];
    return {
      id: r.id,
      phone: r.phone,
      name: r.name,
      assignedUser: r.assigned_user,
      tags: r.tags,
      fields: fieldsOfStoredJson(r.fields),
      createdAt: r.created_at,
      consent: { standing: standingConsent(asEvents(history)), history: history.map(({ contactId: _, ...record }) => record) },
    };
  });
}

/**
 * A tenant's contacts, by JSON or CSV upload. Numbers are kept as given (a campaign's
 * hygiene step normalises, de-duplicates and explains each one it drops); uploading the same
 * phone again updates that contact. All or nothing: one bad row stores none. A contact may come
 * with its consent (a new row of its history); the list exports each contact's history and
 * where each purpose stands.
 */
export function contactRoutes({ db, config }: ApiDeps): Router {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const tenantKey = authenticate(db, 'tenant');

  router.post('/v1/contacts', tenantAccess(db, 'contacts.write'), express.text({ type: ['text/csv', 'application/csv'], limit: '20mb' }), async (req, res) => {
    const tenantId = callerTenantId(res);
    const contacts = typeof req.body === 'string' ? contactsFromCsv(req.body) : contactsBody.parse(req.body).contacts;
    // A user restricted to their assigned contacts adds and changes only their own.
    const scope = assignedUserScope(res);
    if (scope) {
      const others = contacts.findIndex((c) => c.assignedUser !== scope);
      if (others >= 0)
        throw new InvalidInput([{ field: `contacts[${others}].assignedUser`, message: `must be ${scope}: you may add only contacts assigned to you` }]);
    }
    // The same phone twice in one upload: the last row wins, as a re-upload would.
    const byPhone = new Map(contacts.map((c) => [c.phone, c]));
    let created = 0;
    const [countries] = await db('tenants').where({ id: tenantId }).pluck<string[][]>('destination_countries');
    // Kept beside what was typed so a reply from this number finds its contact.
    const e164Of = (phone: string) => {
      const n = normalizePhoneNumber(phone, defaultCountryOf(countries));
      return n.ok ? n.e164 : null;
    };
    // The user whose key uploads (`user:<name>`), or the tenant's own key (`api-key:<id>`).
    const recordedBy = recorderOf(res);
    // Names and custom fields are encrypted at rest with the tenant's data key (sealed before the transaction: a first key is made on its own connection).
    const seal = await keys.sealerFor(tenantId);
    await db.transaction(async (trx) => {
      const rows = [...byPhone.values()].map((c) => {
        const fields = storedFieldsJson(c.fields);
        return {
          tenant_id: tenantId,
          phone: c.phone,
          phone_e164: e164Of(c.phone),
          name: c.name == null ? null : seal('contacts.name', c.name),
          // One sealed value for the whole object; an upload replaces the fields as it does the name and tags.
          fields: fields === null ? null : seal('contacts.fields', fields),
          assigned_user: c.assignedUser,
          tags: c.tags,
        };
      });
      for (let i = 0; i < rows.length; i += 2000) {
        const written = await trx('contacts')
          .insert(rows.slice(i, i + 2000))
          .onConflict(['tenant_id', 'phone'])
          .merge({
            phone_e164: trx.raw('EXCLUDED.phone_e164'),
            name: trx.raw('EXCLUDED.name'),
            fields: trx.raw('EXCLUDED.fields'),
            assigned_user: trx.raw('EXCLUDED.assigned_user'),
            tags: trx.raw('EXCLUDED.tags'),
            updated_at: trx.fn.now(),
          })
          .modify((q) => {
            if (scope) void q.where('contacts.assigned_user', scope);
          })
          .returning<Array<{ id: string; phone: string; inserted: boolean }>>(trx.raw('id, phone, (xmax = 0) AS inserted'));
        if (written.length < Math.min(2000, rows.length - i))
          throw new HttpProblem(
            409,
            'Not your contact',
            'Some of these numbers are contacts assigned to another user; you may change only yours. Nothing was stored.',
          );
        created += written.filter((w) => w.inserted).length;
        // A consent given with the contact is a new row of its history, never a change to an old one.
        const consents: NewConsent[] = written.flatMap((w) => {
          const consent = byPhone.get(w.phone)?.consent;
          if (!consent) return [];
          const { optedInAt, method, source, wording, purposes } = consent;
          return [{ tenantId, contactId: w.id, status: 'granted', purposes, method, source: source ?? null, wording, occurredAt: optedInAt, recordedBy }];
        });
        await recordConsents(trx, consents);
      }
    });
    // A number erased on its owner's request may be stored again, but is never texted: say so.
    const erased = await erasedAmong(
      db,
      tenantId,
      [...byPhone.keys()].map(e164Of).filter((n): n is string => n !== null),
      erasureHashKey(config),
    );
    res.status(201).json({
      received: contacts.length,
      created,
      updated: byPhone.size - created,
      ...(erased.size
        ? { erased: erased.size, erasedNote: 'Numbers erased on their owner’s request: stored, but never texted (campaigns drop them as suppressed).' }
        : {}),
    });
  });

  const listQuery = z
    .object({
      after: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      tag: z.string().max(64).optional(),
      format: z.enum(['json', 'csv']).optional(),
    })
    .strict();
  router.get('/v1/contacts', tenantAccess(db, 'contacts.read'), async (req, res) => {
    const tenantId = callerTenantId(res);
    const q = parseQuery(listQuery, req.query);
    const assignedUser = assignedUserScope(res);
    // The export: every contact with its consent history, in one CSV (no pages), audited.
    if (wantsCsv(req)) {
      await auditExport(db, res, { tenantId, what: 'contacts', details: { tag: q.tag ?? null, assignedUser } });
      return exportContactsCsv(db, keys, res, { tenantId, tag: q.tag, assignedUser });
    }
    const rows = await db('contacts')
      .where({ tenant_id: tenantId })
      .modify((b) => {
        if (assignedUser) void b.where('assigned_user', assignedUser);
        if (q.after) void b.andWhere('id', '>', q.after);
        if (q.tag) void b.whereRaw('? = ANY(tags)', [q.tag]);
      })
      .orderBy('id')
      .limit(q.limit)
      .select<ContactRow[]>(...CONTACT_COLUMNS);
    res.json({
      contacts: await contactViews(db, keys, tenantId, rows),
      next:
        rows.length === q.limit ? `/v1/contacts?after=${rows[rows.length - 1].id}&limit=${q.limit}${q.tag ? `&tag=${encodeURIComponent(q.tag)}` : ''}` : null,
    });
  });

  // One contact, as the list shows it; another tenant's, another user's (for a restricted user) or an unknown one is a 404.
  router.get('/v1/contacts/:contactId', tenantAccess(db, 'contacts.read'), async (req, res) => {
    const tenantId = callerTenantId(res);
    const contactId = String(req.params.contactId);
    const assignedUser = assignedUserScope(res);
    const row = z.uuid().safeParse(contactId).success
      ? await db('contacts')
          .where({ tenant_id: tenantId, id: contactId })
          .modify((b) => {
            if (assignedUser) void b.where('assigned_user', assignedUser);
          })
          .first<ContactRow | undefined>(...CONTACT_COLUMNS)
      : undefined;
    if (!row) throw new HttpProblem(404, 'Not found', 'No such contact.');
    const [view] = await contactViews(db, keys, tenantId, [row]);
    res.json(view);
  });

  router.use(consentRoutes({ db, tenantKey }));
  return router;
}
