import { Router } from 'express';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { SandboxContext } from '../context';
import { formParams, pathAccount, pathInstance } from '../context';
import { newSid } from '../ids';
import { magicPurchaseRefusal, MAGIC_SUCCESS_FROM } from '../magic-numbers';
import { availableNumberJson, numberJson, page } from '../representations';
import { TwilioApiError, twilioErrors } from '../twilio-error';
import type { SandboxNumber } from '../store';

const DEFAULT_AREA_CODE = '415';

export function phoneNumberRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { store } = ctx;

  /** Numbers "for sale" in an area code: deterministic, minus those already owned. */
  const available = (areaCode: string, count: number, tollFree = false): string[] => {
    if (ctx.exhaustedAreaCodes.has(areaCode)) return [];
    const { exchange, lineStart } = ctx.numberBlock;
    const prefix = tollFree ? `+1833${exchange}` : `+1${areaCode}${exchange}`;
    const found: string[] = [];
    for (let n = lineStart; n < 10_000 && found.length < count; n++) {
      const candidate = `${prefix}${String(n).padStart(4, '0')}`;
      if (!store.numberByPhone(candidate)) found.push(candidate);
    }
    return found;
  };

  for (const kind of ['Local', 'TollFree'] as const) {
    router.get(`/2010-04-01/Accounts/:accountSid/AvailablePhoneNumbers/:country/${kind}.json`, (req, res) => {
      const account = pathAccount(ctx, res, req.params.accountSid);
      if (account.isTest) throw new TwilioApiError(403, 20008, 'Resource not accessible with Test Account Credentials');
      const country = req.params.country.toUpperCase();
      if (country !== 'US' && country !== 'CA') throw twilioErrors.notFound(`AvailablePhoneNumbers/${country}`);
      const q = req.query as Record<string, string | undefined>;
      const areaCode = q.AreaCode ?? DEFAULT_AREA_CODE;
      if (!/^\d{3}$/.test(areaCode)) throw twilioErrors.invalidParameter('AreaCode', areaCode);
      const size = Math.min(Number(q.PageSize ?? 30) || 30, 50);
      res.json(
        page(
          req,
          'available_phone_numbers',
          available(areaCode, size, kind === 'TollFree').map((n) => availableNumberJson(n, country)),
        ),
      );
    });
  }

  router.post('/2010-04-01/Accounts/:accountSid/IncomingPhoneNumbers.json', (req, res) => {
    const account = pathAccount(ctx, res, req.params.accountSid);
    const body = formParams(req);
    let phoneNumber = body.PhoneNumber;
    const areaCode = body.AreaCode;
    if (!phoneNumber && !areaCode) throw twilioErrors.missingParameter('PhoneNumber');
    if (account.isTest) {
      const refusal = magicPurchaseRefusal(phoneNumber, areaCode);
      if (refusal) throw refusal;
      phoneNumber = MAGIC_SUCCESS_FROM;
    } else if (phoneNumber) {
      const parsed = parsePhoneNumberFromString(phoneNumber);
      if (!parsed?.isValid()) throw twilioErrors.numberInvalid(phoneNumber);
      if (store.numberByPhone(parsed.number) || ctx.exhaustedAreaCodes.has(parsed.nationalNumber.slice(0, 3)))
        throw twilioErrors.numberUnavailable(phoneNumber);
      phoneNumber = parsed.number;
    } else {
      if (!/^\d{3}$/.test(areaCode!)) throw twilioErrors.invalidParameter('AreaCode', areaCode!);
      phoneNumber = available(areaCode!, 1)[0];
      if (!phoneNumber) throw twilioErrors.noNumbersInAreaCode(areaCode!);
    }
    const now = new Date().toISOString();
    const number: SandboxNumber = {
      sid: newSid('PN'),
      accountSid: account.sid,
      phoneNumber,
      friendlyName: body.FriendlyName ?? phoneNumber,
      smsUrl: body.SmsUrl ?? '',
      smsMethod: body.SmsMethod ?? 'POST',
      statusCallback: body.StatusCallback ?? '',
      dateCreated: now,
      dateUpdated: now,
    };
    // Test-credential purchases are not real: nothing is owned afterwards, as on Twilio.
    if (!account.isTest) {
      store.numbers.set(number.sid, number);
      store.changed();
    }
    res.status(201).json(numberJson(number));
  });

  router.get('/2010-04-01/Accounts/:accountSid/IncomingPhoneNumbers.json', (req, res) => {
    const account = pathAccount(ctx, res, req.params.accountSid);
    const { PhoneNumber, FriendlyName } = req.query as Record<string, string | undefined>;
    const owned = [...store.numbers.values()].filter(
      (n) => n.accountSid === account.sid && (!PhoneNumber || n.phoneNumber === PhoneNumber) && (!FriendlyName || n.friendlyName === FriendlyName),
    );
    res.json(page(req, 'incoming_phone_numbers', owned.map(numberJson)));
  });

  router.get('/2010-04-01/Accounts/:accountSid/IncomingPhoneNumbers/:sid.json', (req, res) => {
    res.json(numberJson(pathInstance(ctx, req, res, store.numbers, 'IncomingPhoneNumbers')));
  });

  router.post('/2010-04-01/Accounts/:accountSid/IncomingPhoneNumbers/:sid.json', (req, res) => {
    const number = pathInstance(ctx, req, res, store.numbers, 'IncomingPhoneNumbers');
    const body = formParams(req);
    if (body.SmsUrl !== undefined) number.smsUrl = body.SmsUrl;
    if (body.SmsMethod !== undefined) number.smsMethod = body.SmsMethod;
    if (body.FriendlyName !== undefined) number.friendlyName = body.FriendlyName;
    if (body.StatusCallback !== undefined) number.statusCallback = body.StatusCallback;
    number.dateUpdated = new Date().toISOString();
    store.changed();
    res.json(numberJson(number));
  });

  router.delete('/2010-04-01/Accounts/:accountSid/IncomingPhoneNumbers/:sid.json', (req, res) => {
    const number = pathInstance(ctx, req, res, store.numbers, 'IncomingPhoneNumbers');
    store.numbers.delete(number.sid);
    store.changed();
    res.status(204).end();
  });

  return router;
}
