import type { Knex } from 'knex';

/**
 * Inbound and monitor judgement: free-text opt-out requests (acted on, or held for the tenant
 * to confirm), replies attributed to the campaign that last messaged the number, per-campaign
 * counters, send-time refusals counted in the error rate, and the warned tenant's reminders.
 *
 * Lock order. Every writer of the rolling counters takes campaign rows, then error rows, then
 * traffic rows, each in key order, so concurrent statements never wait on each other in a
 * cycle. (The 005 triggers write traffic in a WITH clause their main INSERT does not read:
 * PostgreSQL runs such a sub-statement to completion after the main one, so they take error
 * rows before traffic rows; the triggers here follow that, and fire before 005's on the same
 * table because PostgreSQL fires a table's triggers in name order.)
 *
 * A delivery counts for its campaign once, whichever comes first: the status callback (the
 * delivery trigger finds the campaign through the outbox row's SID) or the relay writing the
 * SID (the outbox trigger finds a status already final; Twilio's callback often beats the
 * relay's write). When the two run at the same time neither would see the other's
 * uncommitted row, so they take a per-tenant advisory lock first — callbacks shared, the
 * relay's write exclusive — and each then reads with a fresh snapshot (every statement of a
 * plpgsql function does) what the other committed. The lock comes before any counter row.
 */
const COUNTER_LOCK = 8008;
const COUNTED = `('delivered', 'read', 'undelivered', 'failed')`;
/** As in 005: the rows of one statement that made a message final for the first time, with its SID. */
const NEWLY_FINAL = {
  insert: `SELECT message_sid, tenant_id, date_trunc('hour', updated_at) AS hour, status FROM new_rows WHERE status IN ${COUNTED}`,
  update: `SELECT n.message_sid, n.tenant_id, date_trunc('hour', n.updated_at) AS hour, n.status FROM new_rows n JOIN old_rows o USING (message_sid)
           WHERE n.status IN ${COUNTED} AND o.status NOT IN ${COUNTED} AND o.status <> 'canceled'`,
};

/** Outbox rows one statement moved to `sent` (accepted by Twilio) or `failed` (refused by it at create). */
const RELAYED = `SELECT n.tenant_id, n.campaign_id, n.status, n.error_code, n.message_sid,
                        date_trunc('hour', CASE WHEN n.status = 'sent' THEN coalesce(n.sent_at, now()) ELSE now() END) AS hour
                 FROM new_rows n JOIN old_rows o USING (id)
                 WHERE (n.status = 'sent' AND o.status <> 'sent') OR (n.status = 'failed' AND o.status <> 'failed')`;

export async function up(knex: Knex): Promise<void> {
  // What the relay tried and how each message landed, per campaign and hour: the monitor names
  // the campaigns behind a tenant's rates from these few rows, never from the message tables.
  await knex.schema.createTable('campaign_traffic_counters', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.timestamp('hour', { useTz: true }).notNullable();
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.smallint('shard').notNullable().defaultTo(0);
    for (const c of ['sent', 'refused', 'delivered', 'undelivered', 'failed', 'opt_outs']) t.integer(c).notNullable().defaultTo(0);
    t.primary(['tenant_id', 'hour', 'campaign_id', 'shard']);
  });

  // Messages Twilio refused at create (21211, 21610, 21614, …): errors as Twilio counts them.
  await knex.schema.alterTable('tenant_traffic_counters', (t) => {
    t.integer('refused').notNullable().defaultTo(0);
  });

  await knex.raw(`
    CREATE FUNCTION count_relay_outcomes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(${COUNTER_LOCK}, hashtext(tenant_id::text))
        FROM (SELECT DISTINCT tenant_id FROM (${RELAYED}) r WHERE status = 'sent' ORDER BY 1) t;
      INSERT INTO campaign_traffic_counters AS c (tenant_id, hour, campaign_id, shard, sent, refused, delivered, undelivered, failed)
        SELECT r.tenant_id, r.hour, r.campaign_id, pg_backend_pid() % 8, count(*) FILTER (WHERE r.status = 'sent'), count(*) FILTER (WHERE r.status = 'failed'),
               count(*) FILTER (WHERE d.status IN ('delivered', 'read')), count(*) FILTER (WHERE d.status = 'undelivered'), count(*) FILTER (WHERE d.status = 'failed')
        FROM (${RELAYED}) r LEFT JOIN delivery_statuses d ON r.status = 'sent' AND d.message_sid = r.message_sid
        GROUP BY r.tenant_id, r.hour, r.campaign_id ORDER BY r.tenant_id, r.hour, r.campaign_id
        ON CONFLICT (tenant_id, hour, campaign_id, shard) DO UPDATE SET
          sent = c.sent + EXCLUDED.sent, refused = c.refused + EXCLUDED.refused,
          delivered = c.delivered + EXCLUDED.delivered, undelivered = c.undelivered + EXCLUDED.undelivered, failed = c.failed + EXCLUDED.failed;
      INSERT INTO tenant_error_counters AS e (tenant_id, hour, shard, error_code, n)
        SELECT tenant_id, hour, pg_backend_pid() % 8, error_code, count(*)
        FROM (${RELAYED}) r WHERE status = 'failed' AND error_code > 0 GROUP BY tenant_id, hour, error_code ORDER BY tenant_id, hour, error_code
        ON CONFLICT (tenant_id, hour, shard, error_code) DO UPDATE SET n = e.n + EXCLUDED.n;
      INSERT INTO tenant_traffic_counters AS t (tenant_id, hour, shard, refused)
        SELECT tenant_id, hour, pg_backend_pid() % 8, count(*)
        FROM (${RELAYED}) r WHERE status = 'failed' GROUP BY tenant_id, hour ORDER BY tenant_id, hour
        ON CONFLICT (tenant_id, hour, shard) DO UPDATE SET refused = t.refused + EXCLUDED.refused;
      RETURN NULL;
    END $$`);
  // Named to sort before 005's outbox_count_sent: it fires first, keeping the lock order above.
  await knex.raw(
    `CREATE TRIGGER outbox_count_relay_outcomes AFTER UPDATE ON outbox REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_relay_outcomes()`,
  );

  for (const [op, newlyFinal] of Object.entries(NEWLY_FINAL)) {
    await knex.raw(`
      CREATE FUNCTION count_campaign_final_statuses_${op}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(${COUNTER_LOCK}, hashtext(tenant_id::text)) FROM (SELECT DISTINCT tenant_id FROM (${newlyFinal}) f ORDER BY 1) t;
        INSERT INTO campaign_traffic_counters AS c (tenant_id, hour, campaign_id, shard, delivered, undelivered, failed)
          SELECT f.tenant_id, f.hour, o.campaign_id, pg_backend_pid() % 8,
                 count(*) FILTER (WHERE f.status IN ('delivered', 'read')), count(*) FILTER (WHERE f.status = 'undelivered'), count(*) FILTER (WHERE f.status = 'failed')
          FROM (${newlyFinal}) f JOIN outbox o ON o.message_sid = f.message_sid
          GROUP BY f.tenant_id, f.hour, o.campaign_id ORDER BY f.tenant_id, f.hour, o.campaign_id
          ON CONFLICT (tenant_id, hour, campaign_id, shard) DO UPDATE SET
            delivered = c.delivered + EXCLUDED.delivered, undelivered = c.undelivered + EXCLUDED.undelivered, failed = c.failed + EXCLUDED.failed;
        RETURN NULL;
      END $$`);
    const transition = op === 'insert' ? 'NEW TABLE AS new_rows' : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
    // delivery_statuses_count_campaign_* sorts before 005's delivery_statuses_count_*: campaign rows first.
    await knex.raw(
      `CREATE TRIGGER delivery_statuses_count_campaign_${op} AFTER ${op.toUpperCase()} ON delivery_statuses REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION count_campaign_final_statuses_${op}()`,
    );
  }

  // A reply belongs to the campaign that last messaged its sender: found by this index, one probe per reply.
  await knex.raw(`CREATE INDEX outbox_sent_recipient ON outbox (tenant_id, to_e164, sent_at DESC) WHERE status = 'sent'`);

  await knex.schema.alterTable('inbound_messages', (t) => {
    /** The campaign that last messaged this number before the reply arrived (null: none did). */
    t.uuid('campaign_id').references('campaigns.id').onDelete('SET NULL');
    /** The compliance engine's reading of free text: opt_out, uncertain_opt_out or other (null for keywords). */
    t.text('intent');
  });
  await knex.raw(`CREATE INDEX inbound_messages_campaign ON inbound_messages (campaign_id, kind) WHERE campaign_id IS NOT NULL`);

  /**
   * Free text the engine read as a request to stop: `applied` when it was confident (the
   * number was suppressed on arrival), `open` until the tenant confirms or dismisses it.
   */
  await knex.schema.createTable('opt_out_requests', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('inbound_message_sid').notNullable().unique().references('inbound_messages.message_sid').onDelete('CASCADE');
    t.text('phone_e164').notNullable();
    t.text('status').notNullable();
    /** The model's log2 odds of an opt-out request, and the phrase that asked to stop, if one did. */
    t.float('log_odds').notNullable();
    t.text('phrase');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('decided_at', { useTz: true });
    t.text('decided_by');
    t.text('decision_reason');
    t.index(['tenant_id', 'status', 'id']);
  });
  await knex.raw(`ALTER TABLE opt_out_requests ADD CONSTRAINT opt_out_requests_status CHECK (status IN ('applied', 'open', 'confirmed', 'dismissed'))`);

  // The warned tenant's repeated reminders; (tenant, warned move, number) makes each happen once.
  await knex.schema.createTable('monitor_reminders', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.integer('warned_seq').notNullable();
    t.integer('reminder').notNullable();
    t.bigInteger('notice_id').notNullable().references('tenant_notices.id').onDelete('CASCADE');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'warned_seq', 'reminder']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('monitor_reminders');
  await knex.schema.dropTable('opt_out_requests');
  await knex.raw('DROP INDEX inbound_messages_campaign');
  await knex.schema.alterTable('inbound_messages', (t) => {
    t.dropColumn('intent');
    t.dropColumn('campaign_id');
  });
  await knex.raw('DROP INDEX outbox_sent_recipient');
  for (const op of Object.keys(NEWLY_FINAL)) {
    await knex.raw(`DROP TRIGGER delivery_statuses_count_campaign_${op} ON delivery_statuses`);
    await knex.raw(`DROP FUNCTION count_campaign_final_statuses_${op}()`);
  }
  await knex.raw('DROP TRIGGER outbox_count_relay_outcomes ON outbox');
  await knex.raw('DROP FUNCTION count_relay_outcomes()');
  await knex.schema.alterTable('tenant_traffic_counters', (t) => t.dropColumn('refused'));
  await knex.schema.dropTable('campaign_traffic_counters');
}
