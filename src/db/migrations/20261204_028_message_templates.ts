import type { Knex } from 'knex';

/**
 * Message templates (issue 18): a tenant's reusable message text with merge fields
 * (src/domain/message-template.ts). The text is sealed with the tenant's data key from the
 * start, like a campaign's body. A campaign made from a template, or whose own body has merge
 * fields, keeps the field names it needs (`merge_fields`, empty for a plain campaign): the relay
 * fills them per recipient from the contact's values when it claims the row, so a contact
 * corrected before the send gets the corrected text, and nothing rendered is stored before then.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_templates', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('body').notNullable();
    t.text('message_type').notNullable();
    t.specificType('merge_fields', 'text[]').notNullable().defaultTo('{}');
    /** The compliance engine's judgement of the fixed text, fields shown as their fallbacks. */
    t.jsonb('scan').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'name']);
  });
  await knex.raw(`ALTER TABLE message_templates ADD CONSTRAINT message_templates_body_sealed CHECK (body ~ '^cs1:[0-9]+:[A-Za-z0-9_-]+$')`);
  await knex.raw(
    `ALTER TABLE message_templates ADD CONSTRAINT message_templates_message_type CHECK (message_type IN ('transactional', 'marketing', 'conversational'))`,
  );
  await knex.schema.alterTable('campaigns', (t) => {
    t.uuid('template_id').references('message_templates.id').onDelete('SET NULL');
    t.specificType('merge_fields', 'text[]').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.dropColumn('merge_fields');
    t.dropColumn('template_id');
  });
  await knex.schema.dropTable('message_templates');
}
