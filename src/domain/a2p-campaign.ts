import type { KycSubmission, OptInMethod, UseCase } from './kyc-risk';

/**
 * What an A2P 10DLC campaign (and a toll-free verification) says, from what the tenant told
 * us at KYC unless the registration's own text replaces it. Twilio's limits: description and
 * message flow of 40+ characters, 2–5 samples of 20–1024 characters.
 */
export const CAMPAIGN_LIMITS = { minText: 40, minSamples: 2, maxSamples: 5, minSample: 20, maxSample: 1024 } as const;

/** The KYC use case as Twilio's A2P use case (a sole proprietor brand may register only its own). */
const A2P_USECASE: Record<UseCase, string> = {
  appointment_reminders: 'ACCOUNT_NOTIFICATION',
  account_notifications: 'ACCOUNT_NOTIFICATION',
  delivery_notifications: 'DELIVERY_NOTIFICATION',
  marketing: 'MARKETING',
  customer_care: 'CUSTOMER_CARE',
  two_factor: '2FA',
  polling: 'POLLING_VOTING',
  public_service: 'PUBLIC_SERVICE_ANNOUNCEMENT',
  debt_collection: 'MIXED',
  lead_generation: 'MIXED',
  gambling: 'MIXED',
  cannabis: 'MIXED',
  high_risk_financial: 'MIXED',
};

export function a2pUsecaseFor(useCase: UseCase, brandType: string | null): string {
  if (brandType === 'SOLE_PROPRIETOR') return 'SOLE_PROPRIETOR';
  if (brandType === 'LOW_VOLUME_STANDARD') return 'LOW_VOLUME';
  return A2P_USECASE[useCase];
}

const OPT_IN_WORDS: Record<OptInMethod, string> = {
  web_form: 'by ticking an unticked SMS consent box on the web form',
  paper_form: 'by signing a paper form with an SMS consent line',
  keyword: 'by texting a keyword to the number',
  point_of_sale: 'at the point of sale, by giving their number for SMS',
  existing_customer: 'as existing customers who asked for SMS updates',
  verbal: 'verbally, recorded by staff at the time',
  purchased_list: 'through a purchased list',
};

export interface CampaignText {
  description: string;
  messageFlow: string;
  samples: string[];
}

/** The campaign's text: the registration's own where given, else the KYC's. */
export function campaignTextOf(kyc: KycSubmission, businessName: string, own: Partial<CampaignText> = {}): CampaignText {
  const where = kyc.website ? ` (${kyc.website})` : '';
  return {
    description: own.description ?? `${businessName}: ${kyc.useCaseDescription}`,
    messageFlow:
      own.messageFlow ?? `Customers of ${businessName}${where} opt in ${OPT_IN_WORDS[kyc.optInMethod]}; they can reply STOP to opt out and HELP for help.`,
    samples: own.samples ?? kyc.sampleMessages.slice(0, CAMPAIGN_LIMITS.maxSamples),
  };
}

/** What is wrong with a campaign's text by Twilio's limits, if anything. */
export function campaignTextProblem(text: Partial<CampaignText>): string | undefined {
  const L = CAMPAIGN_LIMITS;
  for (const field of ['description', 'messageFlow'] as const) {
    const v = text[field];
    if (v !== undefined && (typeof v !== 'string' || v.trim().length < L.minText)) return `${field} must be at least ${L.minText} characters`;
  }
  const samples = text.samples;
  if (samples === undefined) return undefined;
  if (!Array.isArray(samples) || samples.length < L.minSamples || samples.length > L.maxSamples)
    return `samples must hold ${L.minSamples} to ${L.maxSamples} messages`;
  const bad = samples.findIndex((s) => typeof s !== 'string' || s.length < L.minSample || s.length > L.maxSample);
  return bad < 0 ? undefined : `samples[${bad}] must be ${L.minSample} to ${L.maxSample} characters`;
}

/** Twilio's HasEmbeddedLinks / HasEmbeddedPhone, as the samples show them. */
export const embeddedFlags = (samples: string[]) => ({
  hasEmbeddedLinks: samples.some((s) => /https?:\/\/|www\./i.test(s)),
  hasEmbeddedPhone: samples.some((s) => /\+?\d[\d\s().-]{8,}\d/.test(s)),
});
