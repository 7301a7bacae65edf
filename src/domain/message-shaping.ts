/**
 * What clearsend adds to a message on its way out. Carriers require every message to say who
 * sends it and recipients to be told how to opt out; a body that lacks either is fixed here,
 * not refused: the brand goes in front, the opt-out footer at the end. The footer goes to the
 * first message a contact receives from the tenant, and again to marketing messages when the
 * contact has not been told for the footer interval (30 days unless configured).
 */

export const MESSAGE_TYPES = ['transactional', 'marketing', 'conversational'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const OPT_OUT_FOOTER = 'Reply STOP to opt out.';

/**
 * The footer goes on its own line. A line feed is in the GSM 03.38 basic character set, so it
 * costs one septet like a space and never forces a GSM-7 body into UCS-2 (a CRLF would cost
 * two); on the handset it reads as a separate instruction rather than the end of a sentence.
 */
export const OPT_OUT_FOOTER_SEPARATOR = '\n';

export const DEFAULT_OPT_OUT_FOOTER_INTERVAL_SECONDS = 30 * 24 * 3600;

/** "Reply STOP to opt out" and its usual equivalents (CTIA: tell recipients how to opt out). */
export const OPT_OUT_LANGUAGE = [
  /\b(reply|text|txt|send|respond(\s+with)?)\s+["'“]?(stop|end|cancel|unsubscribe|quit|stopall)["'”]?\b/i,
  /\b(stop|end|cancel|quit)\s+(to|2)\s+(opt[\s-]?out|unsubscribe|cancel|end|stop|quit|opt\s+out)\b/i,
  /\bopt[\s-]?out\s*:?\s*(reply\s+)?["'“]?stop\b/i,
  /\bunsubscribe\s*:?\s*https?:\/\//i,
];

/** Words that are part of a legal name, not of the brand a person recognises. */
const LEGAL_SUFFIXES = new Set(['llc', 'inc', 'ltd', 'co', 'corp', 'corporation', 'company', 'the', 'l.l.c', 'gmbh', 'plc', 'pllc', 'pc', 'lp', 'llp']);

const normalized = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The sender is identified when the message names the brand: all its distinctive words, or
 * its first two words together ("Bright Smiles" for "Bright Smiles Dental LLC").
 */
export function namesBrand(body: string, brandName: string): boolean {
  const words = normalized(brandName)
    .split(' ')
    .filter((w) => w && !LEGAL_SUFFIXES.has(w));
  if (!words.length) return true;
  const text = ` ${normalized(body)} `;
  if (text.includes(` ${words.join(' ')} `) || text.replace(/ /g, '').includes(words.join(''))) return true;
  return words.length > 2 && text.includes(` ${words.slice(0, 2).join(' ')} `);
}

/** The body already tells the recipient how to opt out ("Reply STOP", "Text END to cancel", …). */
export function carriesOptOutLanguage(body: string): boolean {
  return OPT_OUT_LANGUAGE.some((p) => p.test(body));
}

export interface ShapedBody {
  body: string;
  brandPrefixed: boolean;
  optOutFooterAdded: boolean;
}

/**
 * The body as it is sent: `"<Brand>: "` in front when the body does not name the brand, and
 * the opt-out footer at the end when asked for and the body has no opt-out language of its own
 * (never doubled).
 */
export function shapeOutgoingBody(body: string, opts: { brandName: string; withOptOutFooter: boolean }): ShapedBody {
  const brand = opts.brandName.trim();
  const brandPrefixed = !namesBrand(body, brand);
  let shaped = brandPrefixed ? `${brand}: ${body.trimStart()}` : body;
  const optOutFooterAdded = opts.withOptOutFooter && !carriesOptOutLanguage(body);
  if (optOutFooterAdded) shaped = `${shaped.trimEnd()}${OPT_OUT_FOOTER_SEPARATOR}${OPT_OUT_FOOTER}`;
  return { body: shaped, brandPrefixed, optOutFooterAdded };
}

/**
 * The moment that splits an audience: a contact whose last opt-out notice from the tenant is
 * at or before it gets the footer. Null: only contacts never told (no notice at all) get it,
 * which is the rule for transactional and conversational messages.
 */
export function optOutFooterCutoff(opts: { messageType: MessageType; now: Date; intervalMs: number }): Date | null {
  return opts.messageType === 'marketing' ? new Date(opts.now.getTime() - opts.intervalMs) : null;
}

/**
 * Whether this contact's message gets the opt-out footer. `lastNoticeAt` is when the tenant
 * last sent the contact a message carrying opt-out language; null means the contact has never
 * had one, and since every first message carries the footer, never had any message from the
 * tenant at all.
 */
export function needsOptOutFooter(opts: { messageType: MessageType; lastNoticeAt: Date | null; now: Date; intervalMs: number }): boolean {
  if (opts.lastNoticeAt === null) return true;
  const cutoff = optOutFooterCutoff(opts);
  return cutoff !== null && opts.lastNoticeAt.getTime() <= cutoff.getTime();
}
