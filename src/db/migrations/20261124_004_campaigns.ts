import type { Knex } from 'knex';

/**
 * Campaign sending: contacts, the suppression list, the Lookup cache, campaigns, the outbox
 * (the unit of truth for "sent exactly once") and the per-sender pacing that keeps every
 * worker of a tenant under its sender's messages-per-second limit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    /** The monitor's ladder (good → warned → under_review → suspended); sending is refused from under_review on. */
    t.text('sending_state').notNullable().defaultTo('good');
  });
  await knex.raw(`ALTER TABLE tenants ADD CONSTRAINT tenants_sending_state CHECK (sending_state IN ('good', 'warned', 'under_review', 'suspended'))`);

  await knex.schema.alterTable('tenant_phone_numbers', (t) => {
    /** The sender's throughput as Twilio allows it (messages, counted in segments, per second). */
    t.integer('mps').notNullable().defaultTo(1);
  });
  await knex.raw('ALTER TABLE tenant_phone_numbers ADD CONSTRAINT tenant_phone_numbers_mps CHECK (mps BETWEEN 1 AND 10000)');

  // Contacts as the tenant gave them; normalised and checked when a campaign is prepared.
  await knex.schema.createTable('contacts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('phone').notNullable();
    t.text('name');
    /** Who at the tenant answers this contact's replies. */
    t.text('assigned_user').notNullable();
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'phone']);
  });
  // Campaign preparation pages contacts by id within a tenant.
  await knex.raw('CREATE INDEX contacts_tenant_id_id ON contacts (tenant_id, id)');

  await knex.schema.createTable('suppressions', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('phone_e164').notNullable();
    /** opt_out (STOP), unsubscribed (Twilio 21610), manual. */
    t.text('reason').notNullable();
    t.text('source').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'phone_e164']);
  });

  // What Twilio Lookup said about a number: paid for once per TTL, whoever asked.
  await knex.schema.createTable('lookup_cache', (t) => {
    t.text('phone_e164').primary();
    t.boolean('valid').notNullable();
    t.text('line_type');
    t.text('country');
    t.timestamp('looked_up_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('campaigns', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('body').notNullable();
    /** Contacts carrying this tag; null: all of the tenant's contacts. */
    t.text('audience_tag');
    t.integer('batch_size').notNullable();
    t.text('status').notNullable().defaultTo('draft');
    t.jsonb('scan').notNullable();
    t.text('encoding').notNullable();
    t.integer('segments').notNullable();
    t.text('refusal_reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.timestamp('cancel_requested_at', { useTz: true });
    t.index(['tenant_id', 'created_at']);
  });
  await knex.raw(
    `ALTER TABLE campaigns ADD CONSTRAINT campaigns_status CHECK (status IN ('draft', 'preparing', 'relaying', 'waiting', 'completed', 'canceled', 'refused'))`,
  );

  /**
   * One row per (campaign, recipient): pending → sending → sent(sid) | failed(code), or
   * dropped(reason) before any send. A row is claimed by one relay at a time (SKIP LOCKED).
   */
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('contact_id').references('contacts.id').onDelete('SET NULL');
    t.text('phone_raw').notNullable();
    t.text('to_e164');
    t.text('country');
    t.text('status').notNullable().defaultTo('pending');
    t.boolean('looked_up').notNullable().defaultTo(false);
    t.text('drop_reason');
    t.text('drop_detail');
    /** Earliest moment the recipient may be texted (quiet hours defer a row). */
    t.timestamp('not_before', { useTz: true });
    t.timestamp('claimed_at', { useTz: true });
    t.text('from_number');
    t.text('message_sid').unique();
    t.integer('error_code');
    t.text('error_message');
    t.integer('send_attempts').notNullable().defaultTo(0);
    /** Left in `sending` by a dead attempt and settled by asking Twilio. */
    t.boolean('reconciled').notNullable().defaultTo(false);
    t.timestamp('sent_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE outbox ADD CONSTRAINT outbox_status CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dropped'))`);
  await knex.raw(`ALTER TABLE outbox ADD CONSTRAINT outbox_sent_has_sid CHECK ((status = 'sent') = (message_sid IS NOT NULL))`);
  // De-duplication is the database's job: one row per E.164 number per campaign.
  await knex.raw('CREATE UNIQUE INDEX outbox_campaign_recipient ON outbox (campaign_id, to_e164) WHERE to_e164 IS NOT NULL');
  await knex.raw('CREATE INDEX outbox_campaign_status_id ON outbox (campaign_id, status, id)');

  // The next free send slot of each sender, shared by every worker (see claimSendSlots).
  await knex.schema.createTable('sender_pacing', (t) => {
    t.text('sender').primary();
    t.timestamp('next_slot_at', { useTz: true, precision: 6 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sender_pacing', 'outbox', 'campaigns', 'lookup_cache', 'suppressions', 'contacts']) await knex.schema.dropTable(table);
  await knex.raw('ALTER TABLE tenant_phone_numbers DROP CONSTRAINT tenant_phone_numbers_mps');
  await knex.schema.alterTable('tenant_phone_numbers', (t) => t.dropColumn('mps'));
  await knex.raw('ALTER TABLE tenants DROP CONSTRAINT tenants_sending_state');
  await knex.schema.alterTable('tenants', (t) => t.dropColumn('sending_state'));
}
