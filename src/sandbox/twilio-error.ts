import type { Response } from 'express';

/** Twilio's JSON error body and the HTTP status Twilio pairs with each code. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function twilioErrorBody(err: TwilioApiError): { code: number; message: string; more_info: string; status: number } {
  return { code: err.code, message: err.message, more_info: `https://www.twilio.com/docs/errors/${err.code}`, status: err.status };
}

export function sendTwilioError(res: Response, err: TwilioApiError): void {
  res.status(err.status).json(twilioErrorBody(err));
}

export const twilioErrors = {
  authenticate: () => new TwilioApiError(401, 20003, 'Authenticate'),
  notFound: (what: string) => new TwilioApiError(404, 20404, `The requested resource ${what} was not found`),
  forbidden: (why: string) => new TwilioApiError(403, 20403, why),
  accountNotActive: () => new TwilioApiError(403, 10001, 'Account is not active'),
  tooManyRequests: () => new TwilioApiError(429, 20429, 'Too Many Requests'),
  missingParameter: (name: string) => new TwilioApiError(400, 21604, `A '${name}' parameter is required.`),
  invalidParameter: (name: string, value: string) => new TwilioApiError(400, 20001, `Invalid parameter ${name}: ${value}`),
  invalidTo: (to: string) => new TwilioApiError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
  invalidFrom: (from: string) => new TwilioApiError(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`),
  fromNotOwned: (from: string) =>
    new TwilioApiError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`),
  queueFull: () => new TwilioApiError(400, 21611, "This 'From' number has exceeded the maximum number of queued messages"),
  cannotRoute: (to: string) =>
    new TwilioApiError(400, 21612, `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`),
  noInternationalPermission: (to: string) =>
    new TwilioApiError(400, 21408, `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`),
  unsubscribed: () => new TwilioApiError(400, 21610, 'Attempt to send to unsubscribed recipient'),
  notMobile: (to: string) => new TwilioApiError(400, 21614, `'To' number ${to} is not a valid mobile number`),
  bodyTooLong: () => new TwilioApiError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.'),
  bodyRequired: () => new TwilioApiError(400, 21602, 'Message body is required.'),
  numberUnavailable: (n: string) => new TwilioApiError(400, 21422, `Phone number ${n} is not available.`),
  numberInvalid: (n: string) => new TwilioApiError(400, 21421, `PhoneNumber ${n} is invalid.`),
  noNumbersInAreaCode: (areaCode: string) => new TwilioApiError(400, 21452, `No phone numbers found in area code ${areaCode}.`),
  maxCheckAttempts: () => new TwilioApiError(429, 60202, 'Max check attempts reached'),
  maxSendAttempts: () => new TwilioApiError(429, 60203, 'Max send attempts reached'),
};
