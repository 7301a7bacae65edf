import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createDb, type Db } from '../../src/db/knex';
import { createTenantMonitorActivities } from '../../src/activities/tenant-monitor';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { judgeRate, DEFAULT_LADDER_POLICY } from '../../src/domain/escalation-ladder';
import { testConfig } from '../support/test-env';

/** A ladder move's effects happen once per (tenant, seq), however often Temporal retries the activity. */
describe('recordLadderMove', () => {
  let db: Db;
  let acts: ReturnType<typeof createTenantMonitorActivities>;
  beforeAll(() => {
    const config = testConfig();
    db = createDb(config.DATABASE_URL);
    acts = createTenantMonitorActivities({ db, twilio: createTwilioClientFactory(config), clock: () => new Date(), log: pino({ level: 'silent' }), config });
  });
  afterAll(() => db.destroy());

  it('writes state, audit, notice and case once, and closes the case when a person decides', async () => {
    const [{ id: tenantId }] = await db('tenants')
      .insert({ slug: `mm-${randomBytes(4).toString('hex')}`, business_name: 'Once Only Co' })
      .returning<{ id: string }[]>('id');
    const rates = [judgeRate({ metric: 'errorRate', window: '7d', numerator: 90, denominator: 1000 }, DEFAULT_LADDER_POLICY)];
    const review = {
      tenantId,
      seq: 1,
      move: { from: 'good', to: 'under_review', why: 'escalated' } as const,
      actor: 'system:monitor',
      reason: 'error rate 9 %',
      rates,
    };
    const first = await acts.recordLadderMove(review);
    const retried = await acts.recordLadderMove(review);
    expect(retried).toEqual(first);
    expect(first.caseId).toBeDefined();
    expect(await db('tenants').where({ id: tenantId }).first()).toMatchObject({ sending_state: 'under_review' });
    const count = async (table: string, where: Record<string, unknown>) => Number((await db(table).where(where).count<{ n: string }[]>('* as n'))[0].n);
    expect(await count('audit_log', { tenant_id: tenantId, action: 'monitor.state_changed' })).toBe(1);
    expect(await count('tenant_notices', { tenant_id: tenantId })).toBe(1);
    expect(await count('compliance_cases', { tenant_id: tenantId, kind: 'monitor_review', status: 'open' })).toBe(1);

    await acts.recordLadderMove({ tenantId, seq: 2, move: { from: 'under_review', to: 'good', why: 'staff' }, actor: 'staff:alice', reason: 'checked', rates });
    expect(await db('compliance_cases').where({ id: first.caseId }).first()).toMatchObject({
      status: 'approved',
      decided_by: 'staff:alice',
      decision_reason: 'checked',
    });
    expect(await db('tenants').where({ id: tenantId }).first()).toMatchObject({ sending_state: 'good' });
  });
});
