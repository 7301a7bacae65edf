import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../../src/db/knex';
import { dropDatabase, ensureDatabase } from '../../src/db/ensure-database';
import { migratorConfig } from '../../src/db/migrate';
import { testServices } from '../support/test-env';

const ROLES_MIGRATION = '20261202_019_user_roles';

/**
 * Migration 019 on a database with data from before it: existing users become senders, existing
 * staff keys admins, existing tenant keys the owner's (no user, acting as admin), so nobody who
 * worked before loses access. Its own database, so rolling back disturbs no other test file.
 */
describe('migration 019: user roles', () => {
  const url = testServices().databaseUrl.replace(/\/[^/]+$/, `/clearsend_roles_${randomBytes(4).toString('hex')}`);
  let db: Db;
  beforeAll(async () => {
    await ensureDatabase(url);
    db = createDb(url, { max: 2 });
    // Every migration before 019.
    for (;;) {
      const [, pending] = (await db.migrate.list(migratorConfig)) as [unknown, Array<{ name?: string } | string>];
      const next = pending[0];
      const name = typeof next === 'string' ? next : next?.name;
      if (!name || name === ROLES_MIGRATION) break;
      await db.migrate.up(migratorConfig);
    }
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(url);
  });

  it('keeps what existed working: users are senders, staff keys admins, tenant keys the owner’s', async () => {
    const [tenant] = await db('tenants').insert({ slug: 'roles-a', business_name: 'A' }).returning<{ id: string }[]>('id');
    await db('tenant_users').insert({ tenant_id: tenant.id, name: 'dana', email: 'dana@a.example' });
    const key = (role: 'tenant' | 'staff', prefix: string) => ({
      role,
      tenant_id: role === 'tenant' ? tenant.id : null,
      key_prefix: prefix,
      key_hash: Buffer.alloc(32),
    });
    await db('api_keys').insert([key('tenant', 'rolestenant1'), key('staff', 'rolesstaff01')]);

    await db.migrate.up({ ...migratorConfig, name: ROLES_MIGRATION });

    expect(await db('tenant_users').where({ tenant_id: tenant.id }).select('name', 'role', 'restricted_to_assigned')).toEqual([
      { name: 'dana', role: 'sender', restricted_to_assigned: false },
    ]);
    expect(
      await db('api_keys').whereIn('key_prefix', ['rolestenant1', 'rolesstaff01']).orderBy('key_prefix').select('key_prefix', 'user_name', 'staff_role'),
    ).toEqual([
      { key_prefix: 'rolesstaff01', user_name: null, staff_role: 'admin' },
      { key_prefix: 'rolestenant1', user_name: null, staff_role: null },
    ]);
  });

  it('refuses an unknown role, a staff key without a role, and a key naming another tenant’s user', async () => {
    const [a, b] = await db('tenants')
      .insert([
        { slug: 'roles-b', business_name: 'B' },
        { slug: 'roles-c', business_name: 'C' },
      ])
      .returning<{ id: string }[]>('id');
    await expect(db('tenant_users').insert({ tenant_id: a.id, name: 'erin', role: 'owner' })).rejects.toThrow(/tenant_users_role/);
    await db('tenant_users').insert({ tenant_id: a.id, name: 'erin', role: 'viewer' });
    const base = { key_hash: Buffer.alloc(32) };
    await expect(db('api_keys').insert({ ...base, role: 'staff', key_prefix: 'rolesstaff02' })).rejects.toThrow(/api_keys_role_fits/);
    await expect(db('api_keys').insert({ ...base, role: 'staff', key_prefix: 'rolesstaff03', staff_role: 'owner' })).rejects.toThrow(/api_keys_staff_role/);
    await expect(db('api_keys').insert({ ...base, role: 'tenant', tenant_id: b.id, user_name: 'erin', key_prefix: 'rolestenant2' })).rejects.toThrow(
      /api_keys_tenant_user/,
    );
    await db('api_keys').insert({ ...base, role: 'tenant', tenant_id: a.id, user_name: 'erin', key_prefix: 'rolestenant3' });
  });

  it('rolls back and applies again', async () => {
    await db.migrate.down({ ...migratorConfig, name: ROLES_MIGRATION });
    await db('api_keys').where({ key_prefix: 'rolestenant3' }).delete();
    await db.migrate.up({ ...migratorConfig, name: ROLES_MIGRATION });
    expect(await db('tenant_users').where({ name: 'erin' }).pluck('role')).toEqual(['sender']);
  });
});
