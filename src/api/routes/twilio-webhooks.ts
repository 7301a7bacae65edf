import { Router, type Request } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { HttpProblem } from '../problem';
import { recordDeliveryStatus } from '../../db/delivery-statuses';
import { isKnownStatus } from '../../domain/delivery-status';

const statusCallback = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-f]{32}$/, 'must be a Twilio message SID'),
  MessageStatus: z.string().refine(isKnownStatus, 'is not a Twilio message status'),
  ErrorCode: z.coerce.number().int().optional(),
});

/**
 * Twilio's webhooks. Each is checked against the signature Twilio makes with the tenant's
 * subaccount token over clearsend's public URL; anything else is a 403 and changes nothing.
 */
export function twilioWebhookRoutes({ db, twilio, config, log }: ApiDeps): Router {
  const router = Router();

  /** The tenant whose subaccount signed this request, or a 403. */
  const signedTenant = async (req: Request): Promise<string> => {
    const params = req.body as Record<string, string>;
    const signature = req.get('x-twilio-signature');
    const creds = typeof params.AccountSid === 'string' ? await db('tenant_credentials').where({ subaccount_sid: params.AccountSid }).first<{ tenant_id: string; subaccount_sid: string; sealed_auth_token: string } | undefined>() : undefined;
    const url = `${config.PUBLIC_BASE_URL}${req.originalUrl}`;
    if (!signature || !creds || !twilio.isSignedBySubaccount({ subaccountSid: creds.subaccount_sid, sealedAuthToken: creds.sealed_auth_token }, signature, url, params)) {
      log.warn({ path: req.path, accountSid: params.AccountSid }, 'refused a webhook without a valid Twilio signature');
      throw new HttpProblem(403, 'Forbidden', 'The request does not carry a valid Twilio signature.');
    }
    return creds.tenant_id;
  };

  /** Status callbacks: one row per message; a status only moves forward; retries count, change nothing. */
  router.post('/webhooks/twilio/status', async (req, res) => {
    const tenantId = await signedTenant(req);
    const callback = statusCallback.parse(req.body);
    await recordDeliveryStatus(db, { messageSid: callback.MessageSid, tenantId, status: callback.MessageStatus, errorCode: callback.ErrorCode });
    res.status(204).end();
  });

  return router;
}
