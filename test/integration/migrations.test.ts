import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../../src/db/knex';
import { dropDatabase, ensureDatabase } from '../../src/db/ensure-database';
import { migrateToLatest, migratorConfig } from '../../src/db/migrate';
import { migrations } from '../../src/db/migrations';
import { testServices } from '../support/test-env';

/** Migrations get a database of their own: rolling back must not disturb other test files. */
describe('migrations', () => {
  const url = testServices().databaseUrl.replace(/\/[^/]+$/, `/clearsend_migrations_${randomBytes(4).toString('hex')}`);
  let db: Db;
  beforeAll(() => {
    db = createDb(url, { max: 2 });
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(url);
  });

  const tables = async () =>
    (
      await db.raw<{ rows: { tablename: string }[] }>(`select tablename from pg_tables where schemaname = 'public' and tablename not like 'knex%' order by 1`)
    ).rows.map((r) => r.tablename);

  it('creates the database when missing, and only once', async () => {
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
  });

  it('applies every migration, then is up to date', async () => {
    expect(await migrateToLatest(url)).toEqual(migrations.map((m) => m.name));
    expect(await migrateToLatest(url)).toEqual([]);
    expect(await tables()).toEqual(expect.arrayContaining(['api_keys', 'audit_log', 'tenant_credentials', 'tenants']));
  });

  it('keeps the audit log append-only', async () => {
    await db('audit_log').insert({ actor: 'staff:alice', actor_kind: 'staff', action: 'test', reason: 'because' });
    await expect(db('audit_log').update({ reason: 'rewritten' })).rejects.toThrow(/append-only/);
    await expect(db('audit_log').delete()).rejects.toThrow(/append-only/);
    expect(await db('audit_log').count<{ count: string }[]>('* as count')).toEqual([{ count: '1' }]);
  });

  it('lets a released number be granted again, but never held by two tenants at once', async () => {
    const [a, b] = await db('tenants')
      .insert([
        { slug: 'num-a', business_name: 'A' },
        { slug: 'num-b', business_name: 'B' },
      ])
      .returning<{ id: string }[]>('id');
    const row = (tenant: string, sid: string) => ({
      phone_number_sid: sid,
      tenant_id: tenant,
      subaccount_sid: `AC${'1'.repeat(32)}`,
      phone_number: '+14155550199',
      sms_url: 'http://x',
    });
    await db('tenant_phone_numbers').insert(row(a.id, 'PN1'));
    await expect(db('tenant_phone_numbers').insert(row(b.id, 'PN2'))).rejects.toThrow(/tenant_phone_numbers_active_number/);
    await db('tenant_phone_numbers').where({ phone_number_sid: 'PN1' }).update({ released_at: db.fn.now() });
    await db('tenant_phone_numbers').insert(row(b.id, 'PN2'));
  });

  it('refuses a tenant key without a tenant', async () => {
    await expect(db('api_keys').insert({ role: 'tenant', key_prefix: 'p1', key_hash: Buffer.alloc(32) })).rejects.toThrow(/api_keys_tenant_role/);
  });

  it('rolls all the way down and up again', async () => {
    await db.migrate.rollback(migratorConfig, true);
    expect(await tables()).toEqual([]);
    await db.migrate.latest(migratorConfig);
    expect(await tables()).toEqual(expect.arrayContaining(['api_keys', 'audit_log', 'tenant_credentials', 'tenants']));
  });
});
