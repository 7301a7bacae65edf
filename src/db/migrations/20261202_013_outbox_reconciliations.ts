import type { Knex } from 'knex';

/**
 * Every time the relay asked Twilio whether a message it could not be sure of exists: a row
 * a dead attempt left in `sending` (`dead_attempt`), or a send Twilio answered with a 5xx or
 * not at all (`twilio_error`). `found`: Twilio had it (the row became sent with that SID);
 * `not_found`: it did not (the row was sent again). Written in the statement that settles the
 * row, so the counts always match the rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox_reconciliations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('outbox_id').notNullable().references('outbox.id').onDelete('CASCADE');
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.text('cause').notNullable().checkIn(['dead_attempt', 'twilio_error'], 'outbox_reconciliations_cause');
    t.text('outcome').notNullable().checkIn(['found', 'not_found'], 'outbox_reconciliations_outcome');
    /** The message Twilio had (found only). */
    t.text('message_sid');
    t.timestamp('checked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['campaign_id']);
    t.index(['outbox_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('outbox_reconciliations');
}
