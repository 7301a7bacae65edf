import type { Db } from '../db/knex';
import type { DataKeys } from './data-keys';
import type { EncryptedField } from './envelope';

/** Every encrypted column: its table, row key, and the tenant it belongs to. */
const COLUMNS: Array<{ field: EncryptedField; table: string; key: string; column: string }> = [
  { field: 'campaigns.body', table: 'campaigns', key: 'id', column: 'body' },
  { field: 'outbox.body', table: 'outbox', key: 'id', column: 'body' },
  { field: 'inbound_messages.body', table: 'inbound_messages', key: 'message_sid', column: 'body' },
  { field: 'opt_out_requests.phrase', table: 'opt_out_requests', key: 'id', column: 'phrase' },
  { field: 'contacts.name', table: 'contacts', key: 'id', column: 'name' },
  // Never plain (a CHECK refuses it): here so a re-encryption after a rotation moves it too.
  { field: 'contacts.fields', table: 'contacts', key: 'id', column: 'fields' },
  { field: 'message_templates.body', table: 'message_templates', key: 'id', column: 'body' },
];

interface StoredValue {
  k: string;
  tenant_id: string;
  value: string;
}

const SEALED_SQL = `'^cs1:[0-9]+:[A-Za-z0-9_-]+$'`;

export interface SealRowsOptions {
  /** Only this tenant's rows (unset: every tenant's). */
  tenantId?: string;
  /** Also re-encrypt values sealed with an older data key version than the tenant's newest (after a rotation). */
  olderVersions?: boolean;
  batchSize?: number;
  /** Told after every batch (a script prints it). */
  progress?: (p: { field: EncryptedField; done: number }) => void;
}

/**
 * The background backfill: seals every value still in plain text (rows written before
 * encryption at rest), and with `olderVersions` re-encrypts values under the tenant's newest
 * data key (optional after a rotation: older versions stay readable). Runs beside live traffic
 * a batch at a time; a row changed or erased meanwhile (NULL, or the purged '') is left as it is.
 * Returns how many values it sealed, per field.
 */
export async function sealPlainRows(db: Db, keys: DataKeys, opts: SealRowsOptions = {}): Promise<Record<string, number>> {
  const batchSize = opts.batchSize ?? 500;
  const done: Record<string, number> = {};
  for (const { field, table, key, column } of COLUMNS) {
    done[field] = 0;
    // One pass in key order (the cursor), so a row that stays unsealed is not read again and again.
    let after: string | null = null;
    for (;;) {
      const bindings: Array<string | number> = [...(opts.tenantId ? [opts.tenantId] : []), ...(after === null ? [] : [after]), batchSize];
      // CASE, not OR: a plain value must never reach the ::int of a version.
      const { rows }: { rows: StoredValue[] } = await db.raw<{ rows: StoredValue[] }>(
        `SELECT t.${key}::text AS k, t.tenant_id, t.${column} AS value FROM ${table} t
           WHERE t.${column} IS NOT NULL AND t.${column} <> '' ${opts.tenantId ? 'AND t.tenant_id = ?' : ''} ${after === null ? '' : `AND t.${key} > ?`}
             AND CASE WHEN t.${column} ~ ${SEALED_SQL}
                 THEN ${opts.olderVersions ? `split_part(t.${column}, ':', 2)::int < (SELECT max(version) FROM tenant_data_keys d WHERE d.tenant_id = t.tenant_id)` : 'false'}
                 ELSE true END
           ORDER BY t.${key} LIMIT ?`,
        bindings,
      );
      if (!rows.length) break;
      for (const row of rows) {
        const plain = await keys.open(row.tenant_id, field, row.value);
        const sealed = await keys.seal(row.tenant_id, field, plain);
        // Only if the value is still the one read: a concurrent write or erasure wins.
        const updated = await db(table)
          .where({ [key]: row.k, [column]: row.value })
          .update({ [column]: sealed });
        done[field] += updated;
      }
      after = rows[rows.length - 1].k;
      opts.progress?.({ field, done: done[field] });
    }
  }
  return done;
}
