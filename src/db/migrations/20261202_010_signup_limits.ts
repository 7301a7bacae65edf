import type { Knex } from 'knex';

/**
 * Counters for sign-up and Verify limits (src/db/rate-limits.ts), in PostgreSQL so every API
 * process and worker counts against the same numbers. The shape is the one
 * rate-limiter-flexible's RateLimiterPostgres reads and writes: `expire` is epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
    // The limiter's sweep deletes by expiry.
    t.index(['expire']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
