import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { parseQuery } from '../request-input';
import { authenticate, requireStaff, staffActorOf } from '../auth';
import { auditStaffReads, STAFF_READ_ACTION } from '../staff-read-audit';
import { contentReviewRoutes } from './content-reviews';
import { staffCaseRoutes } from './staff-cases';
import { staffApiKeyRoutes } from './api-keys';
import { staffTenantRegistrationRoutes } from './staff-tenant-registration';
import { senderLimitRoutes } from './sender-limits';
import { staffConsoleRoutes } from './staff-console';
import { HttpProblem } from '../problem';
import { onWorkflow } from '../workflow-errors';
import { auditedStaffUpdate } from '../audited-staff-update';
import { monitorStateQuery, monitorWorkflowId, staffStandingUpdates } from '../../workflows/tenant-monitor/definitions';
import { lifecycleWorkflowId, staffDecisionUpdates } from '../../workflows/tenant-lifecycle/definitions';
import { staffActionSchema } from './tenant-schemas';
import { sendingSettingsOf } from '../sending-settings';
import { STAFF_DECISIONS } from '../../db/staff-decisions';

const reviewQuery = z.object({ status: z.enum(['open', 'approved', 'rejected', 'closed']).default('open') }).strict();
const auditQuery = z
  .object({
    tenantId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.coerce.number().int().positive().optional(),
    /** Staff reads are audited too; they are left out of this listing unless asked for. */
    includeReads: z.enum(['true', 'false']).default('false'),
  })
  .strict();
const tenantIdParam = z.uuid({ error: 'must be a tenant id (UUID)' });

export function complianceRoutes({ db, temporal, config }: ApiDeps): Router {
  const router = Router();
  router.use('/v1/compliance', authenticate(db, 'staff'), auditStaffReads(db));
  router.use(contentReviewRoutes({ db, config }));
  router.use(staffCaseRoutes({ db }));
  router.use(staffApiKeyRoutes({ db }));
  router.use(staffTenantRegistrationRoutes({ db, temporal, config }));
  router.use(senderLimitRoutes({ db }));
  router.use(staffConsoleRoutes({ db, temporal, config }));

  router.get('/v1/compliance/reviews', async (req, res) => {
    const { status } = parseQuery(reviewQuery, req.query);
    const cases: unknown[] = await db('compliance_cases as c')
      .join('tenants as t', 't.id', 'c.tenant_id')
      .where('c.status', status)
      .orderBy('c.opened_at', 'asc')
      .select(
        'c.id',
        'c.kind',
        'c.status',
        'c.summary',
        'c.details',
        'c.opened_at as openedAt',
        'c.reminders_sent as remindersSent',
        'c.decided_by as decidedBy',
        'c.decision_reason as decisionReason',
        't.id as tenantId',
        't.business_name as businessName',
        't.lifecycle_step as step',
      );
    res.json({ reviews: cases });
  });

  /**
   * A staff decision is one Update to the workflow that owns the tenant's standing: the
   * lifecycle while onboarding, the monitor once active. Its validator refuses a decision that
   * does not fit (409, with the workflow's reason), so nothing is queried first and nothing
   * races between a check and the decision.
   */
  for (const name of STAFF_DECISIONS) {
    // Only a staff admin lifts a suspension; reviewers approve, reject and suspend.
    router.post(`/v1/compliance/tenants/:id/${name}`, requireStaff(name === 'reinstate' ? 'tenants.reinstate' : 'reviews.decide'), async (req, res) => {
      const tenantId = tenantIdParam.parse(req.params.id);
      const { reason } = staffActionSchema.parse(req.body);
      const by = staffActorOf(res);
      const tenant = await db('tenants').where({ id: tenantId }).first<{ lifecycle_step: string } | undefined>('lifecycle_step');
      if (!tenant) throw new HttpProblem(404, 'Not found', `No tenant ${tenantId}.`);
      if (tenant.lifecycle_step === 'active') {
        if (name === 'reject') throw new HttpProblem(409, 'NotInStep', 'An active tenant is not rejected; suspend it instead.');
        const monitor = temporal.workflow.getHandle(monitorWorkflowId(tenantId));
        const moved = await onWorkflow(`tenant monitor ${tenantId}`, () => monitor.executeUpdate(staffStandingUpdates[name], { args: [{ by, reason }] }));
        return void res
          .status(202)
          .location(`/v1/compliance/tenants/${tenantId}/monitor`)
          .json({ accepted: true, action: name, by, from: moved.from, state: moved.to });
      }
      // The audit entry first: the lifecycle takes a decision only through the entry it names.
      const lifecycle = temporal.workflow.getHandle(lifecycleWorkflowId(tenantId));
      const { auditId, answer: state } = await auditedStaffUpdate(
        db,
        `tenant ${tenantId}`,
        { tenantId, decision: name, by, reason, details: { step: tenant.lifecycle_step } },
        (id) => lifecycle.executeUpdate(staffDecisionUpdates[name], { args: [{ by, reason, auditId: id }] }),
      );
      res.status(202).location(`/v1/tenants/${tenantId}`).json({ accepted: true, action: name, by, auditId, step: state.step, suspended: state.suspended });
    });
  }

  /** The monitor's view of a tenant: rung, last evaluation (rates by window, error codes), recent moves. */
  router.get('/v1/compliance/tenants/:id/monitor', async (req, res) => {
    const tenantId = tenantIdParam.parse(req.params.id);
    const standing = await onWorkflow(`tenant monitor ${tenantId}`, () => temporal.workflow.getHandle(monitorWorkflowId(tenantId)).query(monitorStateQuery));
    res.json(standing);
  });

  router.get('/v1/compliance/tenants/:id/sending', async (req, res) => {
    res.json(await sendingSettingsOf(db, tenantIdParam.parse(req.params.id)));
  });

  router.get('/v1/compliance/audit', async (req, res) => {
    const { tenantId, limit, before, includeReads } = parseQuery(auditQuery, req.query);
    const entries: unknown[] = await db('audit_log')
      .modify((q) => {
        if (tenantId) void q.where({ tenant_id: tenantId });
        if (before) void q.where('id', '<', before);
        if (includeReads === 'false') void q.whereNot('action', STAFF_READ_ACTION);
      })
      .orderBy('id', 'desc')
      .limit(limit)
      .select('id', 'at', 'actor', 'actor_kind as actorKind', 'tenant_id as tenantId', 'action', 'reason', 'details');
    res.json({ entries });
  });

  return router;
}
