import type { Knex } from 'knex';

/**
 * A campaign whose content needs a person (a `review` verdict: age-gated content without a
 * declared age gate, for instance) waits for compliance staff: nothing is sent until they
 * approve it. The decision, who made it and why, stays on the campaign (and in the audit log).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.text('content_review').nullable().checkIn(['pending', 'approved', 'rejected'], 'campaigns_content_review_check');
    t.text('content_reviewed_by').nullable();
    t.timestamp('content_reviewed_at', { useTz: true }).nullable();
    t.text('content_review_reason').nullable();
  });
  await knex.raw("CREATE INDEX campaigns_pending_content_review ON campaigns (created_at) WHERE content_review = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS campaigns_pending_content_review');
  await knex.schema.alterTable('campaigns', (t) => {
    t.dropChecks(['campaigns_content_review_check']);
    t.dropColumns('content_review', 'content_reviewed_by', 'content_reviewed_at', 'content_review_reason');
  });
}
