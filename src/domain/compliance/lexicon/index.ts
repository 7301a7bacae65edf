import { ALCOHOL_LEXICON } from './alcohol';
import { CANNABIS_CBD_KRATOM_LEXICON } from './cannabis-cbd-kratom';
import { CREDIT_REPAIR_LEXICON } from './credit-repair';
import { CRYPTO_AND_INVESTING_LEXICON } from './crypto-and-investing';
import { DEBT_COLLECTION_LEXICON } from './debt-collection';
import { DEBT_RELIEF_LEXICON } from './debt-relief';
import { FIREARMS_LEXICON } from './firearms';
import { FIREWORKS_LEXICON } from './fireworks';
import { GAMBLING_LEXICON } from './gambling';
import { GET_RICH_QUICK_LEXICON } from './get-rich-quick';
import { HATE_LEXICON } from './hate';
import { ILLEGAL_DRUGS_LEXICON } from './illegal-drugs';
import { LEAD_GENERATION_LEXICON } from './lead-generation';
import { PAYDAY_LOANS_LEXICON } from './payday-loans';
import { PHISHING_IMPERSONATION_LEXICON } from './phishing-impersonation';
import { PRESCRIPTION_WITHOUT_RX_LEXICON } from './prescription-without-rx';
import type { LexiconRule } from './rule';
import { SEXUAL_CONTENT_LEXICON } from './sexual-content';
import { THIRD_PARTY_LOANS_LEXICON } from './third-party-loans';
import { TOBACCO_VAPE_LEXICON } from './tobacco-vape';

export type { LexiconRule } from './rule';

/**
 * Every category's terms, one file per category (policy and sources: ../policy/).
 *
 * The order is the one the rules had in the three family files they came from (financial; then
 * gambling, substances, alcohol and tobacco; then conduct and firearms). The judgement walks the
 * rules by index, so which of two findings comes first can depend on it: a new category goes at
 * the end of its family.
 */
export const LEXICON: LexiconRule[] = [
  // Offers about money. The hard part of this family is the first party: lenders remind
  // borrowers of their own loan payments, banks send fraud alerts and statements, credit unions
  // sell their own loans and certificates, hospitals and utilities bill their own customers,
  // bankruptcy attorneys and tax preparers text their clients. None of that is forbidden. What
  // is: someone else's money offered or chased (brokers, lender networks, collection agencies,
  // lead sellers) and fast-money promises. So strong terms name the go-between or the promise
  // ("partner lenders", "collection agency", "tradelines", "turn $100 into $1k"), while the words
  // both sides use ("loan", "score", "collection", "debt", "earn") are weak, with `unless` for
  // the first-party phrasings ("your loan payment", "credit score update", "trash collection",
  // "we never share your number"). Money promises use `$%` (an amount written with a dollar
  // sign) rather than `#`, so "we make 300 tamales a day" is not an income claim while "make
  // $300 a day" is.
  ...PAYDAY_LOANS_LEXICON,
  ...THIRD_PARTY_LOANS_LEXICON,
  ...CRYPTO_AND_INVESTING_LEXICON,
  ...GET_RICH_QUICK_LEXICON,
  ...DEBT_COLLECTION_LEXICON,
  ...DEBT_RELIEF_LEXICON,
  ...CREDIT_REPAIR_LEXICON,
  ...LEAD_GENERATION_LEXICON,
  // Gambling, substances, fireworks, alcohol and tobacco.
  ...GAMBLING_LEXICON,
  ...CANNABIS_CBD_KRATOM_LEXICON,
  ...ILLEGAL_DRUGS_LEXICON,
  ...PRESCRIPTION_WITHOUT_RX_LEXICON,
  ...FIREWORKS_LEXICON,
  ...ALCOHOL_LEXICON,
  ...TOBACCO_VAPE_LEXICON,
  // Sexual content, hate, phishing and impersonation, firearms.
  ...SEXUAL_CONTENT_LEXICON,
  ...HATE_LEXICON,
  ...PHISHING_IMPERSONATION_LEXICON,
  ...FIREARMS_LEXICON,
];
