import { campaignTextProblem } from './a2p-campaign';

/**
 * Whether a correction sent after a registration failure fits the step that failed, checked
 * before anything is sent to Twilio (the workflow's Update validator runs it). Pure: the
 * workflow imports it.
 */
export type FailedStep = 'profile' | 'brand' | 'campaign' | 'tollfree';

const BUSINESS_FIELDS = ['ein', 'legalName', 'businessType', 'mobile'] as const;
const CAMPAIGN_FIELDS = ['description', 'messageFlow', 'samples'] as const;
/** Which parts of a correction each failed step reads. */
const PARTS_FOR: Record<FailedStep, ReadonlyArray<'business' | 'campaign'>> = {
  profile: ['business'],
  brand: ['business'],
  campaign: ['campaign'],
  tollfree: ['campaign'],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function registrationCorrectionProblem(sent: unknown, failed: FailedStep): string | undefined {
  if (!isObject(sent)) return 'a correction is an object with business and/or campaign';
  const parts = Object.keys(sent);
  if (!parts.length) return 'the correction changes nothing';
  const allowed = PARTS_FOR[failed];
  const stray = parts.find((p) => !allowed.includes(p as 'business'));
  if (stray) return `a ${failed} failure is corrected through ${allowed.join(' or ')}, not ${stray}`;
  const { business, campaign } = sent;
  if (business !== undefined) {
    if (!isObject(business) || !Object.keys(business).length) return 'business must name at least one of ' + BUSINESS_FIELDS.join(', ');
    const unknown = Object.keys(business).find((k) => !BUSINESS_FIELDS.includes(k as 'ein'));
    if (unknown) return `business.${unknown} cannot be corrected here`;
    for (const [k, v] of Object.entries(business)) if (typeof v !== 'string' || !v.trim()) return `business.${k} must be a non-empty string`;
    if (typeof business.ein === 'string' && !/^\d{9}$/.test(business.ein.replace(/-/g, ''))) return 'business.ein must be 9 digits (dashes allowed)';
    if (typeof business.mobile === 'string' && !/^\+1\d{10}$/.test(business.mobile)) return 'business.mobile must be a US number in E.164 (+1…)';
  }
  if (campaign !== undefined) {
    if (!isObject(campaign) || !Object.keys(campaign).length) return 'campaign must name at least one of ' + CAMPAIGN_FIELDS.join(', ');
    const unknown = Object.keys(campaign).find((k) => !CAMPAIGN_FIELDS.includes(k as 'samples'));
    if (unknown) return `campaign.${unknown} cannot be corrected here`;
    return campaignTextProblem(campaign);
  }
  return undefined;
}
