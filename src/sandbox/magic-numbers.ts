import { twilioErrors, type TwilioApiError } from './twilio-error';

/**
 * Twilio's magic test numbers, answered exactly as Twilio answers them for test credentials.
 * https://www.twilio.com/docs/iam/test-credentials
 */
export const MAGIC_SUCCESS_FROM = '+15005550006';

type MagicRefusal = (number: string) => TwilioApiError;

/** `From` numbers Twilio's test credentials refuse; any other number but the success one is "not owned". */
const MAGIC_FROM_REFUSALS: Readonly<Record<string, MagicRefusal>> = {
  '+15005550001': (from) => twilioErrors.invalidFrom(from),
  '+15005550007': (from) => twilioErrors.fromNotOwned(from),
  '+15005550008': () => twilioErrors.queueFull(),
};

/** `To` numbers Twilio's test credentials refuse; any other `To` is accepted. */
const MAGIC_TO_REFUSALS: Readonly<Record<string, MagicRefusal>> = {
  '+15005550001': (to) => twilioErrors.invalidTo(to),
  '+15005550002': (to) => twilioErrors.cannotRoute(to),
  '+15005550003': (to) => twilioErrors.noInternationalPermission(to),
  '+15005550004': () => twilioErrors.unsubscribed(),
  '+15005550009': (to) => twilioErrors.notMobile(to),
};

export function magicSendRefusal(from: string, to: string): TwilioApiError | undefined {
  if (from !== MAGIC_SUCCESS_FROM) return (Object.hasOwn(MAGIC_FROM_REFUSALS, from) ? MAGIC_FROM_REFUSALS[from] : twilioErrors.fromNotOwned)(from);
  return Object.hasOwn(MAGIC_TO_REFUSALS, to) ? MAGIC_TO_REFUSALS[to](to) : undefined;
}

export function magicPurchaseRefusal(phoneNumber: string | undefined, areaCode: string | undefined): TwilioApiError | undefined {
  if (areaCode === '533') return twilioErrors.noNumbersInAreaCode(areaCode);
  if (phoneNumber === '+15005550000') return twilioErrors.numberUnavailable(phoneNumber);
  if (phoneNumber === '+15005550001') return twilioErrors.numberInvalid(phoneNumber);
  return undefined;
}
