import type { Knex } from 'knex';

/**
 * Message shaping: the relay prefixes the brand and adds the opt-out footer instead of the
 * scan refusing a body without them.
 *
 * - `campaigns.message_type` decides how often a contact is told how to opt out.
 * - `outbox.body` / `segments` / `opt_out_notice`: the body a row is sent with, decided when
 *   the row is claimed and written before the send, so a retry, a crash's reconciliation and
 *   the report all see the very text Twilio got.
 * - `opt_out_notices`: when the tenant last sent each number a message carrying opt-out
 *   language, written in the statement that marks the row sent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.text('message_type');
  });
  // Campaigns from before: their bodies had to carry opt-out language; marketing is the
  // stricter rule for any draft still to be started.
  await knex('campaigns').update({ message_type: 'marketing' });
  await knex.raw('ALTER TABLE campaigns ALTER COLUMN message_type SET NOT NULL');
  await knex.raw(`ALTER TABLE campaigns ADD CONSTRAINT campaigns_message_type CHECK (message_type IN ('transactional', 'marketing', 'conversational'))`);

  await knex.schema.alterTable('outbox', (t) => {
    /** The body as sent (brand prefix, opt-out footer); null until the row is claimed. */
    t.text('body');
    t.integer('segments');
    /** The body carries opt-out language: sending it renews the contact's notice. */
    t.boolean('opt_out_notice');
  });

  await knex.schema.createTable('opt_out_notices', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('phone_e164').notNullable();
    t.timestamp('last_sent_at', { useTz: true }).notNullable();
    t.primary(['tenant_id', 'phone_e164']);
  });
  // Every message sent so far carried opt-out language (the scan required it): each number
  // a tenant has reached was told then.
  await knex.raw(
    `INSERT INTO opt_out_notices (tenant_id, phone_e164, last_sent_at)
     SELECT tenant_id, to_e164, max(sent_at) FROM outbox WHERE status = 'sent' AND to_e164 IS NOT NULL AND sent_at IS NOT NULL GROUP BY tenant_id, to_e164`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('opt_out_notices');
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('body');
    t.dropColumn('segments');
    t.dropColumn('opt_out_notice');
  });
  await knex.raw('ALTER TABLE campaigns DROP CONSTRAINT campaigns_message_type');
  await knex.schema.alterTable('campaigns', (t) => t.dropColumn('message_type'));
}
