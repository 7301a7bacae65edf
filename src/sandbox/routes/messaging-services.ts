import { Router } from 'express';
import type { SandboxContext } from '../context';
import { authenticatedAccount, formParams, ownedBy } from '../context';
import { newSid } from '../ids';
import { twilioErrors } from '../twilio-error';
import type { MessagingService } from '../store';

/** Messaging v1 Services, as far as sending through one needs: create, fetch, add a number. */
export function messagingServiceRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  const json = (s: MessagingService) => ({
    sid: s.sid,
    account_sid: s.accountSid,
    friendly_name: s.friendlyName,
    date_created: s.dateCreated,
    date_updated: s.dateUpdated,
    inbound_request_url: null,
    inbound_method: 'POST',
    fallback_url: null,
    fallback_method: 'POST',
    status_callback: null,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    scan_message_content: 'inherit',
    fallback_to_long_code: true,
    area_code_geomatch: true,
    synchronous_validation: true,
    validity_period: 14400,
    url: `https://messaging.twilio.com/v1/Services/${s.sid}`,
    links: { phone_numbers: `https://messaging.twilio.com/v1/Services/${s.sid}/PhoneNumbers` },
    usecase: 'undeclared',
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: true,
  });

  router.post('/v1/Services', (req, res) => {
    const account = authenticatedAccount(res);
    const { FriendlyName } = formParams(req);
    if (!FriendlyName) throw twilioErrors.missingParameter('FriendlyName');
    const now = new Date().toISOString();
    const service: MessagingService = { sid: newSid('MG'), accountSid: account.sid, friendlyName: FriendlyName, numberSids: [], dateCreated: now, dateUpdated: now };
    store.messagingServices.set(service.sid, service);
    store.changed();
    res.status(201).json(json(service));
  });

  router.get('/v1/Services/:sid', (req, res) => {
    res.json(json(ownedBy(store.messagingServices, authenticatedAccount(res).sid, req.params.sid, 'Services')));
  });

  router.post('/v1/Services/:sid/PhoneNumbers', (req, res) => {
    const account = authenticatedAccount(res);
    const service = ownedBy(store.messagingServices, account.sid, req.params.sid, 'Services');
    const { PhoneNumberSid } = formParams(req);
    if (!PhoneNumberSid) throw twilioErrors.missingParameter('PhoneNumberSid');
    const number = ownedBy(store.numbers, account.sid, PhoneNumberSid, 'IncomingPhoneNumbers');
    if (!service.numberSids.includes(number.sid)) service.numberSids.push(number.sid);
    store.changed();
    const now = new Date().toISOString();
    res.status(201).json({
      sid: number.sid,
      account_sid: account.sid,
      service_sid: service.sid,
      date_created: now,
      date_updated: now,
      phone_number: number.phoneNumber,
      country_code: 'US',
      capabilities: ['SMS', 'MMS', 'Voice'],
      url: `https://messaging.twilio.com/v1/Services/${service.sid}/PhoneNumbers/${number.sid}`,
    });
  });

  return router;
}
