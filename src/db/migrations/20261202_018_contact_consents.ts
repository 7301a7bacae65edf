import type { Knex } from 'knex';

/**
 * Consent per contact (issue 15), kept as history: every grant and every withdrawal is a new
 * row, and the database refuses to change one. Contacts that existed before this migration get
 * no rows: clearsend never saw how or with what words they were asked, so they hold no proof of
 * marketing consent and marketing campaigns skip them (`no_consent`) until the tenant records
 * it; transactional and conversational sends to them go on as before (see src/domain/consent.ts).
 *
 * Double opt-in: a tenant's opt-in keywords, and each confirmation request a keyword got,
 * waiting for the handset's YES.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contact_consents', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('contact_id').notNullable().references('contacts.id').onDelete('CASCADE');
    t.text('status').notNullable().checkIn(['granted', 'withdrawn'], 'contact_consents_status');
    t.specificType('purposes', 'text[]').notNullable();
    /** How it was given (grants); a withdrawal may say how it was asked for. */
    t.text('method').checkIn(['web_form', 'keyword', 'paper_form', 'verbal', 'qr_code', 'import'], 'contact_consents_method');
    /** The form's URL, the keyword, the paper form's reference. */
    t.text('source');
    /** The exact words the person agreed to. */
    t.text('wording');
    /** When the person consented (or withdrew), as the tenant states it. */
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** Who recorded it: `api-key:<id>` or `inbound:<MessageSid>` for a keyword double opt-in. */
    t.text('recorded_by').notNullable();
    /** Double opt-in: the request's and the confirmation's message SIDs. */
    t.jsonb('evidence');
    t.index(['tenant_id', 'contact_id']);
  });
  await knex.raw(`ALTER TABLE contact_consents ADD CONSTRAINT contact_consents_purposes CHECK (
    cardinality(purposes) > 0 AND purposes <@ ARRAY['marketing', 'transactional', 'conversational']::text[])`);
  await knex.raw(`ALTER TABLE contact_consents ADD CONSTRAINT contact_consents_grant_proof CHECK (
    status = 'withdrawn' OR (method IS NOT NULL AND wording IS NOT NULL))`);
  // The same event twice (a file uploaded again) is one row.
  await knex.raw(`CREATE UNIQUE INDEX contact_consents_one_event ON contact_consents
    (contact_id, status, occurred_at, purposes, coalesce(method, ''), coalesce(source, ''), md5(coalesce(wording, '')))`);
  // History that can be rewritten is no proof: refuse UPDATE (rows go only with their contact).
  await knex.raw(`
    CREATE FUNCTION contact_consents_are_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'contact_consents rows are never changed: record a new grant or withdrawal'; END $$;
    CREATE TRIGGER contact_consents_history BEFORE UPDATE ON contact_consents FOR EACH ROW EXECUTE FUNCTION contact_consents_are_history();
  `);

  await knex.schema.createTable('opt_in_keywords', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('keyword').notNullable();
    t.text('program_name').notNullable();
    t.text('frequency').notNullable();
    t.specificType('purposes', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'keyword']);
  });

  await knex.schema.createTable('opt_in_confirmations', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('keyword').notNullable();
    t.text('phone_e164').notNullable();
    /** The keyword text's MessageSid: a retried webhook asks once. */
    t.text('request_message_sid').notNullable().unique();
    /** The confirmation request exactly as sent. */
    t.text('wording').notNullable();
    t.specificType('purposes', 'text[]').notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.text('confirm_message_sid');
    t.timestamp('confirmed_at', { useTz: true });
    t.index(['tenant_id', 'phone_e164', 'requested_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('opt_in_confirmations');
  await knex.schema.dropTable('opt_in_keywords');
  await knex.schema.dropTable('contact_consents');
  await knex.raw('DROP FUNCTION contact_consents_are_history()');
}
