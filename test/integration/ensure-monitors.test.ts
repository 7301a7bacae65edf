import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createDb, type Db } from '../../src/db/knex';
import { ensureTenantMonitors } from '../../src/ops/ensure-monitors';
import { monitorWorkflowId } from '../../src/workflows/tenant-monitor/definitions';
import { testServices } from '../support/test-env';

/** Tenants activated before the monitor existed get one at the next start; running ones are left alone. */
describe('ensureTenantMonitors', () => {
  let db: Db;
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    db = createDb(testServices().databaseUrl);
    connection = await Connection.connect({ address: testServices().temporalAddress });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await db.destroy();
    await connection.close();
  });

  it('starts a monitor for each active tenant without one, once', async () => {
    const slug = () => `em-${randomBytes(4).toString('hex')}`;
    const [{ id: active }, { id: onboarding }, { id: offboarded }] = await db('tenants')
      .insert([
        { slug: slug(), business_name: 'Old Active Co', lifecycle_step: 'active', status: 'active' },
        { slug: slug(), business_name: 'Still Onboarding', lifecycle_step: 'review' },
        // Offboarding ended its monitor on purpose (its subaccount is closed): not started again.
        { slug: slug(), business_name: 'Gone Co', lifecycle_step: 'active', status: 'offboarded' },
      ])
      .returning<{ id: string }[]>('id');
    const taskQueue = `ensure-${randomBytes(3).toString('hex')}`;
    // Only these two: other test files share the database and start their tenants' monitors themselves.
    const only = [active, onboarding, offboarded];
    const first = await ensureTenantMonitors(db, client, { taskQueue, intervalMs: 60_000, only });
    expect(first).toEqual({ active: 1, started: [active] });
    expect(await ensureTenantMonitors(db, client, { taskQueue, intervalMs: 60_000, only })).toEqual({ active: 1, started: [] });
    const handle = client.workflow.getHandle(monitorWorkflowId(active));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await expect(client.workflow.getHandle(monitorWorkflowId(onboarding)).describe()).rejects.toThrow();
    await expect(client.workflow.getHandle(monitorWorkflowId(offboarded)).describe()).rejects.toThrow();
    await handle.terminate('test over');
  });
});
