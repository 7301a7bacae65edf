import type { Knex } from 'knex';

/**
 * The sender-day index (016) was partial on `status IN ('sending', 'sent')`. The outbox is
 * analysed once its rows arrive, all `pending`, so until autovacuum analyses it again the
 * planner believes that index empty, and it takes it for every statement that finds a claimed
 * row by id with `status = 'sending'` (the send window check before each send, the page's body
 * and sent writes): a scan of every sending or sent row, filtered by id, per row sent. Its cost
 * grew with the rows sent so far, quadratic in the campaign (about 5,900 rows read per lookup
 * after 6,000 sends). A predicate on `from_number` (set by every claim, kept after) serves the
 * daily-cap sum alone, since no statement by id can imply it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX outbox_sender_day');
  await knex.raw('CREATE INDEX outbox_sender_day ON outbox (from_number, claimed_at) INCLUDE (segments, status) WHERE from_number IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX outbox_sender_day');
  await knex.raw(`CREATE INDEX outbox_sender_day ON outbox (from_number, claimed_at) INCLUDE (segments) WHERE status IN ('sending', 'sent')`);
}
