import type { Knex } from 'knex';

/**
 * Pacing by the sender's actual send times (issue 17). Twilio counts a sender's MPS over any
 * sliding second of acceptance times, and a message is accepted somewhere between the start
 * and the end of its request. Segments are numbered per sender (`next_segment`); segment k may
 * start only a second after the request of segment k − MPS ended, so the segments k, k + MPS,
 * k + 2·MPS… are accepted at least a second apart and no second holds more than MPS.
 * A block is one page's run of segments: when its page is done it records, on PostgreSQL's
 * clock, when each of its segments' requests ended (`ends`); until then nothing of it can have
 * been accepted after `ends_by` (the claim's lease, see src/domain/send-fence.ts), which is
 * what a dead worker's block is taken to have ended by.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sender_pacing', (t) => {
    t.bigInteger('next_segment').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('sender_send_blocks', (t) => {
    t.text('sender').notNullable();
    t.bigInteger('first_segment').notNullable();
    t.integer('segments').notNullable();
    t.timestamp('ends_by', { useTz: true, precision: 6 }).notNullable();
    /** Per segment, when its row's last request ended (epoch ms, PostgreSQL's clock); NULL: no request. Set once, when the page is done. */
    t.specificType('ends', 'float8[]');
    /** The latest of `ends` (0 when nothing was sent), so a reservation can judge a block without reading its array. */
    t.double('last_end_ms');
    t.primary(['sender', 'first_segment']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sender_send_blocks');
  await knex.schema.alterTable('sender_pacing', (t) => t.dropColumn('next_segment'));
}
