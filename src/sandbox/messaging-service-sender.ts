import type { SandboxStore } from './store';
import { TwilioApiError } from './twilio-error';

/**
 * A send through a Messaging Service, as Twilio checks it: the SID must look like one
 * (21705), the Service must exist in the sending account (21701), and a From given with it
 * must be in the Service's sender pool (21711; without From the pool's first number sends,
 * and an empty pool is 21704). The Service's status callback applies when the message names
 * none (Twilio: a StatusCallback on the request is used instead of the Service's).
 */
export function messagingServiceSender(store: SandboxStore, accountSid: string, serviceSid: string, from: string | undefined) {
  if (!/^MG[0-9a-fA-F]{32}$/.test(serviceSid)) throw new TwilioApiError(400, 21705, 'The Messaging Service is invalid.');
  const service = store.messagingServices.get(serviceSid);
  if (!service || service.accountSid !== accountSid)
    throw new TwilioApiError(400, 21701, `The Messaging Service ${serviceSid} does not exist or does not belong to this account.`);
  const pool = service.numberSids.map((sid) => store.numbers.get(sid)).filter((n) => n !== undefined);
  if (from !== undefined && !pool.some((n) => n.phoneNumber === from))
    throw new TwilioApiError(400, 21711, `The phone number ${from} is not associated with the Messaging Service ${serviceSid}.`);
  if (!pool.length) throw new TwilioApiError(400, 21704, 'The Messaging Service contains no phone numbers');
  const statusCallback = service.settings?.status_callback;
  return { from: from ?? pool[0].phoneNumber, statusCallback: typeof statusCallback === 'string' && statusCallback ? statusCallback : undefined };
}
