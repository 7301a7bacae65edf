import type { Knex } from 'knex';

/**
 * API keys can end: an optional expiry, and a revocation that says who made it (the tenant
 * or `staff:<name>`). A revocation may lie a short grace in the future (rotation keeps the
 * old key working while a deployment switches over). A rotated key points at the key it replaced.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_keys', (t) => {
    t.timestamp('expires_at', { useTz: true }).nullable();
    t.text('revoked_by').nullable();
    t.uuid('rotated_from').nullable().references('api_keys.id').onDelete('SET NULL');
    t.index(['tenant_id', 'created_at'], 'api_keys_tenant_created');
  });
  await knex.raw('ALTER TABLE api_keys ADD CONSTRAINT api_keys_revoked_by CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE api_keys DROP CONSTRAINT api_keys_revoked_by');
  await knex.schema.alterTable('api_keys', (t) => {
    t.dropIndex(['tenant_id', 'created_at'], 'api_keys_tenant_created');
    t.dropForeign(['rotated_from']);
    t.dropColumns('expires_at', 'revoked_by', 'rotated_from');
  });
}
