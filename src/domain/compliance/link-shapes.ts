/**
 * What the links in a message look like, whatever the words around them say. Phishing is a way
 * of acting, not a topic: the FTC ("How to recognize and report spam text messages",
 * https://consumer.ftc.gov/articles/how-recognize-and-report-spam-text-messages) describes texts
 * that claim to be from a bank, a shipper or an agency and send the reader to a link that is not
 * the business's own; Twilio's Messaging Policy and CTIA's Messaging Principles and Best
 * Practices list phishing and deceptive links among the content no route carries. A real business links to its own domain. So a link whose host carries a
 * well-known brand's or agency's name but is not one of that brand's domains (usps-redeliver.com,
 * chase.secure-login.net, ezpass-tolls.top), or a bare IP address, is a phishing link.
 */

/** Brand and agency names impersonated in smishing, as they are written inside a host name. */
const BRANDS = [
  'usps',
  'fedex',
  'dhl',
  'ups',
  'chase',
  'paypal',
  'venmo',
  'zelle',
  'cashapp',
  'amazon',
  'apple',
  'icloud',
  'netflix',
  'wellsfargo',
  'bankofamerica',
  'bofa',
  'citibank',
  'capitalone',
  'navyfederal',
  'usaa',
  'coinbase',
  'microsoft',
  'outlook',
  'tmobile',
  'verizon',
  'xfinity',
  'ezpass',
  'e-zpass',
  'sunpass',
  'fastrak',
  'irs',
  'ssa',
  'medicare',
  'dmv',
];

/** The brands' own domains (and any host under them); .gov and .mil hosts are agencies' own. */
const OFFICIAL = new Set([
  'usps.com',
  'usps.gov',
  'fedex.com',
  'dhl.com',
  'ups.com',
  'chase.com',
  'paypal.com',
  'paypal.me',
  'venmo.com',
  'zellepay.com',
  'cash.app',
  'cashapp.com',
  'amazon.com',
  'amazon.ca',
  'a.co',
  'apple.com',
  'icloud.com',
  'netflix.com',
  'wellsfargo.com',
  'bankofamerica.com',
  'bofa.com',
  'citibank.com',
  'capitalone.com',
  'navyfederal.org',
  'usaa.com',
  'coinbase.com',
  'microsoft.com',
  'outlook.com',
  't-mobile.com',
  'verizon.com',
  'xfinity.com',
  'e-zpassny.com',
  'ezpassnj.com',
  'ezpassva.com',
  'ezpassmd.com',
  'ezpassde.com',
  'ezpassma.com',
  'ezpassoh.com',
  'ezpassil.com',
  'sunpass.com',
  'bayareafastrak.org',
  'thetollroads.com',
]);

/** Host names in a message, as written ("usps-redeliver.com", "www.chase.com"). */
const HOST = /\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})(?=[/:?#\s]|$|[.,;!)])/gi;

/**
 * The endings most registered for abuse relative to use (Spamhaus "The most abused top level
 * domains", Interisle's phishing landscape studies): cheap, rarely a business's own.
 */
const ABUSED_ENDINGS = new Set([
  'top',
  'xyz',
  'icu',
  'vip',
  'cc',
  'click',
  'sbs',
  'cfd',
  'cyou',
  'bond',
  'rest',
  'buzz',
  'monster',
  'lol',
  'mom',
  'tk',
  'ml',
  'ga',
  'cf',
  'gq',
  'support',
  'win',
]);

export interface LinkShape {
  /** The host, as found in the original text. */
  host: string;
  start: number;
  end: number;
  kind: 'lookalike' | 'ip';
}

const isOfficial = (host: string) => {
  if (/\.(gov|mil)$/.test(host)) return true;
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) if (OFFICIAL.has(labels.slice(i).join('.'))) return true;
  return false;
};

/**
 * Names that start no everyday word, so they count at the start of a label too ("paypalsecure",
 * "uspsredeliver"); the others only as a whole label or hyphen part ("apple" starts "applebees",
 * "chase" a surname).
 */
const PREFIX_BRANDS = new Set([
  'usps',
  'fedex',
  'paypal',
  'venmo',
  'cashapp',
  'icloud',
  'netflix',
  'wellsfargo',
  'bankofamerica',
  'citibank',
  'capitalone',
  'navyfederal',
  'coinbase',
  'xfinity',
  'ezpass',
  'e-zpass',
  'sunpass',
  'fastrak',
  'medicare',
]);

/** A brand inside a host: a whole label or hyphen part, or the start of a label for `PREFIX_BRANDS`. */
const brandIn = (host: string) =>
  host.split('.').some((label) => label.split('-').some((part) => BRANDS.includes(part)) || [...PREFIX_BRANDS].some((b) => label.startsWith(b)));

/** The message's links that are not the named business's own (a brand in a host it does not own, a bare IP address). */
export function deceptiveLinks(body: string): LinkShape[] {
  const found: LinkShape[] = [];
  for (const m of body.matchAll(HOST)) {
    const host = m[1].toLowerCase().replace(/^www\./, '');
    const start = m.index + m[0].length - m[1].length;
    const at = { host: m[1], start, end: start + m[1].length };
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) {
      if (/https?:\/\//i.test(m[0])) found.push({ ...at, kind: 'ip' });
    } else if (brandIn(host) && !isOfficial(host)) found.push({ ...at, kind: 'lookalike' });
  }
  return found;
}

/** Model features for the shape of a message's links: a deceptive link, a bare IP, an ending registered mostly for abuse. */
export function linkShapeFeatures(body: string): string[] {
  const features: string[] = deceptiveLinks(body).map((l) => (l.kind === 'ip' ? '__ip_link' : '__lookalike_link'));
  for (const m of body.matchAll(HOST)) {
    const ending = m[1].toLowerCase().split('.').pop()!;
    if (ABUSED_ENDINGS.has(ending)) features.push('__abused_ending');
  }
  return [...new Set(features)];
}
