import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from './keywords';
import type { ConsentPurpose } from './consent';

/**
 * Double opt-in by keyword: a handset texts the tenant's keyword (JOIN), clearsend answers with
 * a confirmation request, and only a YES to it records consent. The request carries what CTIA's
 * confirmation message must (Messaging Principles 5.1.2.1; Twilio error 30540: brand and program
 * name, message frequency, "Msg & data rates may apply", HELP and STOP).
 */

/** Twilio's own keywords keep their meaning: a tenant cannot take them for an opt-in program. */
const RESERVED: ReadonlySet<string> = new Set([...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS, ...HELP_KEYWORDS, 'STOP ALL']);

/** Letters and digits, 2 to 30 (AWS and Twilio keyword limits); stored upper case. */
const KEYWORD = /^[A-Z0-9]{2,30}$/;

/** Why `keyword` cannot be an opt-in keyword, or undefined when it can. */
export function optInKeywordProblem(keyword: string): string | undefined {
  const word = normalizeKeyword(keyword);
  if (!KEYWORD.test(word)) return 'must be 2 to 30 letters or digits, one word';
  if (RESERVED.has(word)) return `${word} is a standard opt-out, opt-in or help keyword and keeps its meaning`;
  return undefined;
}

export function normalizeKeyword(body: string): string {
  // Trailing punctuation ("JOIN!") is how people type, as for Twilio's keywords.
  return body
    .trim()
    .replace(/[.!?]+$/, '')
    .toUpperCase();
}

/** The word that confirms a pending request. */
export const CONFIRM_WORD = 'YES';

export interface OptInProgram {
  brand: string;
  /** What the texts are about, e.g. "appointment reminders and offers". */
  programName: string;
  /** e.g. "Up to 4 msgs/month" or "Msg frequency varies". */
  frequency: string;
  purposes: readonly ConsentPurpose[];
}

/** The confirmation request, sent in answer to the keyword; its exact wording is what consent is recorded against. */
export function confirmationRequestText(p: OptInProgram): string {
  return `${p.brand}: Reply YES to confirm you want ${p.programName} texts. ${p.frequency}. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`;
}

/** The answer to YES once consent is recorded. */
export function optInConfirmedText(p: Pick<OptInProgram, 'brand' | 'programName'>): string {
  return `${p.brand}: you are subscribed to ${p.programName} texts. Reply HELP for help, STOP to opt out.`;
}

/** How long a confirmation request waits for its YES: a day, after which the keyword must be texted again. */
export const CONFIRMATION_TTL_MS = 24 * 3600 * 1000;
