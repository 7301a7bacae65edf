import type { Knex } from 'knex';

/**
 * Core schema: tenants, their sealed Twilio credentials, hashed API keys, and the audit log.
 * Later capabilities add their own tables in their own migrations.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('slug').notNullable().unique();
    t.text('business_name').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // One Twilio subaccount per tenant; the auth token only ever stored sealed (AES-256-GCM).
  await knex.schema.createTable('tenant_credentials', (t) => {
    t.uuid('tenant_id').primary().references('tenants.id').onDelete('CASCADE');
    t.text('subaccount_sid').notNullable().unique();
    t.text('sealed_auth_token').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('rotated_at', { useTz: true });
  });

  // Keys are shown once; only a SHA-256 of the secret is kept, found by its public prefix.
  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').references('tenants.id').onDelete('CASCADE');
    t.text('role').notNullable().checkIn(['tenant', 'staff']);
    t.text('key_prefix').notNullable().unique();
    t.specificType('key_hash', 'bytea').notNullable();
    t.text('label');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_tenant_role CHECK ((role = 'tenant') = (tenant_id IS NOT NULL))`);

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('actor').notNullable();
    t.text('actor_kind').notNullable().checkIn(['staff', 'tenant', 'system']);
    t.uuid('tenant_id').references('tenants.id').onDelete('SET NULL');
    t.text('action').notNullable();
    t.text('reason');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['tenant_id', 'at']);
  });
  // An audit log that can be edited is not one: refuse UPDATE and DELETE at the database.
  await knex.raw(`
    CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.raw('DROP FUNCTION audit_log_is_append_only()');
  await knex.schema.dropTable('api_keys');
  await knex.schema.dropTable('tenant_credentials');
  await knex.schema.dropTable('tenants');
}
