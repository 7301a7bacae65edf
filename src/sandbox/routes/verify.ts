import { randomInt } from 'node:crypto';
import { Router } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams } from '../context';
import { newSid } from '../ids';
import { verificationJson, verifyServiceJson } from '../representations';
import { twilioErrors } from '../twilio-error';
import type { Verification, VerifyService } from '../store';

/** Verify v2 as Twilio runs it: 5 checks per verification, 5 sends per 10 minutes, codes expire. */
const MAX_CHECKS = 5;
const MAX_SENDS = 5;
const SEND_WINDOW_MS = 10 * 60_000;

export function verifyRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  const service = (accountSid: string, sid: string): VerifyService => {
    const s = store.verifyServices.get(sid);
    if (!s || s.accountSid !== accountSid) throw twilioErrors.notFound(`/Services/${sid}`);
    return s;
  };
  /** The live verification for a number; an expired one is gone (Twilio answers 404 for it). */
  const pending = (serviceSid: string, to: string | undefined, sid: string | undefined): Verification | undefined => {
    for (const v of store.verifications.values()) {
      if (v.serviceSid !== serviceSid || (sid ? v.sid !== sid : v.to !== to) || v.status !== 'pending') continue;
      if (Date.now() > v.expiresAt) {
        v.status = 'expired';
        continue;
      }
      return v;
    }
    return undefined;
  };

  router.post('/v2/Services', (req, res) => {
    const account = authenticatedAccount(res);
    const body = formParams(req);
    if (!body.FriendlyName) throw twilioErrors.missingParameter('FriendlyName');
    const codeLength = body.CodeLength ? Number(body.CodeLength) : 6;
    if (!Number.isInteger(codeLength) || codeLength < 4 || codeLength > 10) throw twilioErrors.invalidParameter('CodeLength', body.CodeLength!);
    const now = new Date().toISOString();
    const s: VerifyService = { sid: newSid('VA'), accountSid: account.sid, friendlyName: body.FriendlyName, codeLength, dateCreated: now, dateUpdated: now };
    store.verifyServices.set(s.sid, s);
    store.changed();
    res.status(201).json(verifyServiceJson(s));
  });

  router.get('/v2/Services', (req, res) => {
    const account = authenticatedAccount(res);
    const services = [...store.verifyServices.values()].filter((s) => s.accountSid === account.sid).map(verifyServiceJson);
    const pageSize = Number((req.query as Record<string, string>).PageSize ?? 50);
    res.json({
      services: services.slice(0, pageSize),
      meta: {
        page: 0,
        page_size: pageSize,
        first_page_url: `https://verify.twilio.com/v2/Services?PageSize=${pageSize}&Page=0`,
        previous_page_url: null,
        url: `https://verify.twilio.com/v2/Services?PageSize=${pageSize}&Page=0`,
        next_page_url: null,
        key: 'services',
      },
    });
  });

  router.get('/v2/Services/:sid', (req, res) => {
    res.json(verifyServiceJson(service(authenticatedAccount(res).sid, req.params.sid)));
  });

  router.post('/v2/Services/:sid/Verifications', (req, res) => {
    const s = service(authenticatedAccount(res).sid, req.params.sid);
    const { To: to, Channel: channel } = formParams(req);
    if (!to) throw twilioErrors.missingParameter('To');
    if (!channel) throw twilioErrors.missingParameter('Channel');
    if (!['sms', 'call', 'email', 'whatsapp'].includes(channel)) throw twilioErrors.invalidParameter('Channel', channel);
    const now = Date.now();
    let v = pending(s.sid, to, undefined);
    if (v) {
      // A new request while one is pending re-sends the same code, within Twilio's send limit.
      if (v.sendTimes.filter((t) => now - t < SEND_WINDOW_MS).length >= MAX_SENDS) throw twilioErrors.maxSendAttempts();
      v.sendTimes.push(now);
      v.dateUpdated = new Date(now);
    } else {
      const code = Array.from({ length: s.codeLength }, () => randomInt(10)).join('');
      v = {
        sid: newSid('VE'),
        serviceSid: s.sid,
        accountSid: s.accountSid,
        to,
        channel,
        status: 'pending',
        code,
        checks: 0,
        sendTimes: [now],
        dateCreated: new Date(now),
        dateUpdated: new Date(now),
        expiresAt: now + ctx.timings.verifyTtlMs,
      };
      store.verifications.set(v.sid, v);
    }
    res.status(201).json(verificationJson(v, 'verification'));
  });

  router.get('/v2/Services/:sid/Verifications/:verificationSid', (req, res) => {
    const s = service(authenticatedAccount(res).sid, req.params.sid);
    const v = store.verifications.get(req.params.verificationSid);
    if (!v || v.serviceSid !== s.sid) throw twilioErrors.notFound(`/Verifications/${req.params.verificationSid}`);
    res.json(verificationJson(v, 'verification'));
  });

  router.post('/v2/Services/:sid/Verifications/:verificationSid', (req, res) => {
    const s = service(authenticatedAccount(res).sid, req.params.sid);
    const v = pending(s.sid, undefined, req.params.verificationSid);
    if (!v) throw twilioErrors.notFound(`/Verifications/${req.params.verificationSid}`);
    const { Status: status } = formParams(req);
    if (status !== 'canceled' && status !== 'approved') throw twilioErrors.invalidParameter('Status', String(status));
    v.status = status;
    v.dateUpdated = new Date();
    res.json(verificationJson(v, 'verification'));
  });

  router.post('/v2/Services/:sid/VerificationCheck', (req, res) => {
    const s = service(authenticatedAccount(res).sid, req.params.sid);
    const { To: to, Code: code, VerificationSid: verificationSid } = formParams(req);
    if (!to && !verificationSid) throw twilioErrors.missingParameter('To');
    if (!code) throw twilioErrors.missingParameter('Code');
    const v = pending(s.sid, to, verificationSid);
    if (!v) throw twilioErrors.notFound('/VerificationCheck');
    if (v.checks >= MAX_CHECKS) {
      v.status = 'max_attempts_reached';
      throw twilioErrors.maxCheckAttempts();
    }
    v.checks += 1;
    if (code === v.code) v.status = 'approved';
    else if (v.checks >= MAX_CHECKS) v.status = 'max_attempts_reached';
    v.dateUpdated = new Date();
    res.json(verificationJson(v, 'check'));
  });

  return router;
}
