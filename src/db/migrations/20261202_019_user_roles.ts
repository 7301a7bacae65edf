import type { Knex } from 'knex';

/**
 * Per-user keys and roles (issue 15). A tenant's users get a role (admin: settings, users and
 * keys; sender: contacts, campaigns, consents, opt-out requests; viewer: reads) and may be
 * restricted to the contacts assigned to them. A tenant key may belong to one user and acts
 * with that user's role as it stands now; a key without a user is the owner's (the sign-up key
 * and every key made before this migration) and acts as admin, so nothing existing loses access.
 * Staff keys get a staff role (reviewer or admin); existing ones are admin for the same reason.
 * Users who existed before (named for reply routing) become senders: what they could do then.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenant_users', (t) => {
    t.text('role').notNullable().defaultTo('sender').checkIn(['admin', 'sender', 'viewer'], 'tenant_users_role');
    t.boolean('restricted_to_assigned').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('api_keys', (t) => {
    t.text('user_name').nullable();
    t.text('staff_role').nullable().checkIn(['reviewer', 'admin'], 'api_keys_staff_role');
    // The user's key goes with the user (and never names a user of another tenant).
    t.foreign(['tenant_id', 'user_name'], 'api_keys_tenant_user').references(['tenant_id', 'name']).inTable('tenant_users').onDelete('CASCADE');
  });
  await knex('api_keys').where({ role: 'staff' }).update({ staff_role: 'admin' });
  await knex.raw(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_fits CHECK (
    (role = 'staff' AND staff_role IS NOT NULL AND user_name IS NULL) OR (role = 'tenant' AND staff_role IS NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_fits');
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropForeign(['tenant_id', 'user_name'], 'api_keys_tenant_user');
    t.dropColumns('user_name', 'staff_role');
  });
  await knex.schema.alterTable('tenant_users', (t) => {
    t.dropColumns('role', 'restricted_to_assigned');
  });
}
