import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { parseQuery } from '../request-input';
import { staffActorOf } from '../auth';
import { HttpProblem } from '../problem';
import { recordAudit } from '../../db/audit';
import type { Finding } from '../../domain/compliance/judge';
import { staffActionSchema } from './tenant-schemas';
import { dataKeysFor } from '../../crypto/data-keys';

const reviewListQuery = z.object({ status: z.enum(['pending', 'approved', 'rejected']).default('pending') }).strict();
const campaignIdParam = z.uuid({ error: 'must be a campaign id (UUID)' });
const DECISIONS = { approve: 'approved', reject: 'rejected' } as const;

interface ReviewRow {
  id: string;
  tenant_id: string;
  business_name: string;
  name: string;
  body: string;
  scan: { findings: Finding[] };
  content_review: string;
  content_reviewed_by: string | null;
  content_reviewed_at: Date | null;
  content_review_reason: string | null;
  created_at: Date;
}

const view = (r: ReviewRow) => ({
  campaignId: r.id,
  tenantId: r.tenant_id,
  businessName: r.business_name,
  campaignName: r.name,
  body: r.body,
  status: r.content_review,
  // What the person is asked to judge: each finding that holds the message, with its span.
  findings: r.scan.findings.filter((f) => f.verdict !== 'warn'),
  createdAt: r.created_at,
  decidedBy: r.content_reviewed_by,
  decidedAt: r.content_reviewed_at,
  decisionReason: r.content_review_reason,
});

/**
 * Campaign content a person must judge (`review` verdicts): the staff queue, and approve or
 * reject with a reason. Mounted behind the staff key check of the compliance routes.
 * Nothing of a campaign in review is sent until it is approved (campaign start and the
 * workflow's gate both check).
 */
export function contentReviewRoutes({ db, config }: Pick<ApiDeps, 'db' | 'config'>): Router {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const opened = (rows: ReviewRow[]) => keys.openRows(rows, (r) => r.tenant_id, { body: 'campaigns.body' });
  const reviews = () =>
    db('campaigns as c')
      .join('tenants as t', 't.id', 'c.tenant_id')
      .select(
        'c.id',
        'c.tenant_id',
        't.business_name',
        'c.name',
        'c.body',
        'c.scan',
        'c.content_review',
        'c.content_reviewed_by',
        'c.content_reviewed_at',
        'c.content_review_reason',
        'c.created_at',
      );

  router.get('/v1/compliance/content-reviews', async (req, res) => {
    const { status } = parseQuery(reviewListQuery, req.query);
    const rows = await reviews().where('c.content_review', status).orderBy('c.created_at', 'asc').limit(500);
    res.json({ reviews: (await opened(rows as ReviewRow[])).map(view) });
  });

  for (const [action, outcome] of Object.entries(DECISIONS)) {
    router.post(`/v1/compliance/campaigns/:id/content/${action}`, async (req, res) => {
      const campaignId = campaignIdParam.parse(req.params.id);
      const { reason } = staffActionSchema.parse(req.body);
      const by = staffActorOf(res);
      await db.transaction(async (trx) => {
        const campaign = await trx('campaigns')
          .where({ id: campaignId })
          .forUpdate()
          .first<{ tenant_id: string; content_review: string | null } | undefined>('tenant_id', 'content_review');
        if (!campaign) throw new HttpProblem(404, 'Not found', `No campaign ${campaignId}.`);
        if (campaign.content_review !== 'pending') {
          throw new HttpProblem(
            409,
            'NotInStep',
            campaign.content_review ? `The campaign's content was ${campaign.content_review} already.` : 'The campaign has no content waiting for review.',
          );
        }
        await trx('campaigns')
          .where({ id: campaignId })
          .update({ content_review: outcome, content_reviewed_by: by, content_reviewed_at: trx.fn.now(), content_review_reason: reason });
        await recordAudit(trx, {
          actor: by,
          actorKind: 'staff',
          tenantId: campaign.tenant_id,
          action: `campaign.content_${outcome}`,
          reason,
          details: { campaignId },
        });
      });
      const [row] = await opened((await reviews().where('c.id', campaignId)) as ReviewRow[]);
      res.json(view(row));
    });
  }

  return router;
}
