import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { authenticate, callerTenantId } from '../auth';
import { parseQuery } from '../request-input';

const listQuery = z
  .object({
    /** Only campaigns created before this instant (the last `createdAt` of the previous page). */
    before: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, such as a campaign’s createdAt' }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

interface CampaignListRow {
  id: string;
  name: string;
  messageType: string;
  status: string;
  contentReview: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * `GET /v1/campaigns`: the tenant's campaigns, newest first, paged by `before`. Names, status and
 * times only (no message text, no recipient), so every role reads it, a viewer included.
 */
export function campaignListRoutes({ db }: ApiDeps): Router {
  const router = Router();
  router.get('/v1/campaigns', authenticate(db, 'tenant'), async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    const campaigns = await db('campaigns')
      .where({ tenant_id: callerTenantId(res) })
      .modify((b) => {
        if (q.before) void b.where('created_at', '<', new Date(q.before));
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(q.limit)
      .select<CampaignListRow[]>(
        'id',
        'name',
        'message_type as messageType',
        'status',
        'content_review as contentReview',
        'created_at as createdAt',
        'started_at as startedAt',
        'finished_at as finishedAt',
      );
    res.json({ campaigns });
  });
  return router;
}
