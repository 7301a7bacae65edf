import type { Knex } from 'knex';

/**
 * A tenant's carrier registration (issue 14): what it registers as, the facts it registers
 * with, and every Twilio resource the registration made, written right after Twilio created
 * it so a retried step finds it instead of making a second one. `statuses` holds Twilio's
 * last word on each submission; `state` mirrors the workflow's RegistrationState.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('carrier_registrations', (t) => {
    t.uuid('tenant_id').primary().references('tenants.id').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['10dlc', 'tollfree'], 'carrier_registrations_kind');
    t.text('brand_type').checkIn(['STANDARD', 'LOW_VOLUME_STANDARD', 'SOLE_PROPRIETOR'], 'carrier_registrations_brand_type');
    t.jsonb('details').notNullable();
    t.text('customer_profile_sid');
    t.text('trust_product_sid');
    t.text('brand_registration_sid');
    t.text('messaging_service_sid');
    t.text('campaign_sid');
    t.text('tollfree_verification_sid');
    t.jsonb('statuses').notNullable().defaultTo('{}');
    t.text('state').notNullable().defaultTo('starting');
    t.jsonb('reasons').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('carrier_registrations');
}
