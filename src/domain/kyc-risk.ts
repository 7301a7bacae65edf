/**
 * KYC vetting: turns what a tenant told us at sign-up into a risk score with reasons a
 * compliance person can read. Points add up per signal; the level decides the path:
 * low continues, medium waits for a person, high is rejected with the reasons.
 * The compliance judgement is handed in (it is its own engine), so this stays a pure function.
 */

export const USE_CASES = [
  'appointment_reminders',
  'account_notifications',
  'delivery_notifications',
  'marketing',
  'customer_care',
  'two_factor',
  'polling',
  'public_service',
  'debt_collection',
  'lead_generation',
  'gambling',
  'cannabis',
  'high_risk_financial',
] as const;
export type UseCase = (typeof USE_CASES)[number];

export const OPT_IN_METHODS = ['web_form', 'paper_form', 'keyword', 'point_of_sale', 'existing_customer', 'verbal', 'purchased_list'] as const;
export type OptInMethod = (typeof OPT_IN_METHODS)[number];

/** Use cases carriers do not allow through an ISV's shared account at all. */
const PROHIBITED_USE_CASES: ReadonlySet<UseCase> = new Set(['debt_collection', 'lead_generation', 'gambling', 'cannabis', 'high_risk_financial']);

const FREE_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'ymail.com',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.net',
  'mail.com',
  'yandex.com',
  'zoho.com',
  'hey.com',
]);

export interface KycSubmission {
  businessName: string;
  website?: string | null;
  contactEmail: string;
  useCase: UseCase;
  useCaseDescription: string;
  sampleMessages: string[];
  optInMethod: OptInMethod;
  expectedMonthlyVolume: number;
  destinationCountries: string[];
  /** The tenant verifies its recipients' age at opt-in (needed for alcohol, tobacco, firearms). */
  ageGate?: boolean;
}

export interface KycPolicy {
  /** ISO country codes the ISV has approved for its tenants' traffic. */
  approvedCountries: string[];
}

/** The part of a compliance judgement the assessment needs (src/domain/compliance's result fits). */
export interface SampleScan {
  blocked: boolean;
  findings: Array<{ verdict: 'block' | 'review' | 'warn'; reason: string }>;
}

export type RiskLevel = 'low' | 'medium' | 'high';
export interface RiskReason {
  code: string;
  points: number;
  reason: string;
}
export interface KycAssessment {
  score: number;
  level: RiskLevel;
  reasons: RiskReason[];
}

export const RISK_THRESHOLDS = { medium: 25, high: 60 } as const;

export function levelForScore(score: number): RiskLevel {
  if (score >= RISK_THRESHOLDS.high) return 'high';
  if (score >= RISK_THRESHOLDS.medium) return 'medium';
  return 'low';
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

function hostOf(website: string): string | undefined {
  try {
    return new URL(/^https?:\/\//i.test(website) ? website : `https://${website}`).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}

export function assessKycRisk(submission: KycSubmission, policy: KycPolicy, scanSample: (body: string) => SampleScan): KycAssessment {
  const reasons: RiskReason[] = [];
  const add = (code: string, points: number, reason: string) => reasons.push({ code, points, reason });

  if (PROHIBITED_USE_CASES.has(submission.useCase)) {
    add('use_case.prohibited', 100, `The use case "${submission.useCase.replace(/_/g, ' ')}" is not allowed on shared ISV traffic by carrier rules.`);
  }
  if (submission.optInMethod === 'purchased_list') {
    add('opt_in.purchased_list', 100, 'Messages to a purchased or rented list have no consent; carriers forbid them.');
  }

  const emailDomain = domainOf(submission.contactEmail);
  if (FREE_MAIL_DOMAINS.has(emailDomain)) {
    add('identity.free_mail', 20, `The contact email uses a free-mail domain (${emailDomain}), not the business's own.`);
  }
  const site = submission.website ? hostOf(submission.website) : undefined;
  if (!site) {
    add('identity.no_website', 15, 'No business website was given, so the business and its opt-in page cannot be checked.');
  } else if (!FREE_MAIL_DOMAINS.has(emailDomain) && !emailDomain.endsWith(site) && !site.endsWith(emailDomain)) {
    add('identity.domain_mismatch', 5, `The contact email's domain (${emailDomain}) differs from the website (${site}).`);
  }

  submission.sampleMessages.forEach((body, i) => {
    const scan = scanSample(body);
    const reasons = (verdict: string) => scan.findings.filter((f) => f.verdict === verdict).map((f) => f.reason);
    // A blocked sample is what the tenant means to send: high risk. One a person must judge
    // (age-gated content without a declared age gate) sends the whole sign-up to a person.
    if (reasons('block').length) add(`sample.blocked.${i + 1}`, 60, `Sample message ${i + 1} would be blocked: ${reasons('block').join(' ')}`);
    else if (reasons('review').length) add(`sample.review.${i + 1}`, 25, `Sample message ${i + 1} needs a person's review: ${reasons('review').join(' ')}`);
    else if (scan.findings.length) add(`sample.warning.${i + 1}`, 5, `Sample message ${i + 1}: ${scan.findings.map((f) => f.reason).join(' ')}`);
  });

  const approved = new Set(policy.approvedCountries.map((c) => c.toUpperCase()));
  const outside = submission.destinationCountries.map((c) => c.toUpperCase()).filter((c) => !approved.has(c));
  if (outside.length) {
    add('countries.not_approved', 60, `Destination countries outside the approved list (${[...approved].join(', ')}): ${outside.join(', ')}.`);
  }

  // Volume out of line with what we know of the business: big senders without a web presence.
  if (submission.expectedMonthlyVolume > 250_000 && !site) {
    add('volume.unverifiable', 30, `An expected ${submission.expectedMonthlyVolume.toLocaleString('en-US')} messages a month from a business with no website.`);
  } else if (submission.expectedMonthlyVolume > 1_000_000) {
    add(
      'volume.very_high',
      20,
      `An expected ${submission.expectedMonthlyVolume.toLocaleString('en-US')} messages a month needs a person to confirm the business can source that consent.`,
    );
  }
  if (submission.optInMethod === 'verbal' && submission.useCase === 'marketing') {
    add('opt_in.verbal_marketing', 25, 'Marketing messages need written consent; verbal opt-in is not enough.');
  }

  const score = reasons.reduce((sum, r) => sum + r.points, 0);
  return { score, level: levelForScore(score), reasons };
}
