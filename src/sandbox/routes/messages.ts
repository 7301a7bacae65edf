import { Router } from 'express';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { SegmentedMessage } from 'sms-segments-calculator';
import type { SandboxContext } from '../context';
import { formParams, pathAccount, pathInstance } from '../context';
import { CARRIER_ERROR_MESSAGES } from '../carrier';
import { magicSendRefusal } from '../magic-numbers';
import { messagingServiceSender } from '../messaging-service-sender';
import { dateSentFilter } from '../date-sent';
import { messageJson, page } from '../representations';
import { TwilioApiError, twilioErrors } from '../twilio-error';
import { postSignedWebhook } from '../webhooks';
import type { MessageStatus, SandboxMessage } from '../store';

/** Twilio's default validity period: 4 hours (max 36,000 s), in seconds. */
const DEFAULT_VALIDITY_S = 14_400;
const FINAL: ReadonlySet<MessageStatus> = new Set(['delivered', 'undelivered', 'failed', 'canceled']);

export function messageRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  /** Moves a message on and tells its StatusCallback, signed with the owning account's token. */
  const moveTo = (message: SandboxMessage, status: MessageStatus, errorCode: number | null = null) => {
    if (FINAL.has(message.status)) return;
    message.status = status;
    message.dateUpdated = new Date();
    if (status === 'sent') message.dateSent = message.dateUpdated;
    if (errorCode !== null) {
      message.errorCode = errorCode;
      message.errorMessage = CARRIER_ERROR_MESSAGES[errorCode] ?? 'Unknown error';
    }
    const account = store.accounts.get(message.accountSid);
    if (!message.statusCallback || !account || account.isTest || ctx.faults.dropsStatusCallback(account.sid)) return;
    const params: Record<string, string> = {
      AccountSid: message.accountSid,
      ApiVersion: '2010-04-01',
      From: message.from,
      MessageSid: message.sid,
      MessageStatus: status,
      SmsSid: message.sid,
      SmsStatus: status,
      To: message.to,
    };
    if (errorCode !== null) params.ErrorCode = String(errorCode);
    void postSignedWebhook(store, message.statusCallback, params, account.authToken, ctx.timings.webhook);
  };

  const schedule = (message: SandboxMessage, sendAt: number) => {
    ctx.later(sendAt - Date.now() + ctx.timings.sentDelayMs, () => {
      if (message.status !== 'queued') return; // canceled meanwhile
      if (sendAt - message.dateCreated.getTime() > message.validityPeriodS * 1000) return moveTo(message, 'failed', 30036);
      moveTo(message, 'sent');
      ctx.later(ctx.timings.finalDelayMs, () => {
        const outcome = ctx.carrier.outcomeFor(message.to);
        moveTo(message, outcome.status, outcome.errorCode);
      });
    });
  };

  router.post('/2010-04-01/Accounts/:accountSid/Messages.json', (req, res) => {
    const account = pathAccount(ctx, res, req.params.accountSid);
    const params = req.body as Record<string, string>;
    const { To: to, Body: body = '', MessagingServiceSid: messagingServiceSid } = params;
    if (account.status !== 'active') throw twilioErrors.accountNotActive();
    if (!to) throw twilioErrors.missingParameter('To');
    let from = params.From;
    let statusCallback: string | undefined = params.StatusCallback;
    if (messagingServiceSid) {
      const sender = messagingServiceSender(store, account.sid, messagingServiceSid, from);
      from = sender.from;
      statusCallback ??= sender.statusCallback;
    }
    if (!from) throw twilioErrors.missingParameter('From');
    if (!body && !params.MediaUrl) throw twilioErrors.bodyRequired();
    if (body.length > 1600) throw twilioErrors.bodyTooLong();
    const validity = params.ValidityPeriod ? Number(params.ValidityPeriod) : DEFAULT_VALIDITY_S;
    if (!Number.isInteger(validity) || validity < 1 || validity > 36_000) throw twilioErrors.invalidParameter('ValidityPeriod', params.ValidityPeriod);

    if (account.isTest) {
      const refusal = magicSendRefusal(from, to);
      if (refusal) throw refusal;
    } else {
      if (!parsePhoneNumberFromString(to)?.isValid()) throw twilioErrors.invalidTo(to);
      if (store.numberByPhone(from)?.accountSid !== account.sid) throw twilioErrors.fromNotOwned(from);
      if (store.optOuts.has(`${from}|${to}`)) throw twilioErrors.unsubscribed();
    }
    const segments = new SegmentedMessage(body).segmentsCount;
    const now = Date.now();
    const slot = account.isTest ? { sendAt: now } : ctx.queues.enqueue(from, segments, now);
    if (!slot) throw twilioErrors.queueFull();

    const message: SandboxMessage = {
      sid: store.messages.mintSid(),
      accountSid: account.sid,
      from,
      to,
      body,
      direction: 'outbound-api',
      status: 'queued',
      numSegments: segments,
      errorCode: null,
      errorMessage: null,
      statusCallback,
      messagingServiceSid,
      validityPeriodS: validity,
      dateCreated: new Date(now),
      dateUpdated: new Date(now),
      dateSent: null,
    };
    store.messages.set(message.sid, message);
    store.ledger.push({
      sid: message.sid,
      accountSid: account.sid,
      from,
      to,
      body,
      ...(messagingServiceSid ? { messagingServiceSid } : {}),
      params: { ...params },
      acceptedAt: new Date(now).toISOString(),
    });
    // Test credentials: accepted and answered, never delivered, no callbacks (as on Twilio).
    if (!account.isTest) schedule(message, slot.sendAt);
    res.status(201).json(messageJson(message));
  });

  router.get('/2010-04-01/Accounts/:accountSid/Messages.json', (req, res) => {
    const account = pathAccount(ctx, res, req.params.accountSid);
    const q = req.query as Record<string, string | undefined>;
    const sentWithin = dateSentFilter(q);
    // Filtered while read: most messages may be on disk, and only the matching ones are kept.
    const list: SandboxMessage[] = [];
    for (const m of store.messages.values())
      if (m.accountSid === account.sid && (!q.To || m.to === q.To) && (!q.From || m.from === q.From) && sentWithin(m)) list.push(m);
    list.sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    res.json(page(req, 'messages', list.map(messageJson)));
  });

  router.get('/2010-04-01/Accounts/:accountSid/Messages/:sid.json', (req, res) => {
    res.json(messageJson(pathInstance(ctx, req, res, store.messages, 'Messages')));
  });

  router.post('/2010-04-01/Accounts/:accountSid/Messages/:sid.json', (req, res) => {
    const message = pathInstance(ctx, req, res, store.messages, 'Messages');
    const body = formParams(req);
    if (body.Status !== undefined) {
      if (body.Status !== 'canceled') throw twilioErrors.invalidParameter('Status', body.Status);
      if (message.status !== 'queued' && message.status !== 'accepted')
        throw new TwilioApiError(400, 30409, 'Message cannot be canceled: it is no longer queued.');
      moveTo(message, 'canceled');
    }
    if (body.Body !== undefined) {
      if (body.Body !== '') throw new TwilioApiError(400, 20001, 'Body can only be set to an empty string (redaction).');
      const refusal = store.redactionRefusals.get(message.sid);
      if (refusal && refusal.remaining > 0) {
        refusal.remaining -= 1;
        throw new TwilioApiError(refusal.status, refusal.code, refusal.message);
      }
      if (!FINAL.has(message.status) && message.direction !== 'inbound')
        throw new TwilioApiError(400, 20009, 'A message can be redacted only once it is final.');
      message.body = '';
      store.redactions.push({ sid: message.sid, accountSid: message.accountSid, at: new Date().toISOString() });
    }
    message.dateUpdated = new Date();
    // A message read back from disk is a copy: the change is kept only when stored again.
    store.messages.set(message.sid, message);
    res.json(messageJson(message));
  });

  router.delete('/2010-04-01/Accounts/:accountSid/Messages/:sid.json', (req, res) => {
    const message = pathInstance(ctx, req, res, store.messages, 'Messages');
    store.messages.delete(message.sid);
    res.status(204).end();
  });

  return router;
}
