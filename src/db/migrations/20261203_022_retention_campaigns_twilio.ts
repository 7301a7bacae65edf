import type { Knex } from 'knex';

/**
 * Retention reaches further (issue 15):
 * - a finished campaign's message text (`campaigns.body`, and the quotes of it in `scan`'s
 *   findings) is purged once its last send is older than the tenant's retention period; the
 *   campaign keeps its name, figures, status, times and verdicts, and says when its body went
 *   (`body_purged_at`);
 * - a retention pass also lists the messages Twilio holds in the tenant's subaccount (TwiML
 *   answers such as HELP, whose SIDs clearsend never learns) and queues every old one still
 *   holding a body for redaction. Its report row counts both, and says when the listing of that
 *   pass finished (`twilio_listed_at`): the next pass lists only from that cutoff on.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE campaigns ALTER COLUMN body DROP NOT NULL');
  await knex.schema.alterTable('campaigns', (t) => {
    t.timestamp('body_purged_at', { useTz: true });
  });
  await knex.raw(
    `CREATE INDEX campaigns_unpurged ON campaigns (tenant_id, id) WHERE body_purged_at IS NULL AND status IN ('completed', 'canceled', 'refused')`,
  );
  await knex.schema.alterTable('retention_runs', (t) => {
    t.integer('campaigns_purged').notNullable().defaultTo(0);
    /** Old messages with a body found by listing the subaccount's Messages, and queued for redaction. */
    t.integer('twilio_found').notNullable().defaultTo(0);
    t.timestamp('twilio_listed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('retention_runs', (t) => {
    t.dropColumn('twilio_listed_at');
    t.dropColumn('twilio_found');
    t.dropColumn('campaigns_purged');
  });
  await knex.raw('DROP INDEX campaigns_unpurged');
  await knex.schema.alterTable('campaigns', (t) => t.dropColumn('body_purged_at'));
  // A purged body cannot come back: it is left empty rather than NULL.
  await knex.raw(`UPDATE campaigns SET body = '' WHERE body IS NULL`);
  await knex.raw('ALTER TABLE campaigns ALTER COLUMN body SET NOT NULL');
}
