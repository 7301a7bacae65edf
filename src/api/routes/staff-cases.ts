import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { parseQuery } from '../request-input';

const caseListQuery = z.object({ status: z.enum(['open', 'closed']).default('open'), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

/**
 * Cases workflows opened for staff (mounted behind the staff key): an onboarding step that
 * keeps failing on infrastructure, with the failing call, its last error and how often it
 * failed. The workflow retries by itself; the case tells staff where to look, oldest first.
 */
export function staffCaseRoutes({ db }: Pick<ApiDeps, 'db'>): Router {
  const router = Router();
  router.get('/v1/compliance/cases', async (req, res) => {
    const { status, limit } = parseQuery(caseListQuery, req.query);
    const cases: unknown[] = await db('staff_cases as c')
      .leftJoin('tenants as t', 't.id', 'c.tenant_id')
      .where('c.status', status)
      .orderBy('c.opened_at', 'asc')
      .limit(limit)
      .select(
        'c.id',
        'c.kind',
        'c.status',
        'c.summary',
        'c.details',
        'c.last_error as lastError',
        'c.failures',
        'c.opened_at as openedAt',
        'c.last_failure_at as lastFailureAt',
        'c.closed_at as closedAt',
        'c.resolution',
        'c.workflow_id as workflowId',
        'c.tenant_id as tenantId',
        't.business_name as businessName',
      );
    res.json({ cases });
  });
  return router;
}
