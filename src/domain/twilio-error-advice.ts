/**
 * Twilio's messaging error codes in a tenant's words: what happened, and what to change so it
 * stops happening. Twilio counts every one of these against a sender's error rate, whether it
 * came back when the message was created (21xxx) or later from the carrier (30xxx).
 * Meanings from Twilio's error dictionary (https://www.twilio.com/docs/api/errors/<code>).
 */

/** What the tenant should look at: its list, its content and consent, its registration, or its sending. */
export type ErrorAdviceArea = 'list_hygiene' | 'consent_content' | 'opted_out' | 'registration' | 'sending' | 'account';

export interface ErrorAdvice {
  code: number;
  meaning: string;
  area: ErrorAdviceArea;
  advice: string;
}

const LIST_HYGIENE = 'Clean your list: remove numbers that keep failing, check new numbers when you collect them, and re-import from your source of truth.';

const TABLE: readonly ErrorAdvice[] = [
  {
    code: 21211,
    area: 'list_hygiene',
    meaning: 'invalid phone number',
    advice: 'Remove or correct invalid numbers; validate numbers where you collect them (the full number with country code).',
  },
  {
    code: 21614,
    area: 'list_hygiene',
    meaning: 'not a mobile number (a landline)',
    advice: 'Remove landlines from your list: they cannot receive text messages.',
  },
  { code: 21612, area: 'list_hygiene', meaning: 'the number cannot be reached by SMS from your number', advice: LIST_HYGIENE },
  {
    code: 21408,
    area: 'sending',
    meaning: 'sending to that country is not enabled',
    advice: 'Send only to the countries your account is set up for, or remove those numbers.',
  },
  {
    code: 21610,
    area: 'opted_out',
    meaning: 'the recipient has opted out (replied STOP)',
    advice: 'These people asked not to be texted: remove them from your list, and do not re-add them unless they text START.',
  },
  { code: 21611, area: 'sending', meaning: 'your number’s queue was full', advice: 'Send smaller batches or spread the campaign over a longer time.' },
  {
    code: 21617,
    area: 'sending',
    meaning: 'the message body is too long',
    advice: 'Keep messages under 1,600 characters; shorter messages also cost fewer segments.',
  },
  { code: 30003, area: 'list_hygiene', meaning: 'unreachable handset (switched off, out of coverage, or disconnected)', advice: LIST_HYGIENE },
  {
    code: 30004,
    area: 'opted_out',
    meaning: 'the message was blocked (the recipient or their carrier blocks your number)',
    advice: 'The recipient does not want your messages: remove them from your list.',
  },
  { code: 30005, area: 'list_hygiene', meaning: 'unknown handset (the number no longer exists)', advice: LIST_HYGIENE },
  { code: 30006, area: 'list_hygiene', meaning: 'landline or unreachable carrier', advice: 'Remove landlines and numbers whose carrier cannot receive texts.' },
  {
    code: 30007,
    area: 'consent_content',
    meaning: 'filtered by the carrier as unwanted or spam',
    advice:
      'Carriers filter messages that look like spam: send only to people who opted in, name your business, avoid link shorteners and all-caps or pushy wording, and keep the content to what people signed up for.',
  },
  {
    code: 30008,
    area: 'list_hygiene',
    meaning: 'unknown delivery error',
    advice: 'If it repeats for the same numbers, remove them; otherwise it usually passes.',
  },
  { code: 30032, area: 'registration', meaning: 'toll-free number not verified', advice: 'Complete toll-free verification before sending.' },
  {
    code: 30034,
    area: 'registration',
    meaning: 'number not registered for A2P 10DLC',
    advice: 'Finish the brand and campaign registration for your number before sending.',
  },
  {
    code: 30036,
    area: 'sending',
    meaning: 'the message expired before it could be sent',
    advice: 'Send smaller batches or at a steadier pace so messages leave within their validity period.',
  },
  {
    code: 10001,
    area: 'account',
    meaning: 'the account is not active',
    advice: 'Your sending account is suspended or closed: contact compliance before sending again.',
  },
];

const BY_CODE = new Map(TABLE.map((a) => [a.code, a]));

/** The advice for one code; a code the table does not know points to Twilio's own page. */
export function adviceForErrorCode(code: number): ErrorAdvice {
  return (
    BY_CODE.get(code) ?? {
      code,
      area: 'sending',
      meaning: 'an error Twilio reported',
      advice: `See what Twilio says about it: https://www.twilio.com/docs/api/errors/${code}.`,
    }
  );
}

/** The codes the table knows, for the README and tests. */
export const KNOWN_ERROR_CODES: readonly number[] = TABLE.map((a) => a.code);
