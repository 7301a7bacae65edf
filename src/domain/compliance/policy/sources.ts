import type { PolicySource } from './types';

/** A page the policy cites: who published it, its title and the address it was read at. */
type Document = Omit<PolicySource, 'says'>;

const TWILIO = 'Twilio';

/**
 * Every page the policy cites, at the address it was read. Over 250 lines on purpose: it is one
 * table of about thirty addresses, and a category's sources are checked against its keys by the
 * compiler; split, the table would only be harder to search.
 */
export const DOC = {
  twilioForbidden: {
    publisher: TWILIO,
    title: 'Forbidden message categories for SMS and MMS in the US and Canada',
    url: 'https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-SMS-and-MMS-in-the-US-and-Canada',
  },
  twilioForbiddenAllRoutes: {
    publisher: TWILIO,
    title: 'Forbidden Message Categories in the US and Canada (Short Code, Toll-Free, and Long Code)',
    url: 'https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-Message-Categories-in-the-US-and-Canada-Short-Code-Toll-Free-and-Long-Code',
  },
  twilioForbiddenTollFreeOld: {
    publisher: TWILIO,
    title: 'Forbidden message categories for toll-free SMS (earlier version of the article)',
    url: 'https://support.twilio.com/hc/en-us/articles/360045004974-Forbidden-message-categories-for-toll-free-SMS',
  },
  twilioShortCodeUnsupported: {
    publisher: TWILIO,
    title: 'Unsupported Short Code Use Cases in the US',
    url: 'https://support.twilio.com/hc/en-us/articles/223181888-Unsupported-Short-Code-Use-Cases-in-the-US',
  },
  twilioShortCodeProhibited: {
    publisher: TWILIO,
    title: 'Short code campaigns prohibited by carriers',
    url: 'https://support.twilio.com/hc/en-us/articles/223181888-Short-code-campaigns-prohibited-by-carriers',
  },
  twilioShortCodeGuidelines: {
    publisher: TWILIO,
    title: 'United States (US) short code guidelines',
    url: 'https://www.twilio.com/guidelines/us/short-code',
  },
  twilioShortCodeSweepstakes: {
    publisher: TWILIO,
    title: 'Are there special rules for running a sweepstakes over a short code?',
    url: 'https://support.twilio.com/hc/en-us/articles/223134447-Are-there-special-rules-for-running-a-sweepstakes-over-a-short-code-',
  },
  twilioCannabis: {
    publisher: TWILIO,
    title: 'Can I send cannabis or CBD-related messaging traffic on Twilio?',
    url: 'https://support.twilio.com/hc/en-us/articles/1260804628349-Can-I-send-cannabis-or-CBD-related-messaging-traffic-on-Twilio',
  },
  twilioShortenedUrls: {
    publisher: TWILIO,
    title: 'How can I send shortened URLs (links) in my messages?',
    url: 'https://support.twilio.com/hc/en-us/articles/1260804572090-How-can-I-send-shortened-URLs-links-in-my-messages-',
  },
  twilioFiltering: {
    publisher: TWILIO,
    title: 'How do I prevent my Twilio messages from being filtered (blocked)?',
    url: 'https://support.twilio.com/hc/en-us/articles/1260803966670-How-do-I-prevent-my-Twilio-messages-from-being-filtered-blocked',
  },
  twilioMessagingPolicy: {
    publisher: TWILIO,
    title: 'Twilio Messaging Policy',
    url: 'https://www.twilio.com/en-us/legal/messaging-policy',
  },
  twilioAup: {
    publisher: TWILIO,
    title: 'Twilio Acceptable Use Policy (summary of changes page)',
    url: 'https://www.twilio.com/legal/aup',
  },
  err30441: {
    publisher: TWILIO,
    title: 'Error 30441: Toll-Free verification rejection - Disallowed: SHAFT - Sex (earlier title: Content Violation)',
    url: 'https://www.twilio.com/docs/api/errors/30441',
  },
  err30444: {
    publisher: TWILIO,
    title: 'Error 30444: Toll Free verification rejection - Disallowed: Fraud',
    url: 'https://live.docs.dev.twilio.com/docs/api/errors/30444.md',
  },
  err30448: {
    publisher: TWILIO,
    title: 'Error 30448: Toll-Free phone number verification rejection - Age Gate',
    url: 'https://www.twilio.com/docs/api/errors/30448',
  },
  err30456: {
    publisher: TWILIO,
    title: 'Error 30456: Toll Free verification rejection - Disallowed: SHAFT - Alcohol',
    url: 'https://www.twilio.com/docs/api/errors/30456',
  },
  err30458: {
    publisher: TWILIO,
    title: 'Error 30458: Toll Free verification rejection - Disallowed: SHAFT - Tobacco / Vape',
    url: 'https://www.twilio.com/docs/api/errors/30458',
  },
  err30459: {
    publisher: TWILIO,
    title: 'Error 30459: Toll Free verification rejection - Disallowed: Cannabis/CBD',
    url: 'https://www.twilio.com/docs/api/errors/30459',
  },
  err30460: {
    publisher: TWILIO,
    title: 'Error 30460: Toll Free verification rejection - Disallowed: Third Party Debt Collection',
    url: 'https://www.twilio.com/docs/api/errors/30460.md',
  },
  err30461: {
    publisher: TWILIO,
    title: 'Error 30461: Toll Free verification rejection - Disallowed: Gambling',
    url: 'https://static0.twilio.com/docs/api/errors/30461',
  },
  err30464: {
    publisher: TWILIO,
    title: 'Error 30464: Toll Free verification rejection - Disallowed: Cryptocurrency',
    url: 'https://www.twilio.com/docs/api/errors/30464.md',
  },
  err30466: {
    publisher: TWILIO,
    title: 'Error 30466: Toll Free verification rejection - Disallowed - Debt Reduction',
    url: 'https://www.twilio.com/docs/api/errors/30466.md',
  },
  err30468: {
    publisher: TWILIO,
    title: 'Error 30468: Toll Free verification rejection - Disallowed: Third-party Lead Generation',
    url: 'https://static1.twilio.com/docs/api/errors/30468',
  },
  err30469: {
    publisher: TWILIO,
    title: 'Error 30469: Toll Free verification rejection - Disallowed: Illegal substances/articles',
    url: 'https://static0.twilio.com/docs/api/errors/30469',
  },
  err30470: {
    publisher: TWILIO,
    title: 'Error 30470: Toll Free verification rejection - High Risk: Deceptive Marketing',
    url: 'https://live.docs.dev.twilio.com/docs/api/errors/30470.md',
  },
  err30529: {
    publisher: TWILIO,
    title: 'Error 30529: Toll Free rejection: Alcohol promotions require age verification',
    url: 'https://static1.twilio.com/docs/api/errors/30529',
  },
  err30860: {
    publisher: TWILIO,
    title: 'Error 30860: Verification rejection - Disallowed: Cannabis/CBD',
    url: 'https://www.twilio.com/docs/api/errors/30860.md',
  },
  err30861: {
    publisher: TWILIO,
    title: 'Error 30861: Verification rejection - Disallowed: Illegal substances/articles',
    url: 'https://www.twilio.com/docs/api/errors/30861',
  },
  err30863: {
    publisher: TWILIO,
    title: 'Error 30863: Verification rejection - Disallowed: Third Party Debt Collection',
    url: 'https://www.twilio.com/docs/api/errors/30863.md',
  },
  err30866: {
    publisher: TWILIO,
    title: 'Error 30866: Verification rejection - Disallowed: Stock Alerts/Platforms',
    url: 'https://www.twilio.com/docs/api/errors/30866.md',
  },
  err30867: {
    publisher: TWILIO,
    title: 'Error 30867: Verification rejection - Disallowed: Cryptocurrency',
    url: 'https://www.twilio.com/docs/api/errors/30867.md',
  },
  err30869: {
    publisher: TWILIO,
    title: 'Error 30869: Verification rejection - Disallowed: Debt Reduction',
    url: 'https://www.twilio.com/docs/api/errors/30869.md',
  },
  err30870: {
    publisher: TWILIO,
    title: 'Error 30870: Verification rejection - Disallowed: Credit Repair',
    url: 'https://www.twilio.com/docs/api/errors/30870',
  },
  err30873: { publisher: TWILIO, title: 'Error 30873: Verification rejection - Disallowed: SHAFT - Sex', url: 'https://www.twilio.com/docs/api/errors/30873' },
  err30874: { publisher: TWILIO, title: 'Error 30874: Verification rejection - Disallowed: SHAFT - Hate', url: 'https://www.twilio.com/docs/api/errors/30874' },
  err30875: {
    publisher: TWILIO,
    title: 'Error 30875: Verification rejection - Disallowed: SHAFT - Alcohol',
    url: 'https://www.twilio.com/docs/api/errors/30875',
  },
  err30878: {
    publisher: TWILIO,
    title: 'Error 30878: Verification rejection - Disallowed: SHAFT - Tobacco / Vape',
    url: 'https://www.twilio.com/docs/api/errors/30878',
  },
  err30885: { publisher: TWILIO, title: 'Error 30885: Campaign vetting rejection - High Risk', url: 'https://twilio.com/docs/api/errors/30885' },
  err30888: {
    publisher: TWILIO,
    title: 'Error 30888: Campaign vetting rejection - Age Gate Not Present / Not Acceptable',
    url: 'https://static0.twilio.com/docs/api/errors/30888',
  },
  ctiaLanding: {
    publisher: 'CTIA',
    title: 'Messaging Interoperability SMS & MMS (home of the Messaging Principles and Best Practices)',
    url: 'https://www.ctia.org/the-wireless-industry/industry-commitments/messaging-interoperability-sms-mms',
  },
  ctiaPrinciples: {
    publisher: 'Signalmash (reproduction of CTIA Messaging Principles and Best Practices, May 2023)',
    title: 'CTIA Messaging Principles and Best Practices',
    url: 'https://signalmash.com/2023/12/28/ctia-messaging-principles-best-practices-handbook',
  },
  ctiaShortCodeHandbookSummary: {
    publisher: '3C Interactive (summary of the CTIA Short Code Monitoring Handbook)',
    title: 'Text Message Marketing: What Your Messages Should and Shouldn’t Contain',
    url: 'https://www.3cinteractive.com/blog/text-message-marketing-messages-should-contain/',
  },
  tmobileFinesPlivo: {
    publisher: 'Plivo (relaying T-Mobile’s code of conduct and fines)',
    title: 'Messaging Content Guidelines and Non-Compliance Fines',
    url: 'https://support.plivo.com/hc/en-us/articles/26692320041369-Messaging-Content-Guidelines-and-Non-Compliance-Fines',
  },
  tmobileFinesGenxtra: {
    publisher: 'GenXtra (relaying T-Mobile’s terms-of-service update)',
    title: 'T-Mobile Announces Fines and TOS Updates',
    url: 'https://genxtra.net/t-mobile-announces-fines-and-tos-updates/',
  },
  tmobileFirearmsOtter: {
    publisher: 'Otter Technologies',
    title: 'T-Mobile blocks firearm text messages',
    url: 'https://ottertext.com/articles/%F0%9F%9A%A8-t-mobile-blocks-firearm-text-messages',
  },
  vonageShortCode: {
    publisher: 'Vonage',
    title: 'US Short Code Restrictions',
    url: 'https://api.support.vonage.com/hc/en-us/articles/360047954412-US-Short-Code-Restrictions',
  },
  captivationCopy: {
    publisher: 'Captivation Hub (copy of Twilio’s forbidden-categories table)',
    title: 'Forbidden Message & Use-Case Categories',
    url: 'https://support.captivationhub.com/hc/en-us/articles/26474999827611',
  },
  woosenderCopy: {
    publisher: 'Woosender (earlier copy of Twilio’s forbidden-categories table)',
    title: 'Forbidden message categories for SMS and MMS in the US and Canada',
    url: 'https://help.woosender.com/en/articles/7992929-forbidden-message-categories-for-sms-and-mms-in-the-us-and-canada',
  },
  avochatoCopy: {
    publisher: 'Avochato',
    title: 'Forbidden SMS and MMS Categories in US and Canada',
    url: 'https://help.avochato.com/compliance/1AcSdJjN3wGwND8eq6rWLo/forbidden-sms-and-mms-categories-in-us-and-canada/g5qjk3ULrS8ccwK1WkJLeb',
  },
  callTrackingMetricsCopy: {
    publisher: 'CallTrackingMetrics',
    title: 'Forbidden Message Categories in the US and Canada (Short Code, Toll-Free, and Long Code)',
    url: 'https://calltrackingmetrics.zendesk.com/hc/en-us/articles/24753057981581-Forbidden-Message-Categories-in-the-US-and-Canada-Short-Code-Toll-Free-and-Long-Code',
  },
  ageTexting: {
    publisher: 'Age Texting',
    title: 'Age gating (help center)',
    url: 'https://www.age-texting.com/help-center/age-gating',
  },
  listrakShaft: {
    publisher: 'Listrak',
    title: 'SMS U.S. SHAFT Compliance Guide',
    url: 'https://help.listrak.com/en/articles/10131930-sms-u-s-shaft-compliance-guide',
  },
} as const satisfies Record<string, Document>;

export type DocumentId = keyof typeof DOC;

/** What each cited page says that matters to an entry, by its `DOC` key (a page once), in the order cited. */
export type SourceNotes = Partial<Record<DocumentId, string>>;

/** A source of an entry: the page and what it says that matters to that entry. */
export function cite(doc: DocumentId, says: string): PolicySource {
  return { ...DOC[doc], says };
}

/** The sources of an entry, in the order its notes list them. */
export function citing(notes: SourceNotes): PolicySource[] {
  // The keys of a SourceNotes literal are DocumentIds; Object.entries types them as strings.
  return Object.entries(notes).map(([doc, says]) => cite(doc as DocumentId, says));
}
