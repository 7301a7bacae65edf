import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { authenticate, callerTenantId } from '../auth';
import { HttpProblem } from '../problem';
import { scanMessage } from '../../domain/content-scan';
import { MESSAGE_TYPES, shapeOutgoingBody, withoutShapingFixes } from '../../domain/message-shaping';
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

/** `POST /v1/scan`: a tenant previews a message while writing it; nothing is stored or sent. */
export function scanRoutes({ db }: ApiDeps): Router {
  const router = Router();
  router.post('/v1/scan', authenticate(db, 'tenant'), async (req, res) => {
    const tenantId = callerTenantId(res);
    const input = scanRequest.parse(req.body);
    const tenant = await db('tenants').where({ id: tenantId }).first<{ business_name: string } | undefined>('business_name');
    if (!tenant) throw new HttpProblem(404, 'Not found', 'No such tenant.');
    // A missing brand or opt-out line is not a finding: the relay adds them, as bodyAsSent shows.
    const result = withoutShapingFixes(scanMessage(input.body, { brandName: tenant.business_name, requireOptOutLanguage: false, requireHelpLanguage: input.requireHelpLanguage }));
    // The first message a contact gets from the tenant: the longest form, so the estimate is not low.
    const bodyAsSent = shapeOutgoingBody(input.body, { brandName: tenant.business_name, withOptOutFooter: true }).body;
    const bodyAsSentSegments = estimateSegments(bodyAsSent);
    res.json({
      ...result,
      ...(input.messageType ? { messageType: input.messageType } : {}),
      bodyAsSent,
      bodyAsSentSegments,
      ...(input.recipients !== undefined ? { costEstimateUsd: estimateCampaignCost({ segmentsPerMessage: bodyAsSentSegments.segments, recipients: input.recipients }) } : {}),
    });
  });
  return router;
}
