import type { Knex } from 'knex';

/**
 * The relay's tally after each batch counted the campaign's whole outbox: about as many rows
 * read per batch as the campaign has, so a million-recipient campaign read ~250 outbox rows per
 * message sent. Its totals now come from the counters the outbox triggers keep (sent and refused
 * per campaign, migration 008) and from two small indexes: the rows a reconciliation
 * settled, and the pending rows with the time they may go (counted up to a page; the earliest
 * deferred one). A row gets an entry when inserted (and again only when a dead attempt's claim
 * is put back), so the second index stays about as small as what is left to send.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX outbox_campaign_reconciled ON outbox (campaign_id) WHERE reconciled');
  await knex.raw(`CREATE INDEX outbox_campaign_pending ON outbox (campaign_id, not_before) WHERE status = 'pending'`);
  // GET /v1/campaigns/:id gives the drops by reason with the progress: without this, each read
  // counted the campaign's dropped rows from the table (a dashboard polling a million-recipient
  // campaign kept PostgreSQL busy); now an index-only count of those rows alone.
  await knex.raw(`CREATE INDEX outbox_campaign_dropped ON outbox (campaign_id, drop_reason) WHERE status = 'dropped'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX outbox_campaign_dropped');
  await knex.raw('DROP INDEX outbox_campaign_pending');
  await knex.raw('DROP INDEX outbox_campaign_reconciled');
}
