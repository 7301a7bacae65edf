import type { CategoryId } from './category-ids';
import { forbidden } from './category-entry';
import type { PolicyCategory } from './types';

/**
 * Offers about money: high-risk loans and investing, get-rich-quick schemes, debt collection and
 * relief, credit repair, and lead generation (the loan and insurance aggregators). All forbidden.
 */

const TWO_FA_OR_NOTICES =
  'If you are the business the customer deals with, send only transactional messages (receipts, account alerts, one-time codes) from your own brand.';

export const FINANCIAL_POLICY = {
  'high_risk_financial.payday_loans': forbidden({
    id: 'high_risk_financial.payday_loans',
    label: 'payday and short-term high-interest loans',
    // categories.md also names title loans, "instant approval" and "bad credit OK" offers; no source
    // names them separately, but they are short-term high-interest lending in substance: blocked too.
    covers: ['payday loans', 'short-term high-interest loans', 'short-term loans'],
    sources: {
      twilioForbidden:
        'Lists payday loans and short-term high-interest loans as forbidden high-risk financial services on long code, short code and toll-free.',
      twilioForbiddenTollFreeOld: 'Lists payday and short-term high-interest loans as not allowed over toll-free numbers.',
      twilioShortCodeUnsupported:
        'Twilio will not submit short code applications for high-risk financial services such as payday or short-term high-interest loans.',
      vonageShortCode: 'Another provider relays that carriers ban payday and short-term loan offers on short codes.',
    },
    reason: 'Payday and short-term high-interest loan offers are forbidden on US and Canadian SMS by Twilio and the carriers, on every kind of sender number.',
    fix: 'Do not promote these loans by text. Email or your website can carry the offer; existing borrowers can still get account notices about their own loan from the lender.',
  }),
  'high_risk_financial.third_party_loans': forbidden({
    id: 'high_risk_financial.third_party_loans',
    label: 'loan offers from anyone other than the lender',
    covers: ['third-party auto loans', 'third-party mortgage loans', 'student loans', 'non-direct lenders and loan aggregators', 'affiliate lending'],
    sources: {
      twilioForbidden:
        'Forbids third-party auto and mortgage loans and student loans; third-party means anyone other than the party that will service the loan.',
      twilioShortCodeUnsupported: 'Not supported on short codes: non-direct lenders, third-party auto and mortgage loans, student loans and loan aggregators.',
      callTrackingMetricsCopy:
        'A provider’s copy of the carrier rules adds new-loan soliciting and affiliate lending to the forbidden high-risk financial list.',
    },
    reason:
      'Loan offers sent by anyone other than the lender who will service the loan (brokers, matching services, affiliates) are forbidden on US and Canadian SMS.',
    fix: 'Only the lender itself may text its own customers about their own loan, and only with their consent. Do not pass on or advertise other lenders’ loans by text.',
    judgement: 'A first-party lender texting its own borrowers is not this category; the classifier should see the broker or matching language.',
  }),
  'high_risk_financial.crypto_and_investing': forbidden({
    id: 'high_risk_financial.crypto_and_investing',
    label: 'cryptocurrency, stock tips and investing promotions',
    covers: ['cryptocurrency', 'stock alerts', 'stock trading and investing platforms'],
    sources: {
      twilioForbidden: 'Lists cryptocurrency among forbidden high-risk financial services.',
      err30464: 'Toll-free verification is rejected for businesses associated with cryptocurrency.',
      err30867: 'Number verification is rejected for cryptocurrency messaging programs.',
      err30866: 'Stock alert and stock or investing platforms are disallowed; such businesses may send only 2FA or transactional messages.',
      twilioShortCodeUnsupported: 'Stock trading and investment messaging is not supported on short codes.',
    },
    reason: 'Cryptocurrency promotions, stock tips and investing-platform promotions are forbidden on US and Canadian SMS.',
    fix: `${TWO_FA_OR_NOTICES} Do not send trading signals, token sales or investment promotions by text.`,
  }),
  get_rich_quick: forbidden({
    id: 'get_rich_quick',
    label: '"get rich quick" schemes',
    covers: ['work-from-home programs', 'risk investment opportunities', 'pyramid schemes', 'multi-level marketing', 'mystery shopping'],
    sources: {
      twilioForbidden:
        'Forbids work-from-home programs, risk investment opportunities and pyramid schemes; ordinary job outreach and brokerage news to members are not in this category.',
      twilioForbiddenTollFreeOld: 'Lists the same get-rich-quick schemes as not allowed over toll-free.',
      twilioShortCodeUnsupported: 'Work and investment opportunities are not supported on short codes.',
      callTrackingMetricsCopy: 'A provider’s copy of the carrier rules adds multi-level marketing and mystery shopping to this category.',
    },
    reason: 'Income schemes, guaranteed-return investments, pyramid and multi-level-marketing recruiting are forbidden on US and Canadian SMS.',
    fix: 'Do not recruit or promise returns by text. Job-related messages to people who applied to you, with their consent, are fine.',
  }),
  'debt.third_party_collection': forbidden({
    id: 'debt.third_party_collection',
    label: 'third-party debt collection',
    covers: ['third-party debt collection'],
    sources: {
      twilioForbidden: 'Forbids third-party debt collection; the business owed the debt (e.g. a hospital billing its own patients) may text with consent.',
      err30460: 'Toll-free verification is rejected when the business collects debt on behalf of another creditor.',
      err30863: 'Number verification is rejected for third-party debt collection; first-party billing from the business owed is allowed with direct consent.',
      twilioShortCodeUnsupported: 'Third-party debt collection (past-due reminders) is not supported on short codes.',
    },
    reason: 'Collecting a debt owed to someone else is forbidden on US and Canadian SMS.',
    fix: 'Only the business that is owed the money may text its own customers about their balance, with their consent. Collection agencies should use other channels.',
  }),
  'debt.relief': forbidden({
    id: 'debt.relief',
    label: 'debt consolidation, reduction, relief and forgiveness',
    covers: ['debt consolidation', 'debt reduction', 'debt relief', 'debt forgiveness programs', 'tax relief programs'],
    sources: {
      twilioForbidden: 'Forbids debt consolidation and debt reduction programs.',
      err30466: 'Debt consolidation, reduction and credit repair are not eligible for toll-free verification even with consent.',
      err30869: 'Number verification is rejected for debt reduction and consolidation programs even with consent.',
      twilioShortCodeUnsupported: 'Debt forgiveness and repair programs are not supported on short codes.',
      ageTexting: 'A texting provider lists debt consolidation, reduction, forgiveness and tax relief programs as unsupported on any number.',
    },
    reason: 'Debt relief, consolidation, settlement and forgiveness programs are forbidden on US and Canadian SMS, even when recipients opted in.',
    fix: 'Do not offer debt relief by text; use email or your website.',
  }),
  'debt.credit_repair': forbidden({
    id: 'debt.credit_repair',
    label: 'credit repair',
    covers: ['credit repair programs'],
    sources: {
      twilioForbidden: 'Lists credit repair programs as forbidden.',
      err30870: 'Credit repair and debt repair are prohibited on US and Canadian SMS and MMS even with first-party consent.',
      err30466: 'Credit repair is not eligible for toll-free verification.',
    },
    reason: 'Credit repair and credit-score fixing services are forbidden on US and Canadian SMS, even with consent.',
    fix: 'Do not advertise credit repair by text; use email or your website.',
  }),
  lead_generation: forbidden({
    id: 'lead_generation',
    label: 'third-party lead generation and affiliate marketing',
    covers: [
      'companies that buy, sell or share consumer information',
      'affiliate marketing',
      'third-party aggregators (loan, insurance, job boards)',
      'consent collected by one business and used by another',
    ],
    sources: {
      twilioForbidden: 'Forbids third-party lead generation: companies that buy, sell or share consumer information.',
      err30468: 'Toll-free verification is rejected for lead generation, affiliate marketing or consent transferred between businesses.',
      twilioShortCodeUnsupported: 'Third-party aggregation services and lead generation that shares collected data are not supported on short codes.',
      twilioMessagingPolicy: 'Consent cannot be bought, sold or exchanged; a purchased list is not consent.',
    },
    reason:
      'Lead generation, affiliate offers and “we’ll connect you with providers” messages are forbidden on US and Canadian SMS; consent cannot be passed between businesses.',
    fix: 'Text only people who opted in to hear from your own business, about your own products.',
  }),
} satisfies Partial<Record<CategoryId, PolicyCategory>>;
