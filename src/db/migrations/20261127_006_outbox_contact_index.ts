import type { Knex } from 'knex';

/**
 * Audience preparation asks, a page of contacts at a time, which of them a campaign's outbox
 * already holds (so a retried activity never counts a contact twice). Without an index that
 * question scanned every outbox row of the campaign per page: a million-recipient audience
 * took quadratic time (the `scale` benchmark found it). Leading with contact_id also serves
 * the contacts foreign key when a contact is deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.index(['contact_id', 'campaign_id'], 'outbox_contact_campaign');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['contact_id', 'campaign_id'], 'outbox_contact_campaign');
  });
}
