import { randomBytes } from 'node:crypto';
import { createDb, type Db } from '../../src/db/knex';
import { recordDeliveryStatus } from '../../src/db/delivery-statuses';
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

  it('leaves another tenant’s message alone and ignores an unknown status', async () => {
    const messageSid = sid();
    expect(await recordDeliveryStatus(db, { messageSid, tenantId, status: 'sent' })).toBe('recorded');
    expect(await recordDeliveryStatus(db, { messageSid, tenantId: other, status: 'delivered' })).toBe('other_tenant');
    expect(await recordDeliveryStatus(db, { messageSid, tenantId, status: 'exploded' })).toBe('unknown_status');
    expect(await db('delivery_statuses').where({ message_sid: messageSid }).first()).toMatchObject({ tenant_id: tenantId, status: 'sent', callbacks: 1 });
  });
});
