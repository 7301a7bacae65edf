import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import type { ApiMetrics } from '../metrics';
import { HttpProblem, InvalidInput } from '../problem';
import { requireStorable } from '../request-input';
import { BatchQueueFull } from '../ingest/batch-queue';
import { deliveryStatusWrites } from '../ingest/delivery-status-writes';
import { isTwilioStatus } from '../../domain/delivery-status';
import twilioLib from 'twilio';
import { recordInboundMessage } from '../../db/inbound-messages';
import { credentialsOfSubaccount, type TenantCredentials } from '../../db/tenant-credentials';
import { notificationEmail, startEmailOptions } from '../../workflows/notification-email';
import { registrationStatusChangedSignal, registrationWorkflowId } from '../../workflows/carrier-registration/definitions';
import { WorkflowNotFoundError } from '@temporalio/client';
import { dataKeysFor } from '../../crypto/data-keys';

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const messageSid = z.string().regex(/^(SM|MM)[0-9a-f]{32}$/, 'must be a Twilio message SID');

const inboundMessage = z.object({
  MessageSid: messageSid,
  From: z.string().min(1).max(64),
  To: z.string().min(1).max(64),
  Body: z.string().max(1600).default(''),
});

const statusCallback = z.object({
  MessageSid: messageSid,
  MessageStatus: z.string().refine(isTwilioStatus, 'is not a Twilio message status'),
  // PostgreSQL's integer: a code beyond it would fail the whole batch its callback is written in.
  ErrorCode: z.coerce.number().int().min(-2_147_483_648).max(2_147_483_647).optional(),
});

/** A parsed form body as Twilio signs it; anything else (no body, another content type) is an empty form. */
function formParams(body: unknown): Record<string, string> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, string>) : {};
}

/**
 * Twilio's webhooks. Each is checked against the signature Twilio makes with the tenant's
 * subaccount token over clearsend's public URL; anything else is a 403 and changes nothing.
 */
export function twilioWebhookRoutes(
  { db, twilio, temporal, config, log }: ApiDeps,
  metrics?: Pick<ApiMetrics, 'observeStatusBatch'>,
): { router: Router; statusCallback: RequestHandler } {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const statusWrites = deliveryStatusWrites(db, config, metrics?.observeStatusBatch);

  // Every callback needs its subaccount's sealed token: kept a minute in memory so ingest is
  // not a database round trip per callback. A rotated token is read afresh on a mismatch.
  const credentialsCache = new Map<string, { creds: TenantCredentials; at: number }>();
  const CACHE_MS = 60_000;
  const credentialsOf = async (accountSid: string, fresh: boolean): Promise<TenantCredentials | undefined> => {
    const cached = credentialsCache.get(accountSid);
    if (!fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.creds;
    const creds = await credentialsOfSubaccount(db, accountSid);
    if (creds) credentialsCache.set(accountSid, { creds, at: Date.now() });
    else credentialsCache.delete(accountSid);
    if (credentialsCache.size > 10_000) credentialsCache.clear();
    return creds;
  };

  /**
   * The tenant whose subaccount signed this request, or a 403. Twilio always posts a non-empty
   * form; a request without one (no body, `text/plain`) is malformed whoever sent it, so, like
   * malformed JSON elsewhere, it is a 400 before any signature is looked at (nothing is read from
   * or written to PostgreSQL for it). Once the signature holds, text PostgreSQL cannot store is a
   * 400 naming the field.
   */
  const signedTenant = async (req: Request): Promise<string> => {
    const params = formParams(req.body);
    if (!req.is('application/x-www-form-urlencoded') || !Object.keys(params).length) {
      throw new InvalidInput([{ field: 'body', message: 'Twilio webhooks are application/x-www-form-urlencoded forms; this request carries none.' }]);
    }
    const signature = req.get('x-twilio-signature');
    const url = `${config.PUBLIC_BASE_URL}${req.originalUrl}`;
    const signedWith = (creds: TenantCredentials | undefined) => !!signature && !!creds && twilio.isSignedBySubaccount(creds, signature, url, params);
    // Only something shaped like an account SID is looked up (garbage, NUL included, never reaches PostgreSQL).
    const accountSid = typeof params.AccountSid === 'string' && ACCOUNT_SID.test(params.AccountSid) ? params.AccountSid : undefined;
    let creds = accountSid ? await credentialsOf(accountSid, false) : undefined;
    if (accountSid && signature && !signedWith(creds)) creds = await credentialsOf(accountSid, true);
    if (!creds || !signedWith(creds)) {
      log.warn({ path: req.path, accountSid: params.AccountSid }, 'refused a webhook without a valid Twilio signature');
      throw new HttpProblem(403, 'Forbidden', 'The request does not carry a valid Twilio signature.');
    }
    requireStorable(params, 'body');
    return creds.tenantId;
  };

  /**
   * Status callbacks: one row per message; a status only moves forward; retries count, change
   * nothing. Not on the router: the busiest route by far is mounted on its own, ahead of every
   * other router and the access log (createApp).
   */
  const statusCallbackHandler: RequestHandler = async (req, res) => {
    const tenantId = await signedTenant(req);
    const callback = statusCallback.parse(req.body);
    // Answered only once its batch has committed: a 204 means the status is in PostgreSQL.
    const outcome = await statusWrites
      .submit({ messageSid: callback.MessageSid, tenantId, status: callback.MessageStatus, errorCode: callback.ErrorCode })
      .catch((err: unknown) => {
        if (!(err instanceof BatchQueueFull)) throw err;
        log.warn({ path: req.path, queued: statusWrites.queued }, 'refused a status callback: the write queue is full');
        throw new HttpProblem(503, 'Service unavailable', 'Too many status callbacks at once; try again.', {}, { 'Retry-After': '1' });
      });
    if (outcome === 'other_tenant') {
      // Twilio signs a message's callbacks with the subaccount that sent it: this one was forged.
      log.warn({ path: req.path, tenantId, messageSid: callback.MessageSid }, 'refused a status callback for another tenant’s message');
      throw new HttpProblem(403, 'Forbidden', 'The message is not one of this account’s.');
    }
    res.status(204).end();
  };

  /**
   * Trust Hub's status callbacks for the tenant's customer profile and trust product. The
   * registration reads the verdict itself (its poll would find it too); the callback only tells
   * it to read now. Signed by the tenant's subaccount, so a tenant can only hurry its own.
   */
  router.post('/webhooks/twilio/registration', async (req, res) => {
    const tenantId = await signedTenant(req);
    try {
      await temporal.workflow.getHandle(registrationWorkflowId(tenantId)).signal(registrationStatusChangedSignal);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      log.info({ path: req.path, tenantId }, 'a registration status callback for a tenant with no running registration');
    }
    res.status(204).end();
  });

  /**
   * A handset's message to a tenant's number. Keywords act as Twilio's do (STOP suppresses,
   * START resubscribes, HELP is answered with the tenant's help text). Free text is read by the
   * compliance engine: a confident request to stop suppresses like STOP and is confirmed with
   * one message, an uncertain one is held for the tenant to confirm; anything but an opt-out
   * becomes a notification for the contact's user. Twilio's retries of one MessageSid count once.
   */
  router.post('/webhooks/twilio/inbound', async (req, res) => {
    const tenantId = await signedTenant(req);
    const message = inboundMessage.parse(req.body);
    // Twilio posts a subaccount's inbound messages only for numbers it holds; a number it held
    // once still counts, so a retry of a message received before a release is not lost.
    const held = await db('tenant_phone_numbers')
      .where({ tenant_id: tenantId, phone_number: message.To })
      .first<{ phone_number: string } | undefined>('phone_number');
    if (!held) {
      log.warn({ path: req.path, tenantId, to: message.To }, 'refused an inbound webhook for a number the signing account does not hold');
      throw new HttpProblem(403, 'Forbidden', 'The number is not one of this account’s.');
    }
    const outcome = await recordInboundMessage(db, keys, { messageSid: message.MessageSid, tenantId, from: message.From, to: message.To, body: message.Body });
    if (outcome.emailNotificationId) {
      // After the commit; if this fails Twilio retries the webhook, which finds the email still pending
      // (and, while its email workflow still runs, that run).
      await temporal.workflow.start(notificationEmail, {
        ...startEmailOptions('reply', outcome.emailNotificationId),
        workflowIdConflictPolicy: 'USE_EXISTING',
        taskQueue: config.TEMPORAL_TASK_QUEUE,
      });
    }
    const reply = new twilioLib.twiml.MessagingResponse();
    const answer = outcome.helpText ?? outcome.optOutConfirmation ?? outcome.optInReply;
    if (answer) reply.message(answer);
    res.status(200).type('text/xml').send(reply.toString());
  });

  return { router, statusCallback: statusCallbackHandler };
}
