import type { Knex } from 'knex';

/**
 * Envelope encryption at rest (src/crypto): each tenant's data keys, random, stored only
 * wrapped by a platform key (whose id is kept, so a platform key rotation knows what to
 * re-wrap). Version 1 is made at the tenant's first encrypted write; a rotation adds the next
 * version for new writes while every older one stays readable. Deleting a tenant deletes its
 * keys (and with them anything left encrypted under them).
 *
 * Rows written before this migration stay plain text until `npm run data-keys -- encrypt`
 * seals them; reads take a value without the `cs1:` prefix as plain, so nothing breaks between.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenant_data_keys', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('wrapped_key').notNullable();
    t.text('platform_key_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('rewrapped_at', { useTz: true });
    t.primary(['tenant_id', 'version']);
  });
  await knex.raw('ALTER TABLE tenant_data_keys ADD CONSTRAINT tenant_data_keys_version CHECK (version >= 1)');
  await knex.raw('CREATE INDEX tenant_data_keys_platform_key_id ON tenant_data_keys (platform_key_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tenant_data_keys');
}
