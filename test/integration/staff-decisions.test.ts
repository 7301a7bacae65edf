import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createTenantLifecycleActivities } from '../../src/activities/tenant-lifecycle';
import { recordAudit } from '../../src/db/audit';
import { createDb, type Db } from '../../src/db/knex';
import { recordStaffDecision } from '../../src/db/staff-decisions';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { testConfig } from '../support/test-env';

/**
 * The check a lifecycle runs (as an activity) before it acts on a staff decision Signal: the
 * audit entry the API wrote, for this tenant and this decision, by staff, used once. On the
 * real database; the workflow's side is in test/workflows and test/e2e/tenant-lifecycle.
 */
describe('staff decisions are honoured through their audit entry, once', () => {
  const config = testConfig();
  let db: Db;
  let acts: ReturnType<typeof createTenantLifecycleActivities>;
  beforeAll(() => {
    db = createDb(config.DATABASE_URL, { max: 2 });
    acts = createTenantLifecycleActivities({ db, twilio: createTwilioClientFactory(config), clock: () => new Date(), log: pino({ level: 'silent' }), config });
  });
  afterAll(() => db.destroy());

  const tenant = async () =>
    (
      await db('tenants')
        .insert({ slug: `t-${randomBytes(5).toString('hex')}`, business_name: 'Harbor Dental', status: 'onboarding', lifecycle_step: 'review' })
        .returning<{ id: string }[]>('id')
    )[0].id;

  it("accepts the API's entry with who and why from it, again for the same caller, and refuses everything else", async () => {
    const [a, b] = [await tenant(), await tenant()];
    const approval = await recordStaffDecision(db, { tenantId: a, decision: 'approve', by: 'staff:alice', reason: 'registry checked' });
    const check = (input: Partial<Parameters<typeof acts.confirmStaffDecision>[0]>) =>
      acts.confirmStaffDecision({
        tenantId: a,
        decision: 'approve',
        auditId: approval,
        claimedBy: 'staff:mallory',
        usedBy: 'tenant-lifecycle/a/run1#1',
        ...input,
      });

    expect(await check({})).toEqual({ accepted: true, by: 'staff:alice', reason: 'registry checked' });
    // The same activity retried (its answer lost) is accepted again; any other caller is refused.
    expect(await check({})).toEqual({ accepted: true, by: 'staff:alice', reason: 'registry checked' });
    expect(await check({ usedBy: 'tenant-lifecycle/a/run1#2' })).toEqual({ accepted: false, why: `audit entry ${approval} was already used` });

    const fresh = await recordStaffDecision(db, { tenantId: a, decision: 'approve', by: 'staff:alice', reason: 'again' });
    expect(await check({ auditId: fresh, tenantId: b })).toEqual({ accepted: false, why: `audit entry ${fresh} is about another tenant` });
    expect(await check({ auditId: fresh, decision: 'reject' })).toEqual({
      accepted: false,
      why: `audit entry ${fresh} records staff_decision.approve, not staff_decision.reject`,
    });
    const byTenant = await recordAudit(db, { actor: `tenant:${a}`, actorKind: 'tenant', tenantId: a, action: 'staff_decision.approve' });
    expect(await check({ auditId: byTenant })).toEqual({ accepted: false, why: `audit entry ${byTenant} was not made by staff` });
    expect(await check({ auditId: undefined })).toEqual({ accepted: false, why: 'the decision names no audit entry' });
    expect(await check({ auditId: '1 OR 1=1' })).toEqual({ accepted: false, why: 'the decision names no audit entry' });
    expect(await check({ auditId: '9223372036854775' })).toEqual({ accepted: false, why: 'audit entry 9223372036854775 does not exist' });
    // The refused ones did not use the entry up: its own caller still can.
    expect(await check({ auditId: fresh, usedBy: 'tenant-lifecycle/a/run1#9' })).toEqual({ accepted: true, by: 'staff:alice', reason: 'again' });

    const refusals = await db('audit_log').where({ tenant_id: a, action: 'staff_decision.refused' }).orderBy('id').select('actor', 'reason', 'details');
    expect(refusals).toHaveLength(6);
    expect(refusals[0]).toEqual({
      actor: 'system:lifecycle',
      reason: `audit entry ${approval} was already used`,
      details: { decision: 'approve', auditId: approval, claimedBy: 'staff:mallory' },
    });
  });
});
