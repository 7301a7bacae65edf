import type { Knex } from 'knex';

/** Tenant onboarding: KYC submissions and their assessments, compliance cases, numbers. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.text('website');
    t.text('contact_name').notNullable().defaultTo('');
    t.text('contact_email').notNullable().defaultTo('');
    t.text('owner_phone').notNullable().defaultTo('');
    t.text('time_zone').notNullable().defaultTo('America/New_York');
    t.integer('relay_cadence_minutes').notNullable().defaultTo(60);
    t.specificType('destination_countries', 'text[]').notNullable().defaultTo('{}');
    t.text('area_code_preference');
    /** Where onboarding stands, mirrored from the lifecycle workflow for listing and joins. */
    t.text('lifecycle_step').notNullable().defaultTo('kyc');
  });
  await knex.raw(`ALTER TABLE tenants ADD CONSTRAINT tenants_cadence CHECK (relay_cadence_minutes BETWEEN 15 AND 1440)`);

  // Every KYC submission is kept (a rejected tenant may resubmit); the newest is current.
  await knex.schema.createTable('kyc_submissions', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.jsonb('submission').notNullable();
    t.timestamp('submitted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('risk_score');
    t.text('risk_level').checkIn(['low', 'medium', 'high']);
    t.jsonb('risk_reasons');
    t.timestamp('assessed_at', { useTz: true });
    t.index(['tenant_id', 'id']);
  });

  // A case a person decides: onboarding review, medium-risk KYC, and (later) monitor escalations.
  await knex.schema.createTable('compliance_cases', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.text('status').notNullable().defaultTo('open').checkIn(['open', 'approved', 'rejected', 'closed']);
    t.text('summary').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('reminders_sent').notNullable().defaultTo(0);
    t.timestamp('last_reminder_at', { useTz: true });
    t.timestamp('decided_at', { useTz: true });
    t.text('decided_by');
    t.text('decision_reason');
    /** The workflow step that opened it: a retried activity finds the case instead of opening another. */
    t.text('opened_by_key').notNullable().unique();
    t.index(['status', 'opened_at']);
  });

  await knex.schema.createTable('tenant_phone_numbers', (t) => {
    t.text('phone_number_sid').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('subaccount_sid').notNullable();
    t.text('phone_number').notNullable();
    t.text('sms_url').notNullable();
    t.timestamp('granted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('released_at', { useTz: true });
    t.index(['tenant_id']);
  });
  // A number belongs to one tenant at a time; once released it may be bought again by another.
  await knex.raw('CREATE UNIQUE INDEX tenant_phone_numbers_active_number ON tenant_phone_numbers (phone_number) WHERE released_at IS NULL');

  // Magic-number test sends during onboarding, with Twilio's answer to each.
  await knex.schema.createTable('sandbox_test_sends', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('from_number').notNullable();
    t.text('to_number').notNullable();
    t.text('message_sid');
    t.text('status');
    t.integer('error_code');
    t.text('error_message');
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'id']);
  });

  // Platform-wide facts learned once (e.g. the Verify service SID).
  await knex.schema.createTable('platform_settings', (t) => {
    t.text('key').primary();
    t.text('value').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('platform_settings');
  await knex.schema.dropTable('sandbox_test_sends');
  await knex.schema.dropTable('tenant_phone_numbers');
  await knex.schema.dropTable('compliance_cases');
  await knex.schema.dropTable('kyc_submissions');
  await knex.raw('ALTER TABLE tenants DROP CONSTRAINT tenants_cadence');
  await knex.schema.alterTable('tenants', (t) => {
    for (const c of [
      'website',
      'contact_name',
      'contact_email',
      'owner_phone',
      'time_zone',
      'relay_cadence_minutes',
      'destination_countries',
      'area_code_preference',
      'lifecycle_step',
    ]) {
      t.dropColumn(c);
    }
  });
}
