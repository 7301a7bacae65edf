import type { Db } from '../db/knex';
import { FieldDecryptionError, keyVersionOf, openField, sealField, type EncryptedField } from './envelope';
import { newDataKey, platformKeyRing, unwrapDataKey, wrapDataKey, type PlatformKeyRing } from './platform-keys';

interface DataKeyRow {
  tenant_id: string;
  version: number;
  wrapped_key: string;
  platform_key_id: string;
}

/** How long a process keeps writing with the tenant's newest key version before looking again (a rotation elsewhere is picked up within this). */
const CURRENT_VERSION_TTL_MS = 30_000;
/** Unwrapped keys kept per process; beyond this the cache starts again (a rare unwrap each). */
const MAX_CACHED_KEYS = 50_000;

/**
 * Tenants' data keys for one database: made at a tenant's first encrypted write, unwrapped
 * once per process and kept in memory (never logged, never returned to callers but as
 * sealed or opened text), rotated by adding a version. Reads open any version; writes use the
 * newest one this process has seen within the last CURRENT_VERSION_TTL_MS.
 */
export class DataKeys {
  private readonly unwrapped = new Map<string, Buffer>();
  private readonly newest = new Map<string, { version: number; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly ring: PlatformKeyRing,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seals one value for the tenant's field; null stays null (erased, or never given). */
  async seal(tenantId: string, field: EncryptedField, plaintext: string): Promise<string>;
  async seal(tenantId: string, field: EncryptedField, plaintext: string | null): Promise<string | null>;
  async seal(tenantId: string, field: EncryptedField, plaintext: string | null): Promise<string | null> {
    if (plaintext === null) return null;
    return sealField(await this.current(tenantId), tenantId, field, plaintext);
  }

  /** A sealer for many values of one tenant with a single key lookup (a page of writes). */
  async sealerFor(tenantId: string): Promise<(field: EncryptedField, plaintext: string) => string> {
    const key = await this.current(tenantId);
    return (field, plaintext) => sealField(key, tenantId, field, plaintext);
  }

  /** Opens one stored value; plain text from before encryption reads as it is, null stays null. */
  async open(tenantId: string, field: EncryptedField, stored: string): Promise<string>;
  async open(tenantId: string, field: EncryptedField, stored: string | null | undefined): Promise<string | null>;
  async open(tenantId: string, field: EncryptedField, stored: string | null | undefined): Promise<string | null> {
    if (stored === null || stored === undefined) return null;
    const version = keyVersionOf(stored);
    if (version === undefined) return stored;
    await this.load(tenantId, [version]);
    return openField((v) => this.cached(tenantId, v), tenantId, field, stored);
  }

  /**
   * Opens the named fields of a page of rows in place, loading each tenant's key versions the
   * page needs with one query: a page of N rows costs one round trip at most, not N.
   */
  async openRows<T extends object>(rows: T[], tenantOf: (row: T) => string, fields: Partial<Record<keyof T, EncryptedField>>): Promise<T[]> {
    const entries = Object.entries(fields) as Array<[keyof T, EncryptedField]>;
    const needed = new Map<string, Set<number>>();
    for (const row of rows)
      for (const [column] of entries) {
        const value = row[column];
        const version = typeof value === 'string' ? keyVersionOf(value) : undefined;
        if (version === undefined) continue;
        const tenantId = tenantOf(row);
        if (!needed.has(tenantId)) needed.set(tenantId, new Set());
        needed.get(tenantId)!.add(version);
      }
    for (const [tenantId, versions] of needed) await this.load(tenantId, [...versions]);
    for (const row of rows)
      for (const [column, field] of entries) {
        const value = row[column];
        if (typeof value !== 'string') continue;
        const tenantId = tenantOf(row);
        (row as Record<keyof T, unknown>)[column] = openField((v) => this.cached(tenantId, v), tenantId, field, value);
      }
    return rows;
  }

  /** Adds the tenant's next data key version; new writes use it, older ones stay readable. Returns the new version. */
  async rotateTenantKey(tenantId: string): Promise<number> {
    for (;;) {
      const max = await this.db('tenant_data_keys').where({ tenant_id: tenantId }).max<{ max: number | null }>('version as max').first();
      const version = (max?.max ?? 0) + 1;
      if (await this.insertKey(tenantId, version)) {
        this.newest.set(tenantId, { version, at: this.clock() });
        return version;
      }
    }
  }

  /**
   * Re-wraps every data key not wrapped by the active platform key (a platform key rotation):
   * the data keys, and so every value sealed with them, stay as they are. Returns how many.
   */
  async rewrapAll(opts: { tenantId?: string; batchSize?: number } = {}): Promise<number> {
    let done = 0;
    for (;;) {
      const rows = await this.db('tenant_data_keys')
        .whereNot({ platform_key_id: this.ring.activeId })
        .modify((q) => {
          if (opts.tenantId) void q.where({ tenant_id: opts.tenantId });
        })
        .orderBy(['tenant_id', 'version'])
        .limit(opts.batchSize ?? 500)
        .select<DataKeyRow[]>('tenant_id', 'version', 'wrapped_key', 'platform_key_id');
      if (!rows.length) return done;
      for (const row of rows) {
        const wrapped = wrapDataKey(this.ring, row.tenant_id, row.version, unwrapDataKey(this.ring, row));
        // Only if no one re-wrapped it meanwhile: the wrapped key it replaces is the one read.
        await this.db('tenant_data_keys')
          .where({ tenant_id: row.tenant_id, version: row.version, wrapped_key: row.wrapped_key })
          .update({ wrapped_key: wrapped.wrappedKey, platform_key_id: wrapped.platformKeyId, rewrapped_at: this.db.fn.now() });
        done++;
      }
    }
  }

  private cached(tenantId: string, version: number): Buffer {
    const key = this.unwrapped.get(`${tenantId}:${version}`);
    if (!key) throw new Error(`tenant data key v${version} is not loaded`);
    return key;
  }

  /** The tenant's newest key, made (version 1) if it has none yet. */
  private async current(tenantId: string): Promise<{ version: number; key: Buffer }> {
    const known = this.newest.get(tenantId);
    if (known && this.clock() - known.at < CURRENT_VERSION_TTL_MS && this.unwrapped.has(`${tenantId}:${known.version}`)) {
      return { version: known.version, key: this.cached(tenantId, known.version) };
    }
    let row = await this.newestRow(tenantId);
    if (!row) {
      // Two first writers at once: one insert wins, both read the winner.
      await this.insertKey(tenantId, 1);
      row = await this.newestRow(tenantId);
      if (!row) throw new Error(`tenant ${tenantId} has no data key and none could be made`);
    }
    this.remember(row);
    this.newest.set(tenantId, { version: row.version, at: this.clock() });
    return { version: row.version, key: this.cached(tenantId, row.version) };
  }

  private newestRow(tenantId: string): Promise<DataKeyRow | undefined> {
    return this.db('tenant_data_keys')
      .where({ tenant_id: tenantId })
      .orderBy('version', 'desc')
      .first<DataKeyRow | undefined>('tenant_id', 'version', 'wrapped_key', 'platform_key_id');
  }

  private async insertKey(tenantId: string, version: number): Promise<boolean> {
    const wrapped = wrapDataKey(this.ring, tenantId, version, newDataKey());
    const inserted = await this.db('tenant_data_keys')
      .insert({ tenant_id: tenantId, version, wrapped_key: wrapped.wrappedKey, platform_key_id: wrapped.platformKeyId })
      .onConflict(['tenant_id', 'version'])
      .ignore()
      .returning('version');
    return inserted.length > 0;
  }

  private async load(tenantId: string, versions: number[]): Promise<void> {
    const missing = versions.filter((v) => !this.unwrapped.has(`${tenantId}:${v}`));
    if (!missing.length) return;
    const rows = await this.db('tenant_data_keys')
      .where({ tenant_id: tenantId })
      .whereIn('version', missing)
      .select<DataKeyRow[]>('tenant_id', 'version', 'wrapped_key', 'platform_key_id');
    for (const row of rows) this.remember(row);
    // A version the tenant never had: the value is not this tenant's (or was tampered with).
    for (const v of missing)
      if (!this.unwrapped.has(`${tenantId}:${v}`)) throw new FieldDecryptionError(`a sealed value names data key v${v}, which this tenant does not have`);
  }

  private remember(row: DataKeyRow): void {
    const id = `${row.tenant_id}:${row.version}`;
    if (this.unwrapped.has(id)) return;
    if (this.unwrapped.size >= MAX_CACHED_KEYS) this.unwrapped.clear();
    this.unwrapped.set(id, unwrapDataKey(this.ring, row));
  }
}

const perDatabase = new WeakMap<Db, DataKeys>();

/** The process's one keyring for a database handle (its cache shared by every caller of that handle). */
export function dataKeysFor(db: Db, settings: { CREDENTIALS_KEY: string; DATA_KEYS?: string }): DataKeys {
  let keys = perDatabase.get(db);
  if (!keys) {
    keys = new DataKeys(db, platformKeyRing(settings));
    perDatabase.set(db, keys);
  }
  return keys;
}
