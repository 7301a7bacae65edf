import { randomBytes } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { createDb, type Db } from '../../src/db/knex';
import { DataKeys } from '../../src/crypto/data-keys';
import { sealPlainRows } from '../../src/crypto/backfill';
import { keyVersionOf } from '../../src/crypto/envelope';
import { DERIVED_KEY_ID, platformKeyRing } from '../../src/crypto/platform-keys';
import { testServices } from '../support/test-env';

/**
 * Tenants' data keys in PostgreSQL: made on first use, rotated (a new version for new writes,
 * old ones still read) and re-wrapped under a new platform key while other processes read and
 * write; legacy plain rows read as they are and the backfill seals them.
 */
describe('tenant data keys', () => {
  let db: Db;
  const CREDENTIALS_KEY = randomBytes(32).toString('base64');
  const newPlatformKey = randomBytes(32).toString('base64');
  // A rotation's steps as configuration: every process learns the new key, then it wraps.
  const before = () => platformKeyRing({ CREDENTIALS_KEY });
  const learning = () => platformKeyRing({ CREDENTIALS_KEY, DATA_KEYS: `${DERIVED_KEY_ID},p2:${newPlatformKey}` });
  const wrapping = () => platformKeyRing({ CREDENTIALS_KEY, DATA_KEYS: `p2:${newPlatformKey},${DERIVED_KEY_ID}` });
  const tenant = async () =>
    (
      await db('tenants')
        .insert({ slug: `dk-${randomBytes(4).toString('hex')}`, business_name: 'Keys Co' })
        .returning<{ id: string }[]>('id')
    )[0].id;

  beforeAll(() => {
    db = createDb(testServices().databaseUrl);
  });
  afterAll(() => db.destroy());

  it('makes one key per tenant on first use, even when two processes start at once', async () => {
    const id = await tenant();
    const [a, b] = [new DataKeys(db, before()), new DataKeys(db, before())];
    const sealed = await Promise.all([a.seal(id, 'contacts.name', 'Ann'), b.seal(id, 'contacts.name', 'Bo'), a.seal(id, 'contacts.name', 'Cy')]);
    expect(await db('tenant_data_keys').where({ tenant_id: id }).select('version', 'platform_key_id')).toEqual([
      { version: 1, platform_key_id: DERIVED_KEY_ID },
    ]);
    const reader = new DataKeys(db, before());
    expect(await Promise.all(sealed.map((s) => reader.open(id, 'contacts.name', s)))).toEqual(['Ann', 'Bo', 'Cy']);
    // Only wrapped keys are stored.
    const [row] = await db('tenant_data_keys').where({ tenant_id: id }).select('wrapped_key');
    expect(row.wrapped_key).toMatch(/^v1\./);
  });

  it("refuses another tenant's value", async () => {
    const [one, two] = [await tenant(), await tenant()];
    const keys = new DataKeys(db, before());
    await keys.seal(two, 'inbound_messages.body', 'warm up two');
    const sealed = await keys.seal(one, 'inbound_messages.body', 'for one only');
    await expect(keys.open(two, 'inbound_messages.body', sealed)).rejects.toThrow(/failed authentication|does not have/);
  });

  it('rotates the data key and the platform key while values are written and read: every value still opens', async () => {
    const id = await tenant();
    const oldProcess = new DataKeys(db, learning());
    const newProcess = new DataKeys(db, wrapping());
    const written: Array<{ text: string; sealed: string }> = [];
    const write = async (keys: DataKeys, n: number, tag: string) => {
      for (let i = 0; i < n; i++) {
        const text = `${tag} message ${i}`;
        written.push({ text, sealed: await keys.seal(id, 'outbox.body', text) });
      }
    };
    const readAll = async (keys: DataKeys) => {
      for (const w of [...written]) expect(await keys.open(id, 'outbox.body', w.sealed)).toBe(w.text);
    };
    let rotated = false;
    const keepReading = async (keys: DataKeys) => {
      // Cached keys open without I/O: yield between passes so the writers and the rotation run.
      for (let passes = 0; !rotated || passes < 2; passes++) {
        await readAll(keys);
        await setImmediate();
      }
    };
    await write(oldProcess, 5, 'before');
    // Both processes keep writing and reading while the new process adds v2 and re-wraps every key.
    await Promise.all([
      write(oldProcess, 20, 'old-process'),
      write(newProcess, 20, 'new-process'),
      (async () => {
        try {
          expect(await newProcess.rotateTenantKey(id)).toBe(2);
          // v2 was made under p2 already: only v1 needs it.
          expect(await newProcess.rewrapAll({ tenantId: id, batchSize: 1 })).toBe(1);
        } finally {
          rotated = true;
        }
      })(),
      keepReading(oldProcess),
      keepReading(newProcess),
    ]);
    await write(newProcess, 3, 'after');
    expect(written.slice(-3).map((w) => keyVersionOf(w.sealed))).toEqual([2, 2, 2]);
    expect(new Set(written.map((w) => keyVersionOf(w.sealed)))).toEqual(new Set([1, 2]));
    expect(await db('tenant_data_keys').where({ tenant_id: id }).orderBy('version').select('version', 'platform_key_id')).toEqual([
      { version: 1, platform_key_id: 'p2' },
      { version: 2, platform_key_id: 'p2' },
    ]);
    // Fresh processes (nothing cached) of either configuration read everything, old and new.
    await readAll(new DataKeys(db, learning()));
    await readAll(new DataKeys(db, wrapping()));
    // One that never learned the new platform key cannot: the rotation's first step is not optional.
    await expect(new DataKeys(db, before()).open(id, 'outbox.body', written[0].sealed)).rejects.toThrow(/p2, which DATA_KEYS no longer lists/);
  });

  it('reads legacy plain rows as they are; the backfill seals them, and re-encrypts older versions when asked', async () => {
    const id = await tenant();
    const keys = new DataKeys(db, before());
    const [campaign] = await db('campaigns')
      .insert({
        tenant_id: id,
        name: 'old',
        body: 'Legacy body from before',
        message_type: 'marketing',
        batch_size: 10,
        scan: '{}',
        encoding: 'GSM-7',
        segments: 1,
      })
      .returning<{ id: string }[]>('id');
    const [contact] = await db('contacts')
      .insert({ tenant_id: id, phone: '+14155550101', name: 'Legacy Name', assigned_user: 'owner' })
      .returning<{ id: string }[]>('id');
    await db('contacts').insert({ tenant_id: id, phone: '+14155550102', name: null, assigned_user: 'owner' });
    expect(await keys.open(id, 'campaigns.body', 'Legacy body from before')).toBe('Legacy body from before');

    await sealPlainRows(db, keys, { tenantId: id, batchSize: 1 });
    const body = (await db('campaigns').where({ id: campaign.id }).first<{ body: string }>('body')).body;
    const name = (await db('contacts').where({ id: contact.id }).first<{ name: string }>('name')).name;
    expect([keyVersionOf(body), keyVersionOf(name)]).toEqual([1, 1]);
    expect(await keys.open(id, 'campaigns.body', body)).toBe('Legacy body from before');
    expect(await keys.open(id, 'contacts.name', name)).toBe('Legacy Name');
    expect(await db('contacts').where({ tenant_id: id, phone: '+14155550102' }).first('name')).toEqual({ name: null });
    // A second run finds nothing left to seal.
    const again = await sealPlainRows(db, keys, { tenantId: id });
    expect(again['campaigns.body'] + again['contacts.name']).toBe(0);

    // After a rotation the old version stays as it is unless re-encryption is asked for.
    await keys.rotateTenantKey(id);
    await sealPlainRows(db, keys, { tenantId: id });
    expect(keyVersionOf((await db('campaigns').where({ id: campaign.id }).first<{ body: string }>('body')).body)).toBe(1);
    await sealPlainRows(db, keys, { tenantId: id, olderVersions: true });
    const resealed = (await db('campaigns').where({ id: campaign.id }).first<{ body: string }>('body')).body;
    expect(keyVersionOf(resealed)).toBe(2);
    expect(await new DataKeys(db, before()).open(id, 'campaigns.body', resealed)).toBe('Legacy body from before');
  });

  it('covers contacts’ custom fields: never plain in the column, re-encrypted under the newest key when asked', async () => {
    const id = await tenant();
    const keys = new DataKeys(db, before());
    const fields = JSON.stringify({ plan: 'Gold', store_id: '0042' });
    const [contact] = await db('contacts')
      .insert({ tenant_id: id, phone: '+14155550103', assigned_user: 'owner', fields: await keys.seal(id, 'contacts.fields', fields) })
      .returning<{ id: string }[]>('id');
    const fieldsOf = async () => (await db('contacts').where({ id: contact.id }).first<{ fields: string }>('fields')).fields;
    // The column holds sealed values only: clear text is refused by the database itself.
    await expect(db('contacts').insert({ tenant_id: id, phone: '+14155550104', assigned_user: 'owner', fields: fields })).rejects.toThrow(
      /contacts_fields_sealed/,
    );
    expect(await sealPlainRows(db, keys, { tenantId: id })).toMatchObject({ 'contacts.fields': 0 });
    expect(keyVersionOf(await fieldsOf())).toBe(1);

    // `npm run data-keys -- rotate`, then `encrypt --reencrypt`: the fields move to v2 and still open, in a fresh process too.
    await keys.rotateTenantKey(id);
    expect(await sealPlainRows(db, keys, { tenantId: id, olderVersions: true, batchSize: 1 })).toMatchObject({ 'contacts.fields': 1 });
    const resealed = await fieldsOf();
    expect(keyVersionOf(resealed)).toBe(2);
    expect(await new DataKeys(db, before()).open(id, 'contacts.fields', resealed)).toBe(fields);
    // A platform key rotation re-wraps the keys; the sealed fields are left as they are and still open.
    expect(await new DataKeys(db, wrapping()).rewrapAll({ tenantId: id })).toBe(2);
    expect(await fieldsOf()).toBe(resealed);
    expect(await new DataKeys(db, wrapping()).open(id, 'contacts.fields', resealed)).toBe(fields);
  });
});
