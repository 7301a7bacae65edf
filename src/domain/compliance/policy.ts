/**
 * The published rules behind clearsend's compliance categories, as data: for every category,
 * which sources say what (with the address the page was actually read at), and the verdict per
 * sender route with and without an age gate declared by the tenant.
 *
 * Verdicts: `block` = never sendable on that route; `review` = compliance staff decide before
 * anything is sent; `warn` = sendable, the tenant is told.
 *
 * How the verdicts were chosen (the docs/compliance-policy.md table is the readable form):
 * - Forbidden categories block on every route unless a source names an exception for a route.
 *   None was found: Twilio's short-code page lists high-risk finance, debt relief, gambling,
 *   lead generation and cannabis as unsupported on short codes too, so no short-code carve-out.
 * - Age-gated categories: with a declared age gate `warn` where the route allows the content,
 *   `review` without one (the gate may exist but be undeclared), and `block` where the sources
 *   forbid the content on that route regardless of any gate.
 * - Where sources disagree, the newer Twilio text wins over older copies, and when a route is
 *   contested the conservative verdict is taken; `judgement` on the entry says why.
 * - Several sources are third-party copies of Twilio's or a carrier's text (the publisher field
 *   names who published the page we read); they are marked as such in `says`.
 *
 * Pure data and one lookup; no I/O.
 */

export type Verdict = 'block' | 'review' | 'warn';
export type SenderType = '10dlc' | 'toll_free' | 'short_code';

export const VERDICTS = ['block', 'review', 'warn'] as const satisfies readonly Verdict[];
export const SENDER_TYPES = ['10dlc', 'toll_free', 'short_code'] as const satisfies readonly SenderType[];

export const CATEGORY_IDS = [
  'high_risk_financial.payday_loans',
  'high_risk_financial.third_party_loans',
  'high_risk_financial.crypto_and_investing',
  'get_rich_quick',
  'debt.third_party_collection',
  'debt.relief',
  'debt.credit_repair',
  'lead_generation',
  'gambling',
  'substances.cannabis_cbd_kratom',
  'substances.illegal_drugs',
  'substances.prescription_without_rx',
  'restricted_articles.fireworks',
  'sexual_content',
  'hate',
  'fraud.phishing_impersonation',
  'age_gated.alcohol',
  'age_gated.firearms',
  'age_gated.tobacco_vape',
] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

/** The corpus also labels messages in none of the categories; that label has no policy entry. */
export const LEGIT_LABEL = 'legit' as const;
export const CORPUS_LABELS = [...CATEGORY_IDS, LEGIT_LABEL] as const;

export interface PolicySource {
  publisher: string;
  title: string;
  url: string;
  /** One-line paraphrase, in our words, of what the page says that matters here. */
  says: string;
}

export interface PolicyCategory {
  id: CategoryId;
  label: string;
  family: 'forbidden' | 'age_gated';
  /** The sub-types the sources name. */
  covers: string[];
  sources: PolicySource[];
  /** The verdict per sender type, with and without an age gate declared by the tenant. */
  verdicts: Record<SenderType, { ageGated: Verdict; notAgeGated: Verdict }>;
  /** Shown to the tenant: why this is held. */
  reason: string;
  /** Shown to the tenant: what to do instead. */
  fix: string;
  /** Why a route differs or sources conflict; for compliance staff, not the tenant. */
  judgement?: string;
}

type Document = Omit<PolicySource, 'says'>;

function cite(doc: Document, says: string): PolicySource {
  return { ...doc, says };
}

const TWILIO = 'Twilio';

/** Every page the policy cites, at the address it was read. */
const DOC = {
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
    title: "Twilio Acceptable Use Policy (summary of changes page)",
    url: 'https://www.twilio.com/legal/aup',
  },
  err30441: { publisher: TWILIO, title: 'Error 30441: Toll-Free verification rejection - Disallowed: SHAFT - Sex (earlier title: Content Violation)', url: 'https://www.twilio.com/docs/api/errors/30441' },
  err30444: { publisher: TWILIO, title: 'Error 30444: Toll Free verification rejection - Disallowed: Fraud', url: 'https://live.docs.dev.twilio.com/docs/api/errors/30444.md' },
  err30448: { publisher: TWILIO, title: 'Error 30448: Toll-Free phone number verification rejection - Age Gate', url: 'https://www.twilio.com/docs/api/errors/30448' },
  err30456: { publisher: TWILIO, title: 'Error 30456: Toll Free verification rejection - Disallowed: SHAFT - Alcohol', url: 'https://www.twilio.com/docs/api/errors/30456' },
  err30458: { publisher: TWILIO, title: 'Error 30458: Toll Free verification rejection - Disallowed: SHAFT - Tobacco / Vape', url: 'https://www.twilio.com/docs/api/errors/30458' },
  err30459: { publisher: TWILIO, title: 'Error 30459: Toll Free verification rejection - Disallowed: Cannabis/CBD', url: 'https://www.twilio.com/docs/api/errors/30459' },
  err30460: { publisher: TWILIO, title: 'Error 30460: Toll Free verification rejection - Disallowed: Third Party Debt Collection', url: 'https://www.twilio.com/docs/api/errors/30460.md' },
  err30461: { publisher: TWILIO, title: 'Error 30461: Toll Free verification rejection - Disallowed: Gambling', url: 'https://static0.twilio.com/docs/api/errors/30461' },
  err30464: { publisher: TWILIO, title: 'Error 30464: Toll Free verification rejection - Disallowed: Cryptocurrency', url: 'https://www.twilio.com/docs/api/errors/30464.md' },
  err30466: { publisher: TWILIO, title: 'Error 30466: Toll Free verification rejection - Disallowed - Debt Reduction', url: 'https://www.twilio.com/docs/api/errors/30466.md' },
  err30468: { publisher: TWILIO, title: 'Error 30468: Toll Free verification rejection - Disallowed: Third-party Lead Generation', url: 'https://static1.twilio.com/docs/api/errors/30468' },
  err30469: { publisher: TWILIO, title: 'Error 30469: Toll Free verification rejection - Disallowed: Illegal substances/articles', url: 'https://static0.twilio.com/docs/api/errors/30469' },
  err30470: { publisher: TWILIO, title: 'Error 30470: Toll Free verification rejection - High Risk: Deceptive Marketing', url: 'https://live.docs.dev.twilio.com/docs/api/errors/30470.md' },
  err30529: { publisher: TWILIO, title: 'Error 30529: Toll Free rejection: Alcohol promotions require age verification', url: 'https://static1.twilio.com/docs/api/errors/30529' },
  err30860: { publisher: TWILIO, title: 'Error 30860: Verification rejection - Disallowed: Cannabis/CBD', url: 'https://www.twilio.com/docs/api/errors/30860.md' },
  err30861: { publisher: TWILIO, title: 'Error 30861: Verification rejection - Disallowed: Illegal substances/articles', url: 'https://www.twilio.com/docs/api/errors/30861' },
  err30863: { publisher: TWILIO, title: 'Error 30863: Verification rejection - Disallowed: Third Party Debt Collection', url: 'https://www.twilio.com/docs/api/errors/30863.md' },
  err30866: { publisher: TWILIO, title: 'Error 30866: Verification rejection - Disallowed: Stock Alerts/Platforms', url: 'https://www.twilio.com/docs/api/errors/30866.md' },
  err30867: { publisher: TWILIO, title: 'Error 30867: Verification rejection - Disallowed: Cryptocurrency', url: 'https://www.twilio.com/docs/api/errors/30867.md' },
  err30869: { publisher: TWILIO, title: 'Error 30869: Verification rejection - Disallowed: Debt Reduction', url: 'https://www.twilio.com/docs/api/errors/30869.md' },
  err30870: { publisher: TWILIO, title: 'Error 30870: Verification rejection - Disallowed: Credit Repair', url: 'https://www.twilio.com/docs/api/errors/30870' },
  err30873: { publisher: TWILIO, title: 'Error 30873: Verification rejection - Disallowed: SHAFT - Sex', url: 'https://www.twilio.com/docs/api/errors/30873' },
  err30874: { publisher: TWILIO, title: 'Error 30874: Verification rejection - Disallowed: SHAFT - Hate', url: 'https://www.twilio.com/docs/api/errors/30874' },
  err30875: { publisher: TWILIO, title: 'Error 30875: Verification rejection - Disallowed: SHAFT - Alcohol', url: 'https://www.twilio.com/docs/api/errors/30875' },
  err30878: { publisher: TWILIO, title: 'Error 30878: Verification rejection - Disallowed: SHAFT - Tobacco / Vape', url: 'https://www.twilio.com/docs/api/errors/30878' },
  err30885: { publisher: TWILIO, title: 'Error 30885: Campaign vetting rejection - High Risk', url: 'https://twilio.com/docs/api/errors/30885' },
  err30888: { publisher: TWILIO, title: 'Error 30888: Campaign vetting rejection - Age Gate Not Present / Not Acceptable', url: 'https://static0.twilio.com/docs/api/errors/30888' },
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

type RouteVerdicts = PolicyCategory['verdicts'];

/** Same verdict on every route, gate or not: what a forbidden category gets. */
function everywhere(verdict: Verdict): RouteVerdicts {
  return {
    '10dlc': { ageGated: verdict, notAgeGated: verdict },
    toll_free: { ageGated: verdict, notAgeGated: verdict },
    short_code: { ageGated: verdict, notAgeGated: verdict },
  };
}

const TWO_FA_OR_NOTICES = 'If you are the business the customer deals with, send only transactional messages (receipts, account alerts, one-time codes) from your own brand.';

export const POLICY: Record<CategoryId, PolicyCategory> = {
  'high_risk_financial.payday_loans': {
    id: 'high_risk_financial.payday_loans',
    label: 'payday and short-term high-interest loans',
    family: 'forbidden',
    // categories.md also names title loans, "instant approval" and "bad credit OK" offers; no source
    // names them separately, but they are short-term high-interest lending in substance: blocked too.
    covers: ['payday loans', 'short-term high-interest loans', 'short-term loans'],
    sources: [
      cite(DOC.twilioForbidden, 'Lists payday loans and short-term high-interest loans as forbidden high-risk financial services on long code, short code and toll-free.'),
      cite(DOC.twilioForbiddenTollFreeOld, 'Lists payday and short-term high-interest loans as not allowed over toll-free numbers.'),
      cite(DOC.twilioShortCodeUnsupported, 'Twilio will not submit short code applications for high-risk financial services such as payday or short-term high-interest loans.'),
      cite(DOC.vonageShortCode, 'Another provider relays that carriers ban payday and short-term loan offers on short codes.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Payday and short-term high-interest loan offers are forbidden on US and Canadian SMS by Twilio and the carriers, on every kind of sender number.',
    fix: 'Do not promote these loans by text. Email or your website can carry the offer; existing borrowers can still get account notices about their own loan from the lender.',
  },
  'high_risk_financial.third_party_loans': {
    id: 'high_risk_financial.third_party_loans',
    label: 'loan offers from anyone other than the lender',
    family: 'forbidden',
    covers: ['third-party auto loans', 'third-party mortgage loans', 'student loans', 'non-direct lenders and loan aggregators', 'affiliate lending'],
    sources: [
      cite(DOC.twilioForbidden, 'Forbids third-party auto and mortgage loans and student loans; third-party means anyone other than the party that will service the loan.'),
      cite(DOC.twilioShortCodeUnsupported, 'Not supported on short codes: non-direct lenders, third-party auto and mortgage loans, student loans and loan aggregators.'),
      cite(DOC.callTrackingMetricsCopy, 'A provider’s copy of the carrier rules adds new-loan soliciting and affiliate lending to the forbidden high-risk financial list.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Loan offers sent by anyone other than the lender who will service the loan (brokers, matching services, affiliates) are forbidden on US and Canadian SMS.',
    fix: 'Only the lender itself may text its own customers about their own loan, and only with their consent. Do not pass on or advertise other lenders’ loans by text.',
    judgement: 'A first-party lender texting its own borrowers is not this category; the classifier should see the broker or matching language.',
  },
  'high_risk_financial.crypto_and_investing': {
    id: 'high_risk_financial.crypto_and_investing',
    label: 'cryptocurrency, stock tips and investing promotions',
    family: 'forbidden',
    covers: ['cryptocurrency', 'stock alerts', 'stock trading and investing platforms'],
    sources: [
      cite(DOC.twilioForbidden, 'Lists cryptocurrency among forbidden high-risk financial services.'),
      cite(DOC.err30464, 'Toll-free verification is rejected for businesses associated with cryptocurrency.'),
      cite(DOC.err30867, 'Number verification is rejected for cryptocurrency messaging programs.'),
      cite(DOC.err30866, 'Stock alert and stock or investing platforms are disallowed; such businesses may send only 2FA or transactional messages.'),
      cite(DOC.twilioShortCodeUnsupported, 'Stock trading and investment messaging is not supported on short codes.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Cryptocurrency promotions, stock tips and investing-platform promotions are forbidden on US and Canadian SMS.',
    fix: `${TWO_FA_OR_NOTICES} Do not send trading signals, token sales or investment promotions by text.`,
  },
  get_rich_quick: {
    id: 'get_rich_quick',
    label: '"get rich quick" schemes',
    family: 'forbidden',
    covers: ['work-from-home programs', 'risk investment opportunities', 'pyramid schemes', 'multi-level marketing', 'mystery shopping'],
    sources: [
      cite(DOC.twilioForbidden, 'Forbids work-from-home programs, risk investment opportunities and pyramid schemes; ordinary job outreach and brokerage news to members are not in this category.'),
      cite(DOC.twilioForbiddenTollFreeOld, 'Lists the same get-rich-quick schemes as not allowed over toll-free.'),
      cite(DOC.twilioShortCodeUnsupported, 'Work and investment opportunities are not supported on short codes.'),
      cite(DOC.callTrackingMetricsCopy, 'A provider’s copy of the carrier rules adds multi-level marketing and mystery shopping to this category.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Income schemes, guaranteed-return investments, pyramid and multi-level-marketing recruiting are forbidden on US and Canadian SMS.',
    fix: 'Do not recruit or promise returns by text. Job-related messages to people who applied to you, with their consent, are fine.',
  },
  'debt.third_party_collection': {
    id: 'debt.third_party_collection',
    label: 'third-party debt collection',
    family: 'forbidden',
    covers: ['third-party debt collection'],
    sources: [
      cite(DOC.twilioForbidden, 'Forbids third-party debt collection; the business owed the debt (e.g. a hospital billing its own patients) may text with consent.'),
      cite(DOC.err30460, 'Toll-free verification is rejected when the business collects debt on behalf of another creditor.'),
      cite(DOC.err30863, 'Number verification is rejected for third-party debt collection; first-party billing from the business owed is allowed with direct consent.'),
      cite(DOC.twilioShortCodeUnsupported, 'Third-party debt collection (past-due reminders) is not supported on short codes.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Collecting a debt owed to someone else is forbidden on US and Canadian SMS.',
    fix: 'Only the business that is owed the money may text its own customers about their balance, with their consent. Collection agencies should use other channels.',
  },
  'debt.relief': {
    id: 'debt.relief',
    label: 'debt consolidation, reduction, relief and forgiveness',
    family: 'forbidden',
    covers: ['debt consolidation', 'debt reduction', 'debt relief', 'debt forgiveness programs', 'tax relief programs'],
    sources: [
      cite(DOC.twilioForbidden, 'Forbids debt consolidation and debt reduction programs.'),
      cite(DOC.err30466, 'Debt consolidation, reduction and credit repair are not eligible for toll-free verification even with consent.'),
      cite(DOC.err30869, 'Number verification is rejected for debt reduction and consolidation programs even with consent.'),
      cite(DOC.twilioShortCodeUnsupported, 'Debt forgiveness and repair programs are not supported on short codes.'),
      cite(DOC.ageTexting, 'A texting provider lists debt consolidation, reduction, forgiveness and tax relief programs as unsupported on any number.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Debt relief, consolidation, settlement and forgiveness programs are forbidden on US and Canadian SMS, even when recipients opted in.',
    fix: 'Do not offer debt relief by text; use email or your website.',
  },
  'debt.credit_repair': {
    id: 'debt.credit_repair',
    label: 'credit repair',
    family: 'forbidden',
    covers: ['credit repair programs'],
    sources: [
      cite(DOC.twilioForbidden, 'Lists credit repair programs as forbidden.'),
      cite(DOC.err30870, 'Credit repair and debt repair are prohibited on US and Canadian SMS and MMS even with first-party consent.'),
      cite(DOC.err30466, 'Credit repair is not eligible for toll-free verification.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Credit repair and credit-score fixing services are forbidden on US and Canadian SMS, even with consent.',
    fix: 'Do not advertise credit repair by text; use email or your website.',
  },
  lead_generation: {
    id: 'lead_generation',
    label: 'third-party lead generation and affiliate marketing',
    family: 'forbidden',
    covers: ['companies that buy, sell or share consumer information', 'affiliate marketing', 'third-party aggregators (loan, insurance, job boards)', 'consent collected by one business and used by another'],
    sources: [
      cite(DOC.twilioForbidden, 'Forbids third-party lead generation: companies that buy, sell or share consumer information.'),
      cite(DOC.err30468, 'Toll-free verification is rejected for lead generation, affiliate marketing or consent transferred between businesses.'),
      cite(DOC.twilioShortCodeUnsupported, 'Third-party aggregation services and lead generation that shares collected data are not supported on short codes.'),
      cite(DOC.twilioMessagingPolicy, 'Consent cannot be bought, sold or exchanged; a purchased list is not consent.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Lead generation, affiliate offers and “we’ll connect you with providers” messages are forbidden on US and Canadian SMS; consent cannot be passed between businesses.',
    fix: 'Text only people who opted in to hear from your own business, about your own products.',
  },
  gambling: {
    id: 'gambling',
    label: 'gambling, betting and sweepstakes',
    family: 'forbidden',
    covers: ['casino apps', 'gambling websites', 'sweepstakes', '50/50 raffles', 'betting and sports picks'],
    sources: [
      cite(DOC.err30461, 'Gambling (casino apps, gambling sites, sweepstakes, 50/50 raffles, betting and picks) is prohibited on toll-free, short code and long code.'),
      cite(DOC.twilioShortCodeUnsupported, 'Gambling is not supported on short codes.'),
      cite(DOC.woosenderCopy, 'A copy of Twilio’s table: gambling is prohibited in the US and Canada on every number type.'),
      cite(DOC.twilioShortCodeSweepstakes, 'An older article: sweepstakes on a short code needed an extra carrier form and published rules.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Gambling, betting, casino, lottery and sweepstakes promotions are forbidden on US and Canadian SMS on every kind of sender number.',
    fix: 'Do not promote betting or prize draws by text. Email or an app notification may be allowed where gambling is legal.',
    judgement:
      'The older short-code sweepstakes article is the only source allowing anything here; the newer 30461 page names sweepstakes as forbidden on short codes too, so short code blocks as well. categories.md also lists fantasy sports for money, bingo and poker buy-ins: no source names them, blocked as gambling.',
  },
  'substances.cannabis_cbd_kratom': {
    id: 'substances.cannabis_cbd_kratom',
    label: 'cannabis, CBD, kratom and paraphernalia',
    family: 'forbidden',
    // delta-8, hemp flower, edibles and dispensaries (categories.md) are cannabis products: same rule.
    covers: ['cannabis', 'CBD', 'kratom', 'drug paraphernalia'],
    sources: [
      cite(DOC.twilioForbidden, 'Cannabis and CBD are forbidden in the US; cannabis businesses may not use SMS at all, whatever the content.'),
      cite(DOC.twilioCannabis, 'Any message about marketing or selling cannabis or CBD is forbidden in the US; in Canada cannabis, CBD and paraphernalia are barred on all channels, even for 2FA.'),
      cite(DOC.err30459, 'Toll-free verification is rejected for cannabis or CBD businesses.'),
      cite(DOC.err30860, 'Number verification is rejected for cannabis or CBD businesses regardless of message content.'),
      cite(DOC.err30469, 'Toll-free: businesses tied to cannabis, CBD, kratom, drug paraphernalia, vape products or fireworks cannot use SMS.'),
      cite(DOC.err30861, 'Any verification: businesses tied to cannabis, CBD, kratom or paraphernalia cannot use Twilio SMS or MMS in the US and Canada.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Cannabis, CBD, kratom and paraphernalia are forbidden on US and Canadian SMS, even where a state allows their sale.',
    fix: 'Do not send these messages by text. Cannabis businesses cannot use SMS for any purpose, including reminders or codes.',
  },
  'substances.illegal_drugs': {
    id: 'substances.illegal_drugs',
    label: 'illegal drugs',
    family: 'forbidden',
    covers: ['endorsement of illegal or illicit drugs', 'anything illegal where the recipient lives'],
    sources: [
      cite(DOC.twilioShortCodeProhibited, 'Carriers and Twilio reject campaigns that endorse illegal or illicit drugs.'),
      cite(DOC.twilioCannabis, 'Twilio’s Messaging Policy forbids messages about anything illegal where the recipient lives.'),
      cite(DOC.tmobileFinesPlivo, 'T-Mobile’s rules (as relayed) ban endorsement of illegal drugs; content must be legal in all 50 states.'),
      cite(DOC.tmobileFinesGenxtra, 'T-Mobile fines illegal content (not legal federally and in all 50 states) at its second tier.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Offering or promoting illegal drugs is forbidden on every route and may be reported.',
    fix: 'This cannot be sent.',
  },
  'substances.prescription_without_rx': {
    id: 'substances.prescription_without_rx',
    label: 'prescription drugs without a prescription',
    family: 'forbidden',
    covers: ['prescription drugs offered without a prescription'],
    sources: [
      cite(DOC.twilioForbidden, 'Lists prescription drugs under forbidden illegal substances.'),
      cite(DOC.woosenderCopy, 'A copy of Twilio’s table: offers of drugs that cannot be sold over the counter in the US or Canada are forbidden.'),
      cite(DOC.tmobileFinesGenxtra, 'T-Mobile’s unlawful-content rule (as relayed) includes prescriptions.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Offering prescription-only drugs without a prescription is forbidden on US and Canadian SMS.',
    fix: 'Pharmacies and clinics may send refill and appointment notices to their own patients; do not offer prescription drugs for sale by text.',
  },
  'restricted_articles.fireworks': {
    id: 'restricted_articles.fireworks',
    label: 'fireworks',
    family: 'forbidden',
    covers: ['fireworks'],
    sources: [
      cite(DOC.err30469, 'Toll-free verification is rejected for businesses associated with fireworks.'),
      cite(DOC.err30861, 'Businesses associated with fireworks cannot use Twilio SMS or MMS in the US and Canada.'),
      cite(DOC.avochatoCopy, 'A provider’s copy of the carrier rules: fireworks are regulated goods that US and Canadian carriers forbid.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Selling or promoting fireworks is forbidden on US and Canadian SMS.',
    fix: 'Do not promote fireworks by text; use email or your website.',
  },
  sexual_content: {
    id: 'sexual_content',
    label: 'sexual and adult content',
    family: 'forbidden',
    covers: ['sex-related businesses and content', 'adult content', 'adult solicitation'],
    sources: [
      cite(DOC.err30441, 'Toll-free verification is rejected for sex-related use cases (SHAFT: sex).'),
      cite(DOC.err30873, 'Sex-related use cases are forbidden for SMS and MMS in the US and Canada.'),
      cite(DOC.twilioShortCodeProhibited, 'Carriers and Twilio reject adult or otherwise inappropriate content on short codes.'),
      cite(DOC.twilioShortCodeGuidelines, 'Short code campaigns with sexual or adult content are not supported; the AUP prohibits them.'),
      cite(DOC.tmobileFinesGenxtra, 'T-Mobile’s unlawful-content rule (as relayed) includes adult solicitation.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Sexual or explicit content, adult chat and escort services are forbidden on US and Canadian SMS; an age gate does not make them allowed.',
    fix: 'This cannot be sent by text.',
    judgement: 'Sex is the S of SHAFT but, unlike alcohol, no source allows it behind an age gate, so it is forbidden rather than age-gated.',
  },
  hate: {
    id: 'hate',
    label: 'hate speech and threats of violence',
    family: 'forbidden',
    covers: ['hate speech', 'harassment and abusive communications', 'communications from a hate group', 'depictions or endorsements of violence', 'profanity'],
    sources: [
      cite(DOC.err30874, 'Hate speech, abusive communications and messages connected to a hate group are forbidden for SMS and MMS.'),
      cite(DOC.err30441, 'Twilio does not allow hate speech, harassment, exploitative or abusive communications.'),
      cite(DOC.twilioShortCodeProhibited, 'Carriers and Twilio reject depictions or endorsements of violence, profanity and hate speech.'),
      cite(DOC.tmobileFinesPlivo, 'Carrier rules (as relayed) ban profanity, hate speech and depictions of violence.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Hate speech, messages demeaning a protected group and calls to violence are forbidden on every route.',
    fix: 'This cannot be sent.',
  },
  'fraud.phishing_impersonation': {
    id: 'fraud.phishing_impersonation',
    label: 'phishing, impersonation and scams',
    family: 'forbidden',
    covers: ['phishing and smishing', 'social engineering', 'fraud and scams', 'deceptive marketing', 'attempts to trick users into revealing personal information or logins'],
    sources: [
      cite(DOC.twilioForbiddenTollFreeOld, 'Forbids attempts to trick users into revealing personal information or website logins.'),
      cite(DOC.err30444, 'Toll-free verification is rejected for fraud, scams or deceptive messaging.'),
      cite(DOC.err30470, 'Toll-free verification is rejected for deceptive marketing; not eligible for resubmission.'),
      cite(DOC.err30885, '10DLC campaigns considered fraud or deceptive marketing are rejected as high risk and cannot be resubmitted.'),
      cite(DOC.tmobileFinesPlivo, 'T-Mobile fines phishing, smishing and social engineering at its highest tier ($2,000 per violation).'),
      cite(DOC.ctiaPrinciples, 'CTIA’s section 5.3.1 asks senders to prevent unlawful, deceptive or fraudulent content.'),
    ],
    verdicts: everywhere('block'),
    reason: 'Messages that impersonate banks, carriers, government or shippers, or trick people into giving logins or payment details, are fraud and are forbidden on every route.',
    fix: 'Send only messages that clearly name your own business, link to your own domain and never ask for passwords or card numbers by text.',
  },
  'age_gated.alcohol': {
    id: 'age_gated.alcohol',
    label: 'alcohol',
    family: 'age_gated',
    covers: ['alcohol-related businesses and promotions'],
    sources: [
      cite(DOC.err30456, 'Toll-free alcohol programs pass verification only with a 21+ age gate that collects the full date of birth; age-gated traffic to Canada needs a carrier exemption.'),
      cite(DOC.err30529, 'Alcohol promotions on toll-free need a robust date-of-birth age gate before opt-in; a yes/no prompt is not enough.'),
      cite(DOC.err30875, 'Number verification for alcohol programs requires a 21+ date-of-birth age gate.'),
      cite(DOC.err30448, 'Toll-free verification is rejected when the website or opt-in has no acceptable age gate.'),
      cite(DOC.err30888, '10DLC campaigns that declare age-gated content are rejected if the opt-in flow lacks an acceptable age gate.'),
      cite(DOC.captivationCopy, 'A copy of Twilio’s table: alcohol is allowed on toll-free (US only), short code and long code with proper age gating.'),
      cite(DOC.woosenderCopy, 'An earlier copy of Twilio’s table said alcohol was prohibited on toll-free but allowed on short and long code with age gating.'),
      cite(DOC.ctiaShortCodeHandbookSummary, 'Summary of CTIA’s short code handbook: content must be age-gated appropriately for controlled substances and adult content.'),
      cite(DOC.listrakShaft, 'A provider’s SHAFT guide: alcohol programs must use a 21+ age gate collecting the birth date.'),
    ],
    verdicts: {
      '10dlc': { ageGated: 'warn', notAgeGated: 'review' },
      toll_free: { ageGated: 'warn', notAgeGated: 'review' },
      short_code: { ageGated: 'warn', notAgeGated: 'review' },
    },
    reason: 'Alcohol promotions may only go to recipients who proved they are 21 or older (full date of birth) before opting in.',
    fix: 'Add a 21+ date-of-birth age gate to your opt-in and declare it in your settings. Do not send alcohol promotions to Canadian numbers unless a carrier has granted an exemption.',
    judgement:
      'Toll-free: the earlier table said alcohol was prohibited there; the newer Twilio error pages (30456, 30529) describe the age gate that makes it pass, so toll-free is treated like the other routes.',
  },
  'age_gated.firearms': {
    id: 'age_gated.firearms',
    label: 'firearms and ammunition',
    family: 'age_gated',
    covers: ['firearms', 'ammunition', 'firearm accessories'],
    sources: [
      cite(DOC.err30441, 'An earlier version of this toll-free rejection page listed SHAFT, including firearms, as prohibited categories on toll-free.'),
      cite(DOC.captivationCopy, 'A copy of Twilio’s table: firearms traffic is prohibited.'),
      cite(DOC.tmobileFirearmsOtter, 'T-Mobile rejects firearm campaigns that link to a store selling ammunition, even with an age gate.'),
      cite(DOC.vonageShortCode, 'Another provider relays that SHAFT content is prohibited on all US sender types.'),
      cite(DOC.ageTexting, 'A texting provider sends firearms content only from registered, age-gated 10DLC numbers.'),
      cite(DOC.listrakShaft, 'A provider’s SHAFT guide: firearms programs must use a 21+ date-of-birth age gate, and carriers may still decline them.'),
      cite(DOC.tmobileFinesPlivo, 'T-Mobile fines SHAFT violations ($500 tier); SHAFT content needs a functional date-of-birth age gate.'),
    ],
    verdicts: {
      '10dlc': { ageGated: 'review', notAgeGated: 'block' },
      toll_free: { ageGated: 'block', notAgeGated: 'block' },
      short_code: { ageGated: 'review', notAgeGated: 'block' },
    },
    reason: 'Firearm and ammunition promotions are refused by toll-free verification and by T-Mobile, and are allowed elsewhere only behind a 21+ age gate, if at all.',
    fix: 'Do not send firearm promotions from a toll-free number. On other numbers, add a 21+ date-of-birth age gate and expect a compliance review; sales that skip background checks can never be sent.',
    judgement:
      'Sources conflict: Twilio’s current table (as copied) and T-Mobile refuse firearms, CTIA-based guides allow them behind an age gate. Toll-free blocks (Twilio’s toll-free pages); 10DLC and short code go to a person when a gate is declared, and block without one because no source allows ungated firearms content.',
  },
  'age_gated.tobacco_vape': {
    id: 'age_gated.tobacco_vape',
    label: 'tobacco, vapes and nicotine',
    family: 'age_gated',
    covers: ['tobacco', 'vape products', 'e-cigarettes'],
    sources: [
      cite(DOC.err30458, 'Tobacco, vape and e-cigarette traffic is not allowed on toll-free regardless of age gating.'),
      cite(DOC.err30878, 'Number verification rejects tobacco, vape and e-cigarette programs; Twilio says these are not supported on SMS or MMS even with age gating.'),
      cite(DOC.err30469, 'Toll-free: businesses associated with vape or e-cig products cannot use SMS.'),
      cite(DOC.err30861, 'Businesses associated with vape or e-cig products cannot use Twilio SMS or MMS in the US and Canada.'),
      cite(DOC.captivationCopy, 'A copy of Twilio’s table: tobacco is prohibited on toll-free but allowed on short and long code with age gating; vaping is prohibited.'),
      cite(DOC.woosenderCopy, 'An earlier copy of Twilio’s table: tobacco is prohibited on toll-free, allowed on short and long code with proper age gating.'),
      cite(DOC.vonageShortCode, 'Another provider relays that vaping content falls under prohibited SHAFT content.'),
    ],
    verdicts: {
      '10dlc': { ageGated: 'review', notAgeGated: 'block' },
      toll_free: { ageGated: 'block', notAgeGated: 'block' },
      short_code: { ageGated: 'review', notAgeGated: 'block' },
    },
    reason: 'Vape and e-cigarette promotions are forbidden on US and Canadian SMS, and tobacco promotions are refused on toll-free numbers and allowed elsewhere only behind a 21+ age gate, if at all.',
    fix: 'Do not promote vapes or e-liquids by text, and do not send tobacco promotions from a toll-free number. On other numbers, tobacco needs a 21+ date-of-birth age gate and a compliance review.',
    judgement:
      'Toll-free blocks (30458). On 10DLC and short code the older table allowed age-gated tobacco while the newer 30878 page says not even with a gate and vape is forbidden outright (30861); so a person decides when a gate is declared, and it blocks without one.',
  },
};

/** Shared public link shorteners. Carriers filter them because spammers share the same domains. */
export const LINK_POLICY: {
  publicShorteners: string[];
  /** The subset a source names outright; the others are included because they are the same kind of service. */
  namedBySources: string[];
  source: PolicySource;
  otherSources: PolicySource[];
  verdict: Verdict;
} = {
  // The sources name bit.ly, tinyurl.com and goo.gl. The rest are free shared shorteners of the same
  // kind; no source we found names them, so they are listed on the conservative side.
  publicShorteners: ['bit.ly', 'tinyurl.com', 'goo.gl', 'ow.ly', 't.co', 'is.gd', 'buff.ly', 'rebrand.ly', 'cutt.ly', 'shorturl.at', 'tiny.cc', 'rb.gy', 'bl.ink', 'short.io', 's.id', 'v.gd', 't.ly', 'lnkd.in'],
  namedBySources: ['bit.ly', 'tinyurl.com', 'goo.gl'],
  source: cite(DOC.twilioShortenedUrls, 'US carrier policies forbid shared public URL shorteners such as free TinyURL or Bitly links; use a short domain your business owns.'),
  otherSources: [
    cite(DOC.twilioForbidden, 'Shared public URL shorteners are not allowed by US carriers and lead to filtering, even when the use case itself is allowed.'),
    cite(DOC.twilioForbiddenAllRoutes, 'Shared or free public URL shorteners are not permitted; a shortened link must be company-branded.'),
    cite(DOC.ctiaPrinciples, 'CTIA’s section 5.3.2 sets expectations for links embedded in messages.'),
  ],
  verdict: 'block',
};

/** Published rules every message program must meet, whatever its content; kept with their sources. */
export const MESSAGE_RULES: Record<'optOut' | 'senderIdentification', { rule: string; sources: PolicySource[] }> = {
  optOut: {
    rule: 'Recipients must be told how to opt out and opt-outs must be honoured; Twilio does not require the instructions in every message when the same recipients are contacted several times a month.',
    sources: [
      cite(DOC.twilioMessagingPolicy, 'Applies to every number type and sets rules for consent, revocation of consent (opt-out) and sender identification.'),
      cite(DOC.twilioFiltering, 'Messages should say who is sending and how to opt out; recipients contacted several times a month need not see opt-out instructions in every message.'),
      cite(DOC.ctiaPrinciples, 'CTIA’s section 5.1.3 covers consumer opt-out for non-consumer (A2P) senders.'),
      cite(DOC.ctiaLanding, 'CTIA publishes the Messaging Principles and Best Practices as voluntary industry recommendations that protect consumers from unwanted messages.'),
    ],
  },
  senderIdentification: {
    rule: 'Every message must make clear which business is sending it.',
    sources: [
      cite(DOC.twilioMessagingPolicy, 'Sender identification is one of the requirements of Twilio’s Messaging Policy.'),
      cite(DOC.twilioFiltering, 'Messages should clearly identify who is sending them.'),
      cite(DOC.twilioAup, 'Twilio’s services may not be used for illegal, abusive or improper purposes or to harm anyone.'),
    ],
  },
};

function isCategoryId(value: string): value is CategoryId {
  return (CATEGORY_IDS as readonly string[]).includes(value);
}

function isSenderType(value: string): value is SenderType {
  return (SENDER_TYPES as readonly string[]).includes(value);
}

/**
 * The verdict for a category on a route. Callers pass values read from storage or requests, so
 * an unknown category or sender type is refused loudly rather than answered with a guess.
 */
export function verdictFor(category: CategoryId, ctx: { senderType: SenderType; ageGated: boolean }): Verdict {
  if (!isCategoryId(category)) throw new Error(`unknown compliance category: ${String(category)}`);
  if (!isSenderType(ctx.senderType)) throw new Error(`unknown sender type: ${String(ctx.senderType)}`);
  const route = POLICY[category].verdicts[ctx.senderType];
  return ctx.ageGated ? route.ageGated : route.notAgeGated;
}
