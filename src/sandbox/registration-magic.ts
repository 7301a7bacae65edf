import type { BrandType, RegistrationError } from './registration-state';

/**
 * How the sandbox's reviewers decide, chosen by magic inputs the way Twilio's test
 * credentials choose outcomes by magic numbers (tables in the README's "Carrier
 * registration" section). The codes and descriptions are Twilio's own
 * (https://www.twilio.com/docs/api/errors/<code>).
 */
const REGISTRATION_ERRORS: Record<number, { description: string; fields: string[] }> = {
  // Brands
  30751: { description: 'Brand Registration Failure: Unsupported mobile phone number.', fields: ['mobile_phone_number'] },
  30752: { description: 'Brand Registration Failure: Invalid or expired OTP.', fields: ['mobile_phone_number'] },
  30791: { description: 'Brand Registration Failure: Temporary system error. Please try again after 30 seconds.', fields: [] },
  30798: { description: 'Brand Registration Feedback: No IRS 501c tax-exempt status found.', fields: ['business_type'] },
  30799: {
    description: 'Brand Registration Feedback: We were unable to verify the details of the registration data (legal company name does not match the EIN).',
    fields: ['business_name', 'business_registration_number'],
  },
  // Campaigns
  30883: { description: 'Campaign vetting rejection - Content Violation.', fields: ['MESSAGE_SAMPLES'] },
  30885: { description: 'Campaign vetting rejection - High Risk.', fields: ['USE_CASE_DESCRIPTION'] },
  30886: {
    description: 'The campaign submission has been reviewed and it was rejected because of invalid campaign description.',
    fields: ['USE_CASE_DESCRIPTION'],
  },
  30893: { description: 'Campaign vetting rejection - Inconsistency between Sample Message and Use-case.', fields: ['SAMPLE_MESSAGE_1'] },
  30896: { description: 'Campaign vetting rejection - Opt-in.', fields: ['MESSAGE_FLOW'] },
  30991: { description: 'Campaign Registration Failed: the Brand of this Campaign is in an unverified status.', fields: [] },
  // Toll-free verifications
  30451: { description: 'Toll-Free phone number verification unable to process - address invalid.', fields: ['business_street_address'] },
  30464: { description: 'Toll Free verification rejection - Disallowed: Cryptocurrency.', fields: ['use_case_summary'] },
  30466: { description: 'Toll Free verification rejection - Disallowed - Debt Reduction.', fields: ['use_case_summary'] },
  30501: { description: 'Toll Free rejection: Political campaigns require a Campaign Verify token.', fields: ['vetting_id'] },
  30513: { description: 'Verification rejection - Consent for messaging is a requirement.', fields: ['opt_in_image_urls'] },
};

export function registrationError(code: number): RegistrationError {
  const known = REGISTRATION_ERRORS[code];
  return { error_code: code, description: known.description, url: `https://www.twilio.com/docs/api/errors/${code}`, fields: known.fields };
}

/** Campaign and toll-free outcomes: a `sandbox-reject-<code>` token anywhere in the text (case-insensitive). */
export const CAMPAIGN_REJECTIONS = [30883, 30885, 30886, 30893, 30896] as const;
export const TOLLFREE_REJECTIONS = [30451, 30464, 30466, 30501, 30513] as const;
/** Rejections Twilio does not let you edit and resubmit (a disallowed business stays disallowed). */
const TOLLFREE_FINAL = new Set<number>([30464, 30466]);

export function rejectionTokens(text: string, allowed: readonly number[]): number[] {
  return [...text.matchAll(/sandbox-reject-(\d{5})/gi)].map((m) => Number(m[1])).filter((code, i, all) => allowed.includes(code) && all.indexOf(code) === i);
}

export const tollfreeEditAllowed = (code: number) => !TOLLFREE_FINAL.has(code);

/** The brand-relevant facts of a customer profile and trust product (their end users' attributes). */
export interface BrandFacts {
  ein: string;
  mobile: string;
}

export const SOLE_PROPRIETOR_UNSUPPORTED_MOBILE = '+15005550009';
export const DEFAULT_BRAND_SCORE = 80;

export type BrandVerdict =
  | { outcome: 'approved'; score: number | null; identity: 'VERIFIED' | 'VETTED_VERIFIED' | 'SELF_DECLARED' }
  | { outcome: 'otp'; mobile: string }
  | { outcome: 'failed'; codes: number[]; feedback: string[] };

/** EIN magic values (digits only, dashes ignored): the brand table in the README. */
export function brandVerdict(type: BrandType, secondaryVetting: boolean, facts: BrandFacts, attempt: number): BrandVerdict {
  if (type === 'SOLE_PROPRIETOR') {
    if (facts.mobile === SOLE_PROPRIETOR_UNSUPPORTED_MOBILE) return { outcome: 'failed', codes: [30751], feedback: ['OTHERS'] };
    return { outcome: 'otp', mobile: facts.mobile };
  }
  const ein = facts.ein.replace(/\D/g, '');
  if (ein === '000000001') return { outcome: 'failed', codes: [30799], feedback: ['TAX_ID'] };
  if (ein === '000000002') return { outcome: 'failed', codes: [30798], feedback: ['NONPROFIT'] };
  if (ein === '000000003' && attempt === 1) return { outcome: 'failed', codes: [30791], feedback: ['OTHERS'] };
  if (!secondaryVetting) return { outcome: 'approved', score: null, identity: 'VERIFIED' };
  const score = /^9900000\d\d$/.test(ein) ? Number(ein.slice(7)) : DEFAULT_BRAND_SCORE;
  return { outcome: 'approved', score, identity: 'VETTED_VERIFIED' };
}

/** EIN 000000004: the brand goes to manual third-party review (IN_REVIEW), taking this many times longer. */
export const MANUAL_REVIEW_EIN = '000000004';
export const MANUAL_REVIEW_FACTOR = 3;
export const goesToManualReview = (facts: BrandFacts) => facts.ein.replace(/\D/g, '') === MANUAL_REVIEW_EIN;

/** EIN 000000005: the customer profile itself is rejected by Trust Hub review. */
export const REJECTED_PROFILE_EIN = '000000005';
export const profileRejected = (ein: string) => ein.replace(/\D/g, '') === REJECTED_PROFILE_EIN;

/**
 * A brand's throughput class, from Twilio's "Message throughput (MPS) and Trust Scores for
 * A2P 10DLC" and "T-Mobile daily message limits": per-carrier MPS on AT&T, T-Mobile and
 * Verizon by trust score (brand_score); low-volume standard brands (no secondary vetting)
 * and sole proprietors have fixed low limits.
 */
export interface ThroughputClass {
  tier: 'TOP' | 'HIGH_MID' | 'LOW_MID' | 'LOW' | 'LOW_VOLUME' | 'SOLE_PROPRIETOR';
  mpsPerCarrier: number;
  attMessageClass: string;
  tmobileBrandTier: 'TOP' | 'HIGH_MID' | 'LOW_MID' | 'LOW';
  tmobileDailyCap: number;
}

export function throughputClass(type: BrandType, score: number | null): ThroughputClass {
  if (type === 'SOLE_PROPRIETOR') return { tier: 'SOLE_PROPRIETOR', mpsPerCarrier: 1, attMessageClass: 'S', tmobileBrandTier: 'LOW', tmobileDailyCap: 1_000 };
  if (score === null) return { tier: 'LOW_VOLUME', mpsPerCarrier: 4, attMessageClass: 'T', tmobileBrandTier: 'LOW', tmobileDailyCap: 2_000 };
  if (score >= 75) return { tier: 'TOP', mpsPerCarrier: 75, attMessageClass: 'A', tmobileBrandTier: 'TOP', tmobileDailyCap: 200_000 };
  if (score >= 50) return { tier: 'HIGH_MID', mpsPerCarrier: 40, attMessageClass: 'C', tmobileBrandTier: 'HIGH_MID', tmobileDailyCap: 40_000 };
  if (score >= 25) return { tier: 'LOW_MID', mpsPerCarrier: 4, attMessageClass: 'E', tmobileBrandTier: 'LOW_MID', tmobileDailyCap: 10_000 };
  return { tier: 'LOW', mpsPerCarrier: 4, attMessageClass: 'E', tmobileBrandTier: 'LOW', tmobileDailyCap: 2_000 };
}

/** A campaign's `rate_limits`, in the shape of Twilio's examples (`att.mps`, `att.msg_class`, `tmobile.brand_tier`). */
export function rateLimitsJson(t: ThroughputClass) {
  return {
    att: { mps: t.mpsPerCarrier, msg_class: t.attMessageClass },
    tmobile: { brand_tier: t.tmobileBrandTier, daily_cap: t.tmobileDailyCap },
    verizon: { mps: t.mpsPerCarrier },
  };
}
