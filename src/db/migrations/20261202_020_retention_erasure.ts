import type { Knex } from 'knex';

/**
 * Retention, erasure and offboarding (issue 15, "Nothing is ever deleted"):
 * - each tenant's retention period (days, 7–730, default 90) after which message and reply
 *   bodies are purged here and redacted at Twilio; a purged row keeps its counts and SIDs and
 *   says when it was purged (`body_purged_at`), whatever its body column held (plain text or
 *   ciphertext);
 * - the queue of Twilio messages to redact (one row per MessageSid: a retried run redacts once);
 * - a report per retention run and tenant;
 * - erasures of one contact on request, and the keyed hash (HMAC-SHA256 of the E.164 number)
 *   each leaves so the number is never texted again by that tenant;
 * - offboardings of a tenant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.integer('retention_days').notNullable().defaultTo(90);
  });
  await knex.raw('ALTER TABLE tenants ADD CONSTRAINT tenants_retention_days CHECK (retention_days BETWEEN 7 AND 730)');

  await knex.schema.alterTable('outbox', (t) => {
    t.timestamp('body_purged_at', { useTz: true });
  });
  await knex.schema.alterTable('inbound_messages', (t) => {
    t.timestamp('body_purged_at', { useTz: true });
  });
  // Purging finds the old unpurged rows of one tenant without scanning everything purged before.
  await knex.raw('CREATE INDEX outbox_unpurged ON outbox (tenant_id, id) WHERE body_purged_at IS NULL');
  await knex.raw('CREATE INDEX inbound_messages_unpurged ON inbound_messages (tenant_id, received_at) WHERE body_purged_at IS NULL');

  await knex.schema.createTable('twilio_redactions', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('message_sid').notNullable().unique();
    /** `retention`, `erasure:<id>`, `offboarding`. */
    t.text('cause').notNullable();
    t.timestamp('queued_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('redacted_at', { useTz: true });
    /** Twilio's answer when it refused for good (no such message, say): not tried again. */
    t.timestamp('gave_up_at', { useTz: true });
    t.text('last_error');
  });
  await knex.raw('CREATE INDEX twilio_redactions_pending ON twilio_redactions (tenant_id, id) WHERE redacted_at IS NULL AND gave_up_at IS NULL');

  await knex.schema.createTable('retention_runs', (t) => {
    /** One platform-wide pass (the workflow's run of it), reported per tenant. */
    t.uuid('run_id').notNullable();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.integer('retention_days').notNullable();
    t.timestamp('cutoff', { useTz: true }).notNullable();
    t.integer('outbound_purged').notNullable().defaultTo(0);
    t.integer('inbound_purged').notNullable().defaultTo(0);
    t.integer('twilio_redacted').notNullable().defaultTo(0);
    t.integer('twilio_failures').notNullable().defaultTo(0);
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.primary(['run_id', 'tenant_id']);
    t.index(['tenant_id', 'started_at']);
  });

  // What erasure leaves of a number: a keyed hash, so a later import or send is refused without the number being kept.
  await knex.schema.createTable('erased_numbers', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.specificType('phone_hash', 'bytea').notNullable();
    t.timestamp('erased_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'phone_hash']);
  });

  await knex.schema.createTable('contact_erasures', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    /** The erased contact's id: it names nobody any more. */
    t.uuid('contact_id').notNullable();
    t.text('requested_by').notNullable();
    t.text('reason');
    t.jsonb('erased').notNullable().defaultTo('{}');
    t.integer('twilio_queued').notNullable().defaultTo(0);
    t.integer('twilio_redacted').notNullable().defaultTo(0);
    t.integer('twilio_failures').notNullable().defaultTo(0);
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['tenant_id', 'requested_at']);
  });

  await knex.schema.createTable('tenant_offboardings', (t) => {
    t.uuid('tenant_id').primary().references('tenants.id').onDelete('CASCADE');
    t.text('requested_by').notNullable();
    t.text('reason').notNullable();
    /** stopping → releasing_numbers → redacting → closing_subaccount → waiting_retention → purging → done */
    t.text('step').notNullable().defaultTo('stopping');
    t.integer('campaigns_canceled').notNullable().defaultTo(0);
    t.integer('numbers_released').notNullable().defaultTo(0);
    t.integer('twilio_redacted').notNullable().defaultTo(0);
    t.integer('twilio_failures').notNullable().defaultTo(0);
    t.timestamp('subaccount_closed_at', { useTz: true });
    t.timestamp('purge_after', { useTz: true });
    t.jsonb('purged').notNullable().defaultTo('{}');
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['tenant_offboardings', 'contact_erasures', 'erased_numbers', 'retention_runs', 'twilio_redactions']) await knex.schema.dropTable(table);
  await knex.raw('DROP INDEX inbound_messages_unpurged');
  await knex.raw('DROP INDEX outbox_unpurged');
  await knex.schema.alterTable('inbound_messages', (t) => t.dropColumn('body_purged_at'));
  await knex.schema.alterTable('outbox', (t) => t.dropColumn('body_purged_at'));
  await knex.raw('ALTER TABLE tenants DROP CONSTRAINT tenants_retention_days');
  await knex.schema.alterTable('tenants', (t) => t.dropColumn('retention_days'));
}
