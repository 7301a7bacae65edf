/**
 * Consent per contact, and which sends it allows. Pure: the history is read by the caller.
 *
 * Methods are Twilio's own opt-in types (the toll-free verification's `OptInType`: VERBAL,
 * WEB_FORM, PAPER_FORM, VIA_TEXT, MOBILE_QR_CODE, IMPORT; vendor/twilio-oai
 * twilio_messaging_v1.json `tollfree_verification_enum_opt_in_type`), named as clearsend's KYC
 * names them; Twilio error 30831 lists the same ways ("over text, on a form, on a website, or
 * verbally").
 *
 * Which consent each message type needs follows the CTIA Messaging Principles and Best
 * Practices, 5.1 (summarised by Twilio error 30842 and https://www.10dlc.org/en/home/A2PConsent):
 * - promotional (`marketing`): express *written* consent for that purpose. A verbal consent is
 *   express but not written, so it does not allow marketing.
 * - informational (`transactional`): express consent, which the consumer gives by handing the
 *   business their number for that purpose, by any method. clearsend takes a contact's upload
 *   as the tenant's word that it has it, and refuses only a contact whose transactional consent
 *   was withdrawn.
 * - conversational: implied consent (the consumer texted first); likewise refused only after a
 *   withdrawal.
 */
export const CONSENT_METHODS = ['web_form', 'keyword', 'paper_form', 'verbal', 'qr_code', 'import'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** The campaign message types: consent is given (and withdrawn) for each. */
export const CONSENT_PURPOSES = ['marketing', 'transactional', 'conversational'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** Methods that leave the consumer's own written act (a form, a text, a scan leading to one, a signed import). */
export const WRITTEN_METHODS: ReadonlySet<ConsentMethod> = new Set(['web_form', 'keyword', 'paper_form', 'qr_code', 'import']);

/** One row of a contact's consent history: a grant or a withdrawal, never changed afterwards. */
export interface ConsentEvent {
  status: 'granted' | 'withdrawn';
  purposes: readonly ConsentPurpose[];
  method: ConsentMethod | null;
  occurredAt: Date;
  /** Order of recording, to break ties between events at the same time. */
  seq: number;
}

/** The latest event for `purpose`, if any (history in any order). */
export function latestFor(history: readonly ConsentEvent[], purpose: ConsentPurpose): ConsentEvent | undefined {
  let latest: ConsentEvent | undefined;
  for (const e of history) {
    if (!e.purposes.includes(purpose)) continue;
    if (!latest || e.occurredAt.getTime() > latest.occurredAt.getTime() || (e.occurredAt.getTime() === latest.occurredAt.getTime() && e.seq > latest.seq))
      latest = e;
  }
  return latest;
}

/** What each purpose stands at: granted (by which method) or not. */
export function standingConsent(
  history: readonly ConsentEvent[],
): Record<ConsentPurpose, { granted: boolean; method: ConsentMethod | null; since: Date | null }> {
  const entries = CONSENT_PURPOSES.map((purpose) => {
    const latest = latestFor(history, purpose);
    return [purpose, { granted: latest?.status === 'granted', method: latest?.method ?? null, since: latest?.occurredAt ?? null }] as const;
  });
  return Object.fromEntries(entries) as Record<ConsentPurpose, { granted: boolean; method: ConsentMethod | null; since: Date | null }>;
}

export type ConsentVerdict = { allowed: true } | { allowed: false; detail: string };

/** Whether a campaign of `messageType` may text a contact with this consent history. */
export function consentVerdict(messageType: ConsentPurpose, history: readonly ConsentEvent[]): ConsentVerdict {
  const latest = latestFor(history, messageType);
  if (latest?.status === 'withdrawn') return { allowed: false, detail: `${messageType} consent withdrawn` };
  if (messageType !== 'marketing') return { allowed: true };
  if (!latest) return { allowed: false, detail: 'no marketing consent' };
  if (!latest.method || !WRITTEN_METHODS.has(latest.method))
    return { allowed: false, detail: `marketing consent was ${latest.method ?? 'unrecorded'}: marketing needs express written consent` };
  return { allowed: true };
}
