import type { Knex } from 'knex';

/**
 * Throughput from the carrier registration (issue 14 item 2). Each sender keeps the MPS the
 * relay paces to (`mps`) and gains a daily cap in segments (`daily_cap`, null: none), which the
 * relay counts per Pacific day. An approved registration sets both from its throughput class
 * and records the class and its ceiling (`registered_*`): staff may lower the limits below the
 * ceiling, never raise them above it. A sender without a registration has no ceiling.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenant_phone_numbers', (t) => {
    t.integer('daily_cap');
    t.text('throughput_class');
    t.integer('registered_mps');
    t.integer('registered_daily_cap');
  });
  await knex.raw('ALTER TABLE tenant_phone_numbers ADD CONSTRAINT tenant_phone_numbers_daily_cap CHECK (daily_cap IS NULL OR daily_cap >= 1)');
  // The relay sums a sender's segments since the day began before each page when it has a cap.
  await knex.raw(`CREATE INDEX outbox_sender_day ON outbox (from_number, claimed_at) INCLUDE (segments) WHERE status IN ('sending', 'sent')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX outbox_sender_day');
  await knex.raw('ALTER TABLE tenant_phone_numbers DROP CONSTRAINT tenant_phone_numbers_daily_cap');
  await knex.schema.alterTable('tenant_phone_numbers', (t) => {
    t.dropColumn('daily_cap');
    t.dropColumn('throughput_class');
    t.dropColumn('registered_mps');
    t.dropColumn('registered_daily_cap');
  });
}
