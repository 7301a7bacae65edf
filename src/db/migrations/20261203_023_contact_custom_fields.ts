import type { Knex } from 'knex';

/**
 * Contacts' custom fields (issue 15: "custom fields are stored unencrypted"; clearsend had none,
 * so they are encrypted from the start): the whole object of a contact's fields, as JSON, sealed
 * with the tenant's data key (src/crypto/envelope.ts, field `contacts.fields`) in one text
 * column. NULL: the contact has none.
 *
 * The column never holds clear text: the database refuses anything but a sealed `cs1:` value.
 * A rotation's re-encryption (`npm run data-keys -- encrypt --reencrypt`) and erasure (the row is
 * deleted) cover it like the other sealed columns.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.text('fields');
  });
  await knex.raw(`ALTER TABLE contacts ADD CONSTRAINT contacts_fields_sealed CHECK (fields IS NULL OR fields ~ '^cs1:[0-9]+:[A-Za-z0-9_-]+$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contacts', (t) => {
    t.dropColumn('fields');
  });
}
