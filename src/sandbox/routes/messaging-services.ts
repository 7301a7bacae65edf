import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams, ownedBy } from '../context';
import { newSid } from '../ids';
import { TwilioApiError, twilioErrors } from '../twilio-error';
import type { MessagingService, SandboxNumber } from '../store';
import { v1Page } from '../v1-page';
import { formFlag } from '../form-values';

const HOST = 'messaging.twilio.com';
const USECASES = ['notifications', 'marketing', 'verification', 'discussion', 'poll', 'undeclared'];

/** The settings a Service takes on create and update: parameter, JSON name, type, default. */
const SETTINGS: Array<[param: string, json: string, kind: 'string' | 'boolean' | 'integer', fallback: string | number | boolean | null]> = [
  ['InboundRequestUrl', 'inbound_request_url', 'string', null],
  ['InboundMethod', 'inbound_method', 'string', 'POST'],
  ['FallbackUrl', 'fallback_url', 'string', null],
  ['FallbackMethod', 'fallback_method', 'string', 'POST'],
  ['StatusCallback', 'status_callback', 'string', null],
  ['StickySender', 'sticky_sender', 'boolean', true],
  ['MmsConverter', 'mms_converter', 'boolean', true],
  ['SmartEncoding', 'smart_encoding', 'boolean', true],
  ['ScanMessageContent', 'scan_message_content', 'string', 'inherit'],
  ['FallbackToLongCode', 'fallback_to_long_code', 'boolean', true],
  ['AreaCodeGeomatch', 'area_code_geomatch', 'boolean', true],
  ['SynchronousValidation', 'synchronous_validation', 'boolean', true],
  ['ValidityPeriod', 'validity_period', 'integer', 14400],
  ['Usecase', 'usecase', 'string', 'undeclared'],
  ['UseInboundWebhookOnNumber', 'use_inbound_webhook_on_number', 'boolean', true],
];

function applySettings(service: MessagingService, body: Record<string, string | undefined>) {
  const settings = { ...service.settings };
  for (const [param, json, kind] of SETTINGS) {
    const v = body[param];
    if (v === undefined) continue;
    settings[json] = kind === 'boolean' ? formFlag(v) : kind === 'integer' ? Number(v) : v;
  }
  if (typeof settings.usecase === 'string' && !USECASES.includes(settings.usecase))
    throw new TwilioApiError(400, 21713, `The Messaging Service use case ${settings.usecase} is invalid.`);
  const validity = settings.validity_period;
  if (validity !== undefined && (!Number.isInteger(validity) || Number(validity) < 1 || Number(validity) > 36_000))
    throw twilioErrors.invalidParameter('ValidityPeriod', String(validity));
  service.settings = settings;
}

/**
 * Messaging v1 Services: create, list, fetch, update, delete; the sender pool (PhoneNumbers);
 * the inbound and status-callback settings. A number belongs to one Service at a time (21710).
 */
export function messagingServiceRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  const json = (s: MessagingService) => {
    const settings: Record<string, unknown> = {};
    for (const [, name, , fallback] of SETTINGS) settings[name] = s.settings?.[name] ?? fallback;
    return {
      sid: s.sid,
      account_sid: s.accountSid,
      friendly_name: s.friendlyName,
      date_created: s.dateCreated,
      date_updated: s.dateUpdated,
      ...settings,
      url: `https://${HOST}/v1/Services/${s.sid}`,
      links: { phone_numbers: `https://${HOST}/v1/Services/${s.sid}/PhoneNumbers`, us_app_to_person: `https://${HOST}/v1/Services/${s.sid}/Compliance/Usa2p` },
      us_app_to_person_registered: [...store.registrations.campaigns.values()].some((c) => c.messagingServiceSid === s.sid && c.status === 'VERIFIED'),
    };
  };
  const numberJson = (s: MessagingService, n: SandboxNumber) => ({
    sid: n.sid,
    account_sid: s.accountSid,
    service_sid: s.sid,
    date_created: n.dateCreated,
    date_updated: n.dateUpdated,
    phone_number: n.phoneNumber,
    country_code: 'US',
    capabilities: ['SMS', 'MMS', 'Voice'],
    url: `https://${HOST}/v1/Services/${s.sid}/PhoneNumbers/${n.sid}`,
  });
  const own = (req: Request, res: Response, param = 'sid') =>
    ownedBy(store.messagingServices, authenticatedAccount(res).sid, req.params[param] as string, 'Services');

  router.post('/v1/Services', (req, res) => {
    const account = authenticatedAccount(res);
    const body = formParams(req);
    if (!body.FriendlyName) throw twilioErrors.missingParameter('FriendlyName');
    const now = new Date().toISOString();
    const service: MessagingService = {
      sid: newSid('MG'),
      accountSid: account.sid,
      friendlyName: body.FriendlyName,
      numberSids: [],
      dateCreated: now,
      dateUpdated: now,
    };
    applySettings(service, body);
    store.messagingServices.set(service.sid, service);
    store.changed();
    res.status(201).json(json(service));
  });

  router.get('/v1/Services', (req, res) => {
    const mine = [...store.messagingServices.values()].filter((s) => s.accountSid === authenticatedAccount(res).sid);
    res.json(v1Page(req, HOST, 'services', mine.map(json)));
  });

  router.get('/v1/Services/:sid', (req, res) => void res.json(json(own(req, res))));

  router.post('/v1/Services/:sid', (req, res) => {
    const service = own(req, res);
    const body = formParams(req);
    applySettings(service, body);
    if (body.FriendlyName !== undefined) service.friendlyName = body.FriendlyName;
    service.dateUpdated = new Date().toISOString();
    store.changed();
    res.json(json(service));
  });

  /** Deleting a Service deletes its A2P campaigns with it. */
  router.delete('/v1/Services/:sid', (req, res) => {
    const service = own(req, res);
    store.messagingServices.delete(service.sid);
    for (const c of store.registrations.campaigns.values()) if (c.messagingServiceSid === service.sid) store.registrations.campaigns.delete(c.sid);
    store.changed();
    res.status(204).end();
  });

  router.post('/v1/Services/:serviceSid/PhoneNumbers', (req, res) => {
    const account = authenticatedAccount(res);
    const service = own(req, res, 'serviceSid');
    const { PhoneNumberSid } = formParams(req);
    if (!PhoneNumberSid) throw twilioErrors.missingParameter('PhoneNumberSid');
    const number = ownedBy(store.numbers, account.sid, PhoneNumberSid, 'IncomingPhoneNumbers');
    const elsewhere = [...store.messagingServices.values()].find((s) => s.sid !== service.sid && s.numberSids.includes(number.sid));
    if (elsewhere) throw new TwilioApiError(409, 21710, `Phone Number or Short Code is already in the Messaging Service ${elsewhere.sid}.`);
    if (!service.numberSids.includes(number.sid)) service.numberSids.push(number.sid);
    store.changed();
    res.status(201).json(numberJson(service, number));
  });

  router.get('/v1/Services/:serviceSid/PhoneNumbers', (req, res) => {
    const service = own(req, res, 'serviceSid');
    const pool = service.numberSids.map((sid) => store.numbers.get(sid)).filter((n) => n !== undefined);
    res.json(
      v1Page(
        req,
        HOST,
        'phone_numbers',
        pool.map((n) => numberJson(service, n)),
      ),
    );
  });

  const inPool = (req: Request, res: Response) => {
    const service = own(req, res, 'serviceSid');
    const number = service.numberSids.includes(req.params.sid as string) ? store.numbers.get(req.params.sid as string) : undefined;
    if (!number) throw twilioErrors.notFound(`/Services/${service.sid}/PhoneNumbers/${String(req.params.sid)}`);
    return { service, number };
  };
  router.get('/v1/Services/:serviceSid/PhoneNumbers/:sid', (req, res) => {
    const { service, number } = inPool(req, res);
    res.json(numberJson(service, number));
  });
  router.delete('/v1/Services/:serviceSid/PhoneNumbers/:sid', (req, res) => {
    const { service, number } = inPool(req, res);
    service.numberSids = service.numberSids.filter((sid) => sid !== number.sid);
    store.changed();
    res.status(204).end();
  });

  return router;
}
