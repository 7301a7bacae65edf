import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createDb, type Db } from '../../src/db/knex';
import { recordDeliveryStatus } from '../../src/db/delivery-statuses';
import { recordInboundMessage } from '../../src/db/inbound-messages';
import { measureTenantRates } from '../../src/db/traffic-counters';
import { testServices } from '../support/test-env';
import { dataKeysFor } from '../../src/crypto/data-keys';

/**
 * The monitor's rolling counters are kept by PostgreSQL triggers: a message counts once when
 * it first becomes final, whoever wrote it and however many rows one statement touched.
 */
describe('rolling traffic counters', () => {
  let db: Db;
  // Inbound bodies are sealed with a data key wrapped by a key derived from this one.
  const platformKey = { CREDENTIALS_KEY: randomBytes(32).toString('base64') };
  const keys = () => dataKeysFor(db, platformKey);
  const sid = () => `SM${randomBytes(16).toString('hex')}`;
  const newTenant = async () =>
    (
      await db('tenants')
        .insert({ slug: `tc-${randomBytes(4).toString('hex')}`, business_name: 'Counted Co', contact_email: 'owner@counted.example' })
        .returning<{ id: string }[]>('id')
    )[0].id;
  const totals = async (tenantId: string) => {
    const [row] = await db('tenant_traffic_counters')
      .where({ tenant_id: tenantId })
      .select(
        db.raw(
          'coalesce(sum(sent),0)::int AS sent, coalesce(sum(segments),0)::int AS segments, coalesce(sum(delivered),0)::int AS delivered, coalesce(sum(undelivered),0)::int AS undelivered, coalesce(sum(failed),0)::int AS failed, coalesce(sum(refused),0)::int AS refused, coalesce(sum(opt_outs),0)::int AS "optOuts", coalesce(sum(opt_ins),0)::int AS "optIns", coalesce(sum(replies),0)::int AS replies',
        ),
      );
    return row as Record<string, number>;
  };
  const newCampaign = async (tenantId: string, name = 'c') =>
    (
      await db('campaigns')
        .insert({ tenant_id: tenantId, name, body: 'b', message_type: 'marketing', batch_size: 10, scan: '{}', encoding: 'GSM-7', segments: 1 })
        .returning<{ id: string }[]>('id')
    )[0].id;
  /** Outbox rows as the relay claims them (`sending`), one per number. */
  const claimed = async (tenantId: string, campaignId: string, phones: string[]) =>
    db('outbox')
      .insert(phones.map((p) => ({ campaign_id: campaignId, tenant_id: tenantId, phone_raw: p, to_e164: p, status: 'sending' })))
      .returning<Array<{ id: string; to_e164: string }>>(['id', 'to_e164']);
  const campaignTotals = async (campaignId: string) => {
    const [row] = await db('campaign_traffic_counters')
      .where({ campaign_id: campaignId })
      .select(
        db.raw(
          'coalesce(sum(sent),0)::int AS sent, coalesce(sum(refused),0)::int AS refused, coalesce(sum(delivered),0)::int AS delivered, coalesce(sum(undelivered),0)::int AS undelivered, coalesce(sum(failed),0)::int AS failed, coalesce(sum(opt_outs),0)::int AS "optOuts"',
        ),
      );
    return row as Record<string, number>;
  };
  beforeAll(() => {
    db = createDb(testServices().databaseUrl);
  });
  afterAll(() => db.destroy());

  it('counts each message once, at its first final status', async () => {
    const tenantId = await newTenant();
    const [a, b, c, d] = [sid(), sid(), sid(), sid()];
    for (const [messageSid, status, errorCode] of [
      [a, 'sent'],
      [a, 'delivered'],
      [a, 'delivered'],
      [a, 'read'], // retried callback and read: one delivery
      [b, 'undelivered', 30003],
      [b, 'undelivered', 30003],
      [b, 'delivered'], // final stays final
      [c, 'queued'],
      [c, 'failed', 30007],
      [d, 'read'], // first seen as read: a delivery
    ] as Array<[string, string, number?]>) {
      await recordDeliveryStatus(db, { messageSid, tenantId, status, errorCode });
    }
    expect(await totals(tenantId)).toMatchObject({ delivered: 2, undelivered: 1, failed: 1 });
    const codes = await db('tenant_error_counters')
      .where({ tenant_id: tenantId })
      .groupBy('error_code')
      .orderBy('error_code')
      .select('error_code', db.raw('sum(n)::int AS n'));
    expect(codes).toEqual([
      { error_code: 30003, n: 1 },
      { error_code: 30007, n: 1 },
    ]);
  });

  it('aggregates a bulk statement, and counts sends and segments when the relay marks rows sent', async () => {
    const tenantId = await newTenant();
    await db.raw(
      `INSERT INTO delivery_statuses (message_sid, tenant_id, status, error_code)
       SELECT 'SM' || md5(random()::text || g), ?, CASE WHEN g % 10 = 0 THEN 'undelivered' ELSE 'delivered' END, CASE WHEN g % 10 = 0 THEN 30005 END
       FROM generate_series(1, 1000) g`,
      [tenantId],
    );
    const [{ id: campaignId }] = await db('campaigns')
      .insert({ tenant_id: tenantId, name: 'c', body: 'b', message_type: 'marketing', batch_size: 10, scan: '{}', encoding: 'GSM-7', segments: 2 })
      .returning<{ id: string }[]>('id');
    await db('outbox').insert(
      Array.from({ length: 5 }, (_, i) => ({
        campaign_id: campaignId,
        tenant_id: tenantId,
        phone_raw: `+1415555000${i}`,
        to_e164: `+1415555000${i}`,
        status: 'sending',
      })),
    );
    await db('outbox').where({ campaign_id: campaignId }).limit(3).update({ status: 'pending' }); // not a send
    await db.raw(`UPDATE outbox SET status = 'sent', message_sid = 'SM' || md5(id::text), sent_at = now() WHERE campaign_id = ?`, [campaignId]);
    await db.raw(`UPDATE outbox SET sent_at = now() WHERE campaign_id = ?`, [campaignId]); // already sent: not again
    expect(await totals(tenantId)).toMatchObject({ delivered: 900, undelivered: 100, sent: 5, segments: 10 });

    const rates = await measureTenantRates(db, tenantId, [168, 24]);
    expect(rates.measurements).toEqual([
      { metric: 'errorRate', window: '7d', numerator: 100, denominator: 1000 },
      { metric: 'optOutRate', window: '7d', numerator: 0, denominator: 900 },
      { metric: 'errorRate', window: '1d', numerator: 100, denominator: 1000 },
      { metric: 'optOutRate', window: '1d', numerator: 0, denominator: 900 },
    ]);
    expect(rates.errorCodes).toEqual([{ code: 30005, n: 100 }]);
  });

  it('takes concurrent bulk writers over the same tenants and hours without deadlock', async () => {
    const tenants = [await newTenant(), await newTenant(), await newTenant()];
    // Four connections, each a statement of 3,000 final statuses spread over the same tenants, hours and codes.
    await Promise.all(
      [0, 1, 2, 3].map((k) =>
        db.raw(
          `INSERT INTO delivery_statuses (message_sid, tenant_id, status, error_code, updated_at)
           SELECT 'SM' || md5(? || '-' || g), (?::uuid[])[1 + g % 3], CASE WHEN g % 4 = 0 THEN 'undelivered' ELSE 'delivered' END,
                  CASE WHEN g % 4 = 0 THEN 30003 + (g % 3) END, now() - (g % 5) * interval '1 hour'
           FROM generate_series(1, 3000) g`,
          [`${k}`, tenants],
        ),
      ),
    );
    const [{ delivered, errors }] = await db('tenant_traffic_counters')
      .whereIn('tenant_id', tenants)
      .select(db.raw('sum(delivered)::int AS delivered, sum(undelivered)::int AS errors'));
    expect({ delivered, errors }).toEqual({ delivered: 9000, errors: 3000 });
    const [{ n }] = await db('tenant_error_counters').whereIn('tenant_id', tenants).select(db.raw('sum(n)::int AS n'));
    expect(n).toBe(3000);
  });

  it('judges only traffic after a person’s decision, net within the decision’s hour', async () => {
    const tenantId = await newTenant();
    const bad = async (n: number, status: string) => {
      for (let i = 0; i < n; i++) await recordDeliveryStatus(db, { messageSid: sid(), tenantId, status, errorCode: status === 'failed' ? 30003 : null });
    };
    await bad(50, 'failed');
    await bad(50, 'delivered');
    const { rows } = await db.raw<{ rows: Array<{ hour: Date }> }>(`SELECT date_trunc('hour', now()) AS hour`);
    const since = { hour: rows[0].hour.toISOString(), delivered: 50, errors: 50, optOuts: 0 };
    await bad(3, 'failed');
    await bad(97, 'delivered');
    const [sevenDays] = (await measureTenantRates(db, tenantId, [168], since)).measurements;
    expect(sevenDays).toEqual({ metric: 'errorRate', window: '7d', numerator: 3, denominator: 100 });
  });

  it('counts an inbound message once however often Twilio retries it', async () => {
    const tenantId = await newTenant();
    const messageSid = sid();
    const stop = { messageSid, tenantId, from: '+14155550111', to: '+14155550100', body: 'STOP' };
    expect(await recordInboundMessage(db, keys(), stop)).toMatchObject({ kind: 'opt_out', duplicate: false });
    expect(await recordInboundMessage(db, keys(), stop)).toMatchObject({ kind: 'opt_out', duplicate: true });
    expect(await db('suppressions').where({ tenant_id: tenantId }).select('phone_e164', 'reason')).toEqual([{ phone_e164: '+14155550111', reason: 'opt_out' }]);
    await recordInboundMessage(db, keys(), { ...stop, messageSid: sid(), body: 'start' });
    expect(await db('suppressions').where({ tenant_id: tenantId })).toEqual([]);
    const help = await recordInboundMessage(db, keys(), { ...stop, messageSid: sid(), body: 'HELP' });
    expect(help.helpText).toMatch(/^Counted Co: for help, contact owner@counted\.example\..*Reply STOP/);
    expect(await totals(tenantId)).toMatchObject({ optOuts: 1, optIns: 1, replies: 1 });
  });

  it('counts send-time refusals as errors, with their codes, once, and by campaign', async () => {
    const tenantId = await newTenant();
    const campaignId = await newCampaign(tenantId);
    const rows = await claimed(
      tenantId,
      campaignId,
      Array.from({ length: 10 }, (_, i) => `+1415555010${i}`),
    );
    // The relay records each refusal as it comes back from Twilio: one row per statement…
    await db('outbox')
      .where({ id: rows[0].id, status: 'sending' })
      .update({ status: 'failed', error_code: 21610, error_message: 'Attempt to send to unsubscribed recipient' });
    await db('outbox').where({ id: rows[1].id, status: 'sending' }).update({ status: 'failed', error_code: 21211, error_message: 'invalid To' });
    // …or several at once, and a code-less refusal (no Twilio code came back) still counts as an error.
    await db('outbox').whereIn('id', [rows[2].id, rows[3].id]).update({ status: 'failed', error_code: 21614 });
    await db('outbox').where({ id: rows[4].id }).update({ status: 'failed', error_code: 0 });
    await db('outbox').where({ id: rows[0].id }).update({ error_message: 'rewritten' }); // already failed: not again
    await db.raw(`UPDATE outbox SET status = 'sent', message_sid = 'SM' || md5(id::text), sent_at = now() WHERE campaign_id = ? AND status = 'sending'`, [
      campaignId,
    ]);
    for (const r of await db('outbox').where({ campaign_id: campaignId, status: 'sent' }).select<Array<{ message_sid: string }>>('message_sid')) {
      await recordDeliveryStatus(db, { messageSid: r.message_sid, tenantId, status: 'delivered' });
    }

    expect(await totals(tenantId)).toMatchObject({ sent: 5, delivered: 5, refused: 5, failed: 0, undelivered: 0 });
    expect(await campaignTotals(campaignId)).toEqual({ sent: 5, refused: 5, delivered: 5, undelivered: 0, failed: 0, optOuts: 0 });
    const rates = await measureTenantRates(db, tenantId, [168]);
    expect(rates.measurements[0]).toEqual({ metric: 'errorRate', window: '7d', numerator: 5, denominator: 10 });
    expect(rates.errorCodes[0]).toEqual({ code: 21614, n: 2 }); // the most frequent first; code 0 is no Twilio code
    expect([...rates.errorCodes].sort((x, y) => x.code - y.code)).toEqual([
      { code: 21211, n: 1 },
      { code: 21610, n: 1 },
      { code: 21614, n: 2 },
    ]);
    expect(rates.campaigns).toEqual([{ campaignId, name: 'c', sent: 5, refused: 5, delivered: 5, errors: 5, optOuts: 0 }]);
  });

  it('attributes a reply to the campaign that last messaged the number, and counts a free-text opt-out once', async () => {
    const tenantId = await newTenant();
    const [first, second] = [await newCampaign(tenantId, 'First'), await newCampaign(tenantId, 'Second')];
    const [a, b] = ['+14155550201', '+14155550202'];
    const send = async (campaignId: string, phones: string[]) => {
      await claimed(tenantId, campaignId, phones);
      await db.raw(
        `UPDATE outbox SET status = 'sent', message_sid = 'SM' || md5(id::text || random()::text), sent_at = clock_timestamp() WHERE campaign_id = ? AND status = 'sending'`,
        [campaignId],
      );
    };
    await send(first, [a, b]);
    await send(second, [a]); // b was not in the second campaign: its replies belong to the first

    const stop = { messageSid: sid(), tenantId, from: a, to: '+14155550100', body: 'Please stop texting me' };
    expect(await recordInboundMessage(db, keys(), stop)).toMatchObject({
      kind: 'opt_out',
      duplicate: false,
      campaignId: second,
      optOutRequest: { status: 'applied' },
    });
    expect(await recordInboundMessage(db, keys(), stop)).toMatchObject({ kind: 'opt_out', duplicate: true, campaignId: second });
    expect(await db('suppressions').where({ tenant_id: tenantId }).select('phone_e164', 'reason', 'source')).toEqual([
      { phone_e164: a, reason: 'opt_out', source: `inbound-free-text:${stop.messageSid}` },
    ]);
    const question = await recordInboundMessage(db, keys(), { ...stop, messageSid: sid(), from: b, body: 'What time is my appointment?' });
    expect(question).toMatchObject({ kind: 'reply', campaignId: first });
    expect(await recordInboundMessage(db, keys(), { ...stop, messageSid: sid(), from: '+14155550299', body: 'STOP' })).toMatchObject({
      kind: 'opt_out',
      campaignId: undefined,
    });

    expect(await totals(tenantId)).toMatchObject({ optOuts: 2, replies: 1 });
    expect(await campaignTotals(second)).toMatchObject({ sent: 1, optOuts: 1 });
    expect(await campaignTotals(first)).toMatchObject({ sent: 2, optOuts: 0 });
    expect(await db('inbound_messages').where({ message_sid: stop.messageSid }).first()).toMatchObject({
      campaign_id: second,
      kind: 'opt_out',
      intent: 'opt_out',
    });
  });

  it('takes concurrent refusals, deliveries and opt-outs over the same tenant, hour and campaign without deadlock', async () => {
    const tenantId = await newTenant();
    const campaignId = await newCampaign(tenantId);
    const phones = Array.from({ length: 2000 }, (_, i) => `+1415${String(2000000 + i)}`);
    await claimed(tenantId, campaignId, phones);
    // Half the rows sent with SIDs (their final statuses arrive below), the other half left to be refused.
    await db.raw(`UPDATE outbox SET status = 'sent', message_sid = 'SM' || md5(id::text), sent_at = now() WHERE campaign_id = ? AND id % 2 = 0`, [campaignId]);
    const repliers = await db('outbox').where({ campaign_id: campaignId, status: 'sent' }).orderBy('id').limit(4).pluck<string[]>('to_e164');
    await Promise.all([
      ...[0, 1].map((k) =>
        db.raw(`UPDATE outbox SET status = 'failed', error_code = 21610 + ? WHERE campaign_id = ? AND status = 'sending' AND id % 4 IN (?, ?)`, [
          k,
          campaignId,
          2 * k + 1,
          2 * k + 1,
        ]),
      ),
      ...[0, 1].map((k) =>
        db.raw(
          `INSERT INTO delivery_statuses (message_sid, tenant_id, status, error_code)
           SELECT message_sid, tenant_id, CASE WHEN id % 8 = 0 THEN 'undelivered' ELSE 'delivered' END, CASE WHEN id % 8 = 0 THEN 30003 END
           FROM outbox WHERE campaign_id = ? AND status = 'sent' AND id % 4 = ?`,
          [campaignId, 2 * k],
        ),
      ),
      ...repliers.map((from) => recordInboundMessage(db, keys(), { messageSid: sid(), tenantId, from, to: '+14155550100', body: 'STOP' })),
    ]);
    const refused = Number((await db('outbox').where({ campaign_id: campaignId, status: 'failed' }).count<{ n: string }[]>('* as n'))[0].n);
    expect(refused).toBe(1000);
    expect(await campaignTotals(campaignId)).toMatchObject({ sent: 1000, refused, delivered: 750, undelivered: 250, optOuts: 4 });
    expect(await totals(tenantId)).toMatchObject({ sent: 1000, refused, delivered: 750, undelivered: 250, optOuts: 4 });
  });

  it('counts a delivery for its campaign once, whether the callback or the relay’s write of the SID comes first, even at the same time', async () => {
    const tenantId = await newTenant();
    const campaignId = await newCampaign(tenantId);
    const rows = await claimed(tenantId, campaignId, ['+14155550401', '+14155550402', '+14155550403', '+14155550404']);
    const markSent = (trx: Knex | Knex.Transaction, id: string, messageSid: string) =>
      trx('outbox').where({ id, status: 'sending' }).update({ status: 'sent', message_sid: messageSid, sent_at: trx.fn.now() });
    const [a, b, c, d] = [sid(), sid(), sid(), sid()];

    await markSent(db, rows[0].id, a); // the usual order: the SID, then the callback
    await recordDeliveryStatus(db, { messageSid: a, tenantId, status: 'delivered' });
    await recordDeliveryStatus(db, { messageSid: b, tenantId, status: 'undelivered', errorCode: 30003 }); // the callback beat the relay
    await markSent(db, rows[1].id, b);

    // The relay's write and a callback in flight together, each way round.
    const relay = await db.transaction();
    await markSent(relay, rows[2].id, c);
    const callback = recordDeliveryStatus(db, { messageSid: c, tenantId, status: 'delivered' }); // waits for the relay's commit
    await new Promise((r) => setTimeout(r, 200));
    await relay.commit();
    await callback;
    const inFlight = await db.transaction();
    await recordDeliveryStatus(inFlight, { messageSid: d, tenantId, status: 'delivered' });
    const write = markSent(db, rows[3].id, d); // waits for the callback's commit
    await new Promise((r) => setTimeout(r, 200));
    await inFlight.commit();
    await write;

    expect(await campaignTotals(campaignId)).toMatchObject({ sent: 4, delivered: 3, undelivered: 1 });
    expect(await totals(tenantId)).toMatchObject({ sent: 4, delivered: 3, undelivered: 1 });
  });
});
