import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { authenticate, callerTenantId, requireTenant } from '../auth';
import { HttpProblem } from '../problem';
import { complianceContextOf } from '../../db/compliance-context';
import { judgeMessage } from '../../domain/compliance/judge';
import { MESSAGE_TYPES, shapeOutgoingBody } from '../../domain/message-shaping';
import { estimateCampaignCost, estimateSegments } from '../../domain/segments';

const scanRequest = z
  .object({
    body: z.string().min(1).max(10_000),
    requireHelpLanguage: z.boolean().default(false),
    messageType: z.enum(MESSAGE_TYPES).optional(),
    /** How many recipients the message is meant for, to estimate the cost. */
    recipients: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();

/** `POST /v1/scan`: a tenant previews a message while writing it (the compliance judgement); nothing is stored or sent. */
export function scanRoutes({ db }: ApiDeps): Router {
  const router = Router();
  router.post('/v1/scan', authenticate(db, 'tenant'), requireTenant('campaigns.write'), async (req, res) => {
    const tenantId = callerTenantId(res);
    const input = scanRequest.parse(req.body);
    const tenant = await db('tenants').where({ id: tenantId }).first<{ business_name: string } | undefined>('business_name');
    if (!tenant) throw new HttpProblem(404, 'Not found', 'No such tenant.');
    // Judged as the tenant's campaigns are: its sending route and declared age gate. A missing
    // brand or opt-out line is not a finding: the relay adds them, as bodyAsSent shows.
    const judgement = judgeMessage(input.body, { ...(await complianceContextOf(db, tenantId)), requireHelpLanguage: input.requireHelpLanguage });
    const result = { ...judgement, segments: estimateSegments(input.body) };
    // The first message a contact gets from the tenant: the longest form, so the estimate is not low.
    const bodyAsSent = shapeOutgoingBody(input.body, { brandName: tenant.business_name, withOptOutFooter: true }).body;
    const bodyAsSentSegments = estimateSegments(bodyAsSent);
    res.json({
      ...result,
      ...(input.messageType ? { messageType: input.messageType } : {}),
      bodyAsSent,
      bodyAsSentSegments,
      ...(input.recipients !== undefined
        ? { costEstimateUsd: estimateCampaignCost({ segmentsPerMessage: bodyAsSentSegments.segments, recipients: input.recipients }) }
        : {}),
    });
  });
  return router;
}
