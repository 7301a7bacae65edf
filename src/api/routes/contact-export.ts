import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import type { Db } from '../../db/knex';
import type { DataKeys } from '../../crypto/data-keys';
import { spreadsheetSafeCast } from '../tabular';
import { asEvents, byContact, consentRecordsOf, type ConsentRecord } from '../../db/contact-consents';
import { CONSENT_PURPOSES, standingConsent } from '../../domain/consent';
import { CSV_FIELD_PREFIX, fieldsOfStoredJson } from '../../domain/contact-fields';

const PAGE = 1000;
const EVENT_COLUMNS = [
  'consent_status',
  'consent_purposes',
  'consent_method',
  'consent_source',
  'consent_wording',
  'consent_occurred_at',
  'consent_recorded_at',
  'consent_recorded_by',
];
const LEAD_COLUMNS = ['contact_id', 'phone', 'name', 'assigned_user', 'tags'];
const STANDING_COLUMNS = CONSENT_PURPOSES.map((p) => `${p}_consent`);

/** The consent columns of a contact without any event: empty, so every line has every column. */
const NO_EVENT = EVENT_COLUMNS.map(() => null);

type ContactRow = { id: string; phone: string; name: string | null; fields: string | null; assigned_user: string; tags: string[] };

/**
 * Every contact of the tenant (those tagged `tag`, when set; only those assigned to `assignedUser`, when set) as CSV, the evidence a carrier or a
 * complaint asks for: one line per consent event (grant or withdrawal, oldest first), each with
 * where the contact's consent stands per message type; a contact without any has one line.
 * Streamed a page of contacts at a time, so a large list is never held whole. Custom fields are
 * `field:<name>` columns after `tags`, one per name any exported contact has (sorted): the
 * names are inside each contact's sealed value, so a first pass opens them to write the header.
 */
export async function exportContactsCsv(
  db: Db,
  keys: DataKeys,
  res: Response,
  q: { tenantId: string; tag?: string; assignedUser?: string | null },
): Promise<void> {
  const contactsPage = (after: string, columns: Array<keyof ContactRow>) =>
    db('contacts')
      .where({ tenant_id: q.tenantId })
      .andWhere('id', '>', after)
      .modify((b) => {
        if (q.tag) void b.whereRaw('? = ANY(tags)', [q.tag]);
        if (q.assignedUser) void b.where('assigned_user', q.assignedUser);
      })
      .orderBy('id')
      .limit(PAGE)
      .select<ContactRow[]>(columns);
  const FIRST = '00000000-0000-0000-0000-000000000000';
  // Pass 1: the custom field names in use (kept, not the values).
  const names = new Set<string>();
  for (let after = FIRST; ;) {
    const page = await contactsPage(after, ['id', 'fields']);
    if (!page.length) break;
    await keys.openRows(page, () => q.tenantId, { fields: 'contacts.fields' });
    for (const c of page) for (const name of Object.keys(fieldsOfStoredJson(c.fields))) names.add(name);
    after = page[page.length - 1].id;
  }
  const fieldNames = [...names].sort();
  res.type('text/csv').attachment('contacts.csv');
  const columns = [...LEAD_COLUMNS, ...fieldNames.map((n) => `${CSV_FIELD_PREFIX}${n}`), ...STANDING_COLUMNS, ...EVENT_COLUMNS];
  const csv = stringify({ header: true, columns, cast: spreadsheetSafeCast });
  csv.pipe(res);
  const write = async (cells: unknown[]) => {
    if (!csv.write(cells)) await new Promise((resolve) => csv.once('drain', resolve));
  };
  let after = FIRST;
  for (;;) {
    const contacts = await contactsPage(after, ['id', 'phone', 'name', 'fields', 'assigned_user', 'tags']);
    if (!contacts.length) break;
    // Names and fields are stored encrypted: opened a page at a time, with one key lookup per page.
    await keys.openRows(contacts, () => q.tenantId, { name: 'contacts.name', fields: 'contacts.fields' });
    const histories = byContact(
      await consentRecordsOf(
        db,
        q.tenantId,
        contacts.map((c) => c.id),
      ),
    );
    for (const c of contacts) {
      const history = histories.get(c.id) ?? [];
      const standing = standingConsent(asEvents(history));
      const fields = fieldsOfStoredJson(c.fields);
      const lead = [
        c.id,
        c.phone,
        c.name,
        c.assigned_user,
        c.tags.join(';'),
        // A field added by an upload between the passes has no column: the header is already out.
        ...fieldNames.map((n) => fields[n] ?? null),
        ...CONSENT_PURPOSES.map((p) => (standing[p].granted ? 'granted' : '')),
      ];
      if (!history.length) await write([...lead, ...NO_EVENT]);
      for (const r of history) await write([...lead, ...eventCells(r)]);
    }
    after = contacts[contacts.length - 1].id;
  }
  csv.end();
}

const eventCells = (r: ConsentRecord) => [
  r.status,
  r.purposes.join(';'),
  r.method,
  r.source,
  r.wording,
  r.occurredAt.toISOString(),
  r.recordedAt.toISOString(),
  r.recordedBy,
];
