import type { Knex } from 'knex';

/**
 * Two things a lifecycle needs from staff and must not take on trust.
 *
 * `staff_cases`: work a workflow cannot finish without a person, opened by the workflow itself
 * (an onboarding step that keeps failing on Twilio or the database waits and retries, and
 * says so here; the case closes when the step goes through). No foreign key to `tenants`: a
 * missing tenant row may be the very fault the case reports.
 *
 * `staff_decision_uses`: a staff decision (approve, reject, suspend, reinstate) reaches a
 * lifecycle as a Signal that names the audit row the API wrote first; the workflow honours
 * each row once. The audit log itself is append-only, so the use is recorded beside it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_cases', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('kind').notNullable();
    t.uuid('tenant_id');
    t.text('workflow_id').notNullable();
    /** The workflow call that opened it: a retried activity finds the case instead of opening another. */
    t.text('opened_by_key').notNullable().unique();
    t.text('status').notNullable().defaultTo('open').checkIn(['open', 'closed']);
    t.text('summary').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.text('last_error').notNullable();
    t.integer('failures').notNullable().defaultTo(1);
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_failure_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.text('resolution');
    t.index(['status', 'opened_at']);
    t.index(['tenant_id']);
  });

  await knex.schema.createTable('staff_decision_uses', (t) => {
    t.bigInteger('audit_id').primary().references('audit_log.id');
    t.uuid('tenant_id').notNullable();
    /** The workflow activity that used it: its own retry finds its use, anyone else is refused. */
    t.text('used_by').notNullable();
    t.timestamp('used_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_decision_uses');
  await knex.schema.dropTable('staff_cases');
}
