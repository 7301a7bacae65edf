import type { Knex } from 'knex';
import { defaultCountryOf, normalizePhoneNumber } from '../../domain/phone';

/**
 * The tenant monitor and inbound replies: rolling traffic counters (kept by triggers, so the
 * monitor never scans message rows), inbound messages, the monitor's ladder moves, notices
 * to tenants, reply notifications for a tenant's users, and the users themselves.
 */
const COUNTED = `('delivered', 'read', 'undelivered', 'failed')`;
/** The rows of one statement that made a message final for the first time, per trigger event. */
const NEWLY_FINAL = {
  insert: `SELECT tenant_id, date_trunc('hour', updated_at) AS hour, status, error_code FROM new_rows WHERE status IN ${COUNTED}`,
  update: `SELECT n.tenant_id, date_trunc('hour', n.updated_at) AS hour, n.status, n.error_code FROM new_rows n JOIN old_rows o USING (message_sid)
           WHERE n.status IN ${COUNTED} AND o.status NOT IN ${COUNTED} AND o.status <> 'canceled'`,
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    /** Who gets replies from numbers that are not contacts (or whose contact has no user). */
    t.text('default_user').notNullable().defaultTo('owner');
    /** The answer to HELP / INFO; null: a default naming the business and its contact. */
    t.text('help_text');
    /** Whether a reply notification is also emailed to the user it is routed to. */
    t.boolean('reply_emails').notNullable().defaultTo(false);
  });

  // A reply names its sender in E.164; contacts keep what the tenant typed, so both are kept.
  await knex.schema.alterTable('contacts', (t) => {
    t.text('phone_e164');
    t.index(['tenant_id', 'phone_e164']);
  });
  const existing = await knex('contacts as c')
    .join('tenants as t', 't.id', 'c.tenant_id')
    .select<Array<{ id: string; phone: string; countries: string[] }>>('c.id', 'c.phone', 't.destination_countries as countries');
  for (const c of existing) {
    const n = normalizePhoneNumber(c.phone, defaultCountryOf(c.countries));
    if (n.ok) await knex('contacts').where({ id: c.id }).update({ phone_e164: n.e164 });
  }

  // The people at a tenant who answer replies (contacts.assigned_user names one of them).
  await knex.schema.createTable('tenant_users', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('email');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'name']);
  });

  /**
   * Per tenant and hour: what went out and how it landed. `shard` spreads concurrent writers
   * (one status callback per connection) over a few rows; readers sum the shards.
   */
  await knex.schema.createTable('tenant_traffic_counters', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.timestamp('hour', { useTz: true }).notNullable();
    t.smallint('shard').notNullable().defaultTo(0);
    for (const c of ['sent', 'segments', 'delivered', 'undelivered', 'failed', 'opt_outs', 'opt_ins', 'replies']) t.integer(c).notNullable().defaultTo(0);
    t.primary(['tenant_id', 'hour', 'shard']);
  });
  await knex.schema.createTable('tenant_error_counters', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.timestamp('hour', { useTz: true }).notNullable();
    t.smallint('shard').notNullable().defaultTo(0);
    t.integer('error_code').notNullable();
    t.integer('n').notNullable().defaultTo(0);
    t.primary(['tenant_id', 'hour', 'shard', 'error_code']);
  });

  // A message first becoming final counts once, whoever wrote it (webhook or a refresh from
  // Twilio) and however many rows one statement touched; `read` after `delivered` is not new.
  // Rows are upserted in key order, traffic before errors, so concurrent statements never
  // wait on each other in a cycle (bulk writers deadlocked without it).
  for (const [op, newlyFinal] of Object.entries(NEWLY_FINAL)) {
    await knex.raw(`
      CREATE FUNCTION count_final_statuses_${op}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH newly_final AS (${newlyFinal}),
        counted AS (
          INSERT INTO tenant_traffic_counters AS c (tenant_id, hour, shard, delivered, undelivered, failed)
          SELECT tenant_id, hour, pg_backend_pid() % 8,
                 count(*) FILTER (WHERE status IN ('delivered', 'read')), count(*) FILTER (WHERE status = 'undelivered'), count(*) FILTER (WHERE status = 'failed')
          FROM newly_final GROUP BY tenant_id, hour ORDER BY tenant_id, hour
          ON CONFLICT (tenant_id, hour, shard) DO UPDATE SET
            delivered = c.delivered + EXCLUDED.delivered, undelivered = c.undelivered + EXCLUDED.undelivered, failed = c.failed + EXCLUDED.failed)
        INSERT INTO tenant_error_counters AS e (tenant_id, hour, shard, error_code, n)
          SELECT tenant_id, hour, pg_backend_pid() % 8, error_code, count(*) FROM newly_final
          WHERE status IN ('undelivered', 'failed') AND error_code IS NOT NULL GROUP BY tenant_id, hour, error_code ORDER BY tenant_id, hour, error_code
          ON CONFLICT (tenant_id, hour, shard, error_code) DO UPDATE SET n = e.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    const transition = op === 'insert' ? 'NEW TABLE AS new_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
    await knex.raw(
      `CREATE TRIGGER delivery_statuses_count_${op} AFTER ${op.toUpperCase()} ON delivery_statuses REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION count_final_statuses_${op}()`,
    );
  }

  // Sends and segments for usage and the daily summary: one aggregate per relay statement.
  await knex.raw(`
    CREATE FUNCTION count_sent_messages() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO tenant_traffic_counters AS c (tenant_id, hour, shard, sent, segments)
        SELECT n.tenant_id, date_trunc('hour', coalesce(n.sent_at, now())), pg_backend_pid() % 8, count(*), sum(k.segments)
        FROM new_rows n JOIN old_rows o USING (id) JOIN campaigns k ON k.id = n.campaign_id
        WHERE n.status = 'sent' AND o.status <> 'sent'
        GROUP BY n.tenant_id, date_trunc('hour', coalesce(n.sent_at, now())) ORDER BY 1, 2
        ON CONFLICT (tenant_id, hour, shard) DO UPDATE SET sent = c.sent + EXCLUDED.sent, segments = c.segments + EXCLUDED.segments;
      RETURN NULL;
    END $$`);
  await knex.raw(
    `CREATE TRIGGER outbox_count_sent AFTER UPDATE ON outbox REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_sent_messages()`,
  );

  /** Every message a handset sent to a tenant's number; Twilio's retries of one MessageSid are one row. */
  await knex.schema.createTable('inbound_messages', (t) => {
    t.text('message_sid').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('from_number').notNullable();
    t.text('to_number').notNullable();
    t.text('body').notNullable();
    /** opt_out, opt_in, help, reply. */
    t.text('kind').notNullable();
    t.uuid('contact_id').references('contacts.id').onDelete('SET NULL');
    /** The user a reply was routed to. */
    t.text('routed_to');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'kind', 'received_at']);
  });

  // The monitor's moves on the ladder; (tenant, seq) makes a retried activity's effects happen once.
  await knex.schema.createTable('monitor_moves', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.text('from_state').notNullable();
    t.text('to_state').notNullable();
    t.text('why').notNullable();
    t.text('actor').notNullable();
    t.text('reason');
    t.jsonb('figures').notNullable().defaultTo('{}');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'seq']);
  });

  // In-platform reminders to a tenant (GET /v1/notices).
  await knex.schema.createTable('tenant_notices', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    /** Emailed to the tenant's contact: pending → sent, or no_address when it has none. */
    t.text('email_status').notNullable().defaultTo('none');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'id']);
  });

  // A reply routed to one of the tenant's users (GET /v1/notifications).
  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('user_name').notNullable();
    t.text('inbound_message_sid').notNullable().unique().references('inbound_messages.message_sid').onDelete('CASCADE');
    t.text('email_status').notNullable().defaultTo('none');
    t.text('email_to');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'user_name', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER outbox_count_sent ON outbox');
  await knex.raw('DROP FUNCTION count_sent_messages()');
  for (const op of Object.keys(NEWLY_FINAL)) {
    await knex.raw(`DROP TRIGGER delivery_statuses_count_${op} ON delivery_statuses`);
    await knex.raw(`DROP FUNCTION count_final_statuses_${op}()`);
  }
  for (const table of [
    'notifications',
    'tenant_notices',
    'monitor_moves',
    'inbound_messages',
    'tenant_error_counters',
    'tenant_traffic_counters',
    'tenant_users',
  ])
    await knex.schema.dropTable(table);
  await knex.schema.alterTable('contacts', (t) => {
    t.dropIndex(['tenant_id', 'phone_e164']);
    t.dropColumn('phone_e164');
  });
  await knex.schema.alterTable('tenants', (t) => {
    for (const c of ['default_user', 'help_text', 'reply_emails']) t.dropColumn(c);
  });
}
