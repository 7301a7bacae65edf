import type { Knex } from 'knex';

/**
 * One row per Twilio message, written by the status webhook. Keyed by MessageSid alone (not
 * by outbox row) so a callback that arrives before the relay has stored the SID is kept.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('delivery_statuses', (t) => {
    t.text('message_sid').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('status').notNullable();
    t.integer('error_code');
    t.integer('callbacks').notNullable().defaultTo(1);
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'updated_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('delivery_statuses');
}
