import type { Db } from './knex';
import type { DataKeys } from '../crypto/data-keys';
import { fieldsOfStoredJson, type ContactFields } from '../domain/contact-fields';
import { contactMergeValues } from '../domain/message-template';

/**
 * What each of the tenant's `contactIds` offers a template (src/domain/message-template.ts):
 * name and custom fields opened with the tenant's data key. A contact that is gone (erased) is
 * absent from the answer.
 */
export async function contactMergeValuesOf(db: Db, keys: DataKeys, tenantId: string, contactIds: string[]): Promise<Map<string, ContactFields>> {
  if (!contactIds.length) return new Map();
  const rows = await db('contacts')
    .where({ tenant_id: tenantId })
    .whereIn('id', contactIds)
    .select<Array<{ id: string; name: string | null; fields: string | null }>>('id', 'name', 'fields');
  await keys.openRows(rows, () => tenantId, { name: 'contacts.name', fields: 'contacts.fields' });
  return new Map(rows.map((r) => [r.id, contactMergeValues({ name: r.name, fields: fieldsOfStoredJson(r.fields) })]));
}
