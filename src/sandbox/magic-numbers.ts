import { twilioErrors, type TwilioApiError } from './twilio-error';

/**
 * Twilio's magic test numbers, answered exactly as Twilio answers them for test credentials.
 * https://www.twilio.com/docs/iam/test-credentials
 */
export const MAGIC_SUCCESS_FROM = '+15005550006';

export function magicSendRefusal(from: string, to: string): TwilioApiError | undefined {
  switch (from) {
    case MAGIC_SUCCESS_FROM:
      break;
    case '+15005550001':
      return twilioErrors.invalidFrom(from);
    case '+15005550007':
      return twilioErrors.fromNotOwned(from);
    case '+15005550008':
      return twilioErrors.queueFull();
    default:
      return twilioErrors.fromNotOwned(from);
  }
  switch (to) {
    case '+15005550001':
      return twilioErrors.invalidTo(to);
    case '+15005550002':
      return twilioErrors.cannotRoute(to);
    case '+15005550003':
      return twilioErrors.noInternationalPermission(to);
    case '+15005550004':
      return twilioErrors.unsubscribed();
    case '+15005550009':
      return twilioErrors.notMobile(to);
    default:
      return undefined;
  }
}

export function magicPurchaseRefusal(phoneNumber: string | undefined, areaCode: string | undefined): TwilioApiError | undefined {
  if (areaCode === '533') return twilioErrors.noNumbersInAreaCode(areaCode);
  if (phoneNumber === '+15005550000') return twilioErrors.numberUnavailable(phoneNumber);
  if (phoneNumber === '+15005550001') return twilioErrors.numberInvalid(phoneNumber);
  return undefined;
}
