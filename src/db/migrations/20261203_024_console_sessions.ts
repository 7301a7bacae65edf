import type { Knex } from 'knex';

/**
 * Browser console sessions (issue 16): an API key exchanged for a session cookie. Only a SHA-256
 * of the session id is kept (the id is 256 random bits, so a slow hash adds nothing); the CSRF
 * token is derived from the id (src/api/console-auth.ts), so it is not stored either. Who the
 * session acts as is read from its key on every request, so only the key is referenced: deleting
 * the key deletes its sessions.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('console_sessions', (t) => {
    t.specificType('id_hash', 'bytea').primary();
    t.uuid('api_key_id').notNullable().references('api_keys.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** The absolute end, whatever the activity. */
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['api_key_id']);
    t.index(['expires_at']);
  });
  await knex.raw(`ALTER TABLE console_sessions ADD CONSTRAINT console_sessions_id_hash_sha256 CHECK (octet_length(id_hash) = 32)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('console_sessions');
}
