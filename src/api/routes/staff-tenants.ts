import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { HttpProblem } from '../problem';
import { parseQuery } from '../request-input';
import { lifecycleWorkflowId } from '../../workflows/tenant-lifecycle/definitions';
import { monitorWorkflowId } from '../../workflows/tenant-monitor/definitions';
import { campaignWorkflowId } from '../../workflows/campaign-send/definitions';

const tenantIdParam = z.uuid({ error: 'must be a tenant id (UUID)' });
const tenantListQuery = z
  .object({
    /** Part of the business name, any case. */
    q: z.string().trim().min(1).max(200).optional(),
    step: z.string().trim().min(1).max(40).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** Paging: tenants created before this ISO time (the last row's `createdAt`). */
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Escapes LIKE's wildcards, so a name with `%` or `_` in it is matched as written. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Staff reads for the console's tenant pages (mounted behind the staff key and the staff-read
 * audit): every tenant, newest first, and one tenant's overview with the workflow ids the
 * console links to the Temporal UI, its campaigns with their counts and its open cases.
 */
export function staffTenantRoutes({ db }: Pick<ApiDeps, 'db'>): Router {
  const router = Router();

  router.get('/v1/compliance/tenants', async (req, res) => {
    const { q, step, limit, before } = parseQuery(tenantListQuery, req.query);
    const tenants = await db('tenants')
      .modify((query) => {
        if (q) void query.whereILike('business_name', `%${likeLiteral(q)}%`);
        if (step) void query.where({ lifecycle_step: step });
        if (before) void query.where('created_at', '<', before);
      })
      .orderBy('created_at', 'desc')
      .limit(limit)
      .select<Array<Record<string, unknown> & { id: string }>>(
        'id',
        'business_name as businessName',
        'status',
        'lifecycle_step as step',
        'sending_state as sendingState',
        'created_at as createdAt',
      );
    res.json({ tenants: tenants.map((t) => ({ ...t, workflowId: lifecycleWorkflowId(t.id) })) });
  });

  router.get('/v1/compliance/tenants/:id/overview', async (req, res) => {
    const tenantId = tenantIdParam.parse(req.params.id);
    const tenant = await db('tenants')
      .where({ id: tenantId })
      .first<Record<string, unknown> | undefined>(
        'id',
        'business_name as businessName',
        'status',
        'lifecycle_step as step',
        'sending_state as sendingState',
        'website',
        'time_zone as timeZone',
        'created_at as createdAt',
      );
    if (!tenant) throw new HttpProblem(404, 'Not found', `No tenant ${tenantId}.`);
    const campaigns = await db('campaigns as k')
      .leftJoin(
        db('campaign_traffic_counters')
          .where({ tenant_id: tenantId })
          .groupBy('campaign_id')
          .select(
            'campaign_id',
            db.raw('sum(sent)::int AS sent'),
            db.raw('sum(delivered)::int AS delivered'),
            db.raw('sum(refused + undelivered + failed)::int AS errors'),
            db.raw('sum(opt_outs)::int AS opt_outs'),
          )
          .as('f'),
        'f.campaign_id',
        'k.id',
      )
      .where('k.tenant_id', tenantId)
      .orderBy('k.created_at', 'desc')
      .limit(50)
      .select<Array<Record<string, unknown> & { id: string }>>(
        'k.id',
        'k.name',
        'k.status',
        'k.segments',
        'k.created_at as createdAt',
        'k.started_at as startedAt',
        'k.finished_at as finishedAt',
        db.raw('coalesce(f.sent, 0) AS sent'),
        db.raw('coalesce(f.delivered, 0) AS delivered'),
        db.raw('coalesce(f.errors, 0) AS errors'),
        db.raw('coalesce(f.opt_outs, 0) AS "optOuts"'),
      );
    const openCases: unknown[] = await db('compliance_cases')
      .where({ tenant_id: tenantId, status: 'open' })
      .orderBy('opened_at', 'asc')
      .select('id', 'kind', 'summary', 'opened_at as openedAt', 'reminders_sent as remindersSent');
    res.json({
      tenant,
      workflows: { lifecycle: lifecycleWorkflowId(tenantId), monitor: monitorWorkflowId(tenantId) },
      campaigns: campaigns.map((c) => ({ ...c, workflowId: campaignWorkflowId(c.id) })),
      openCases,
    });
  });

  return router;
}
