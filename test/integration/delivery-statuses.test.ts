import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../../src/db/knex';
import { recordDeliveryStatus } from '../../src/db/delivery-statuses';
import { recordDeliveryStatuses } from '../../src/db/delivery-status-batches';
import { STATUS_RANK, statusMovesForward } from '../../src/domain/delivery-status';
import { testServices } from '../support/test-env';

/** The one-statement SQL upsert must decide exactly as the domain rule does. */
describe('recordDeliveryStatus', () => {
  let db: Db;
  let tenantId: string;
  let other: string;
  beforeAll(async () => {
    db = createDb(testServices().databaseUrl);
    [{ id: tenantId }, { id: other }] = await db('tenants')
      .insert([
        { slug: `ds-${randomBytes(4).toString('hex')}`, business_name: 'A' },
        { slug: `ds-${randomBytes(4).toString('hex')}`, business_name: 'B' },
      ])
      .returning<{ id: string }[]>('id');
  });
  afterAll(() => db.destroy());
  const sid = () => `SM${randomBytes(16).toString('hex')}`;

  const statuses = Object.keys(STATUS_RANK);
  it.each(statuses.flatMap((current) => statuses.map((next) => [current, next] as const)))('%s then %s', async (current, next) => {
    const messageSid = sid();
    await recordDeliveryStatus(db, { messageSid, tenantId, status: current, errorCode: 30001 });
    await recordDeliveryStatus(db, { messageSid, tenantId, status: next, errorCode: next === 'undelivered' ? 30003 : null });
    const row = await db('delivery_statuses').where({ message_sid: messageSid }).first();
    const moved = statusMovesForward(current, next);
    expect(row).toMatchObject({ status: moved ? next : current, error_code: moved ? (next === 'undelivered' ? 30003 : null) : 30001, callbacks: 2 });
  });

  // The webhook's batched write: one SID's reports in one batch end as they would one after another.
  const triples = statuses.flatMap((a) => statuses.flatMap((b) => statuses.map((c) => [a, b, c] as const)));
  it('recordDeliveryStatuses: every three statuses of one message in one batch end as one after another would', async () => {
    const inBatch = triples.map(() => sid());
    const oneByOne = triples.map(() => sid());
    const errorCodeOf = (s: string) => (s === 'undelivered' ? 30003 : s === 'failed' ? 30008 : null);
    // All triples in one batch, interleaved (each message's reports keep their order): three statements.
    const reports = [0, 1, 2].flatMap((k) => triples.map((t, i) => ({ messageSid: inBatch[i], tenantId, status: t[k], errorCode: errorCodeOf(t[k]) })));
    expect(await recordDeliveryStatuses(db, reports)).toEqual(reports.map(() => 'recorded'));
    for (const [i, t] of triples.entries()) {
      for (const s of t) await recordDeliveryStatus(db, { messageSid: oneByOne[i], tenantId, status: s, errorCode: errorCodeOf(s) });
    }
    const rowsOf = async (sids: string[]) => {
      type Row = { message_sid: string; status: string; error_code: number | null; callbacks: number };
      const rows = await db('delivery_statuses').whereIn('message_sid', sids).select<Row[]>('message_sid', 'status', 'error_code', 'callbacks');
      const bySid = new Map(rows.map(({ message_sid, ...rest }) => [message_sid, rest]));
      return sids.map((s) => bySid.get(s));
    };
    expect(await rowsOf(inBatch)).toEqual(await rowsOf(oneByOne));
  });

  it('recordDeliveryStatuses answers each report’s own outcome: another tenant’s SID and an unknown status only', async () => {
    const mine = sid();
    const fresh = sid();
    await recordDeliveryStatus(db, { messageSid: mine, tenantId, status: 'sent' });
    const outcomes = await recordDeliveryStatuses(db, [
      { messageSid: fresh, tenantId, status: 'sent' },
      { messageSid: mine, tenantId: other, status: 'failed', errorCode: 30008 },
      { messageSid: mine, tenantId, status: 'exploded' },
      { messageSid: mine, tenantId, status: 'delivered' },
      { messageSid: fresh, tenantId: other, status: 'delivered' },
    ]);
    expect(outcomes).toEqual(['recorded', 'other_tenant', 'unknown_status', 'recorded', 'other_tenant']);
    expect(await db('delivery_statuses').where({ message_sid: mine }).first()).toMatchObject({ tenant_id: tenantId, status: 'delivered', callbacks: 2 });
    expect(await db('delivery_statuses').where({ message_sid: fresh }).first()).toMatchObject({ tenant_id: tenantId, status: 'sent', callbacks: 1 });
  });

  it('recordDeliveryStatuses runs one named prepared statement whatever the batch size', async () => {
    // One connection, so every batch runs on the session whose prepared statements are read.
    const single = createDb(testServices().databaseUrl, { max: 1 });
    try {
      for (const size of [1, 7, 50]) {
        const reports = Array.from({ length: size }, () => ({ messageSid: sid(), tenantId, status: 'sent' }));
        expect(await recordDeliveryStatuses(single, reports)).toEqual(reports.map(() => 'recorded'));
      }
      const { rows } = await single.raw<{ rows: Array<{ name: string }> }>(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'delivery_statuses%'`);
      expect(rows.map((r) => r.name)).toEqual(['delivery_statuses_batch_upsert_v1']);
    } finally {
      await single.destroy();
    }
  });

  it('recordDeliveryStatuses writes a batch again when PostgreSQL chose it as a deadlock victim', async () => {
    let calls = 0;
    // The first statement fails as a deadlock victim does (rolled back, SQLSTATE 40P01); later ones run.
    const victimOnce = new Proxy(db, {
      get: (target, prop, receiver) =>
        prop !== 'raw' || calls > 0
          ? Reflect.get(target, prop, receiver)
          : () => ((calls += 1), { options: () => Promise.reject(Object.assign(new Error('deadlock detected'), { code: '40P01' })) }),
    });
    const messageSid = sid();
    expect(await recordDeliveryStatuses(victimOnce, [{ messageSid, tenantId, status: 'sent' }])).toEqual(['recorded']);
    expect(calls).toBe(1);
    expect(await db('delivery_statuses').where({ message_sid: messageSid }).first()).toMatchObject({ status: 'sent', callbacks: 1 });
  });

  it('leaves another tenant’s message alone and ignores an unknown status', async () => {
    const messageSid = sid();
    expect(await recordDeliveryStatus(db, { messageSid, tenantId, status: 'sent' })).toBe('recorded');
    expect(await recordDeliveryStatus(db, { messageSid, tenantId: other, status: 'delivered' })).toBe('other_tenant');
    expect(await recordDeliveryStatus(db, { messageSid, tenantId, status: 'exploded' })).toBe('unknown_status');
    expect(await db('delivery_statuses').where({ message_sid: messageSid }).first()).toMatchObject({ tenant_id: tenantId, status: 'sent', callbacks: 1 });
  });
});
