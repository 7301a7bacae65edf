import { ApplicationFailure } from '@temporalio/common';
import { campaignTextOf, type CampaignText } from '../../domain/a2p-campaign';
import { judgeMessage } from '../../domain/compliance/judge';
import { RegistrationRefusal } from '../../workflows/carrier-registration/definitions';
import { required, type RegistrationContext } from './shared';

/**
 * The text a campaign or toll-free verification is submitted with, each sample judged by the
 * compliance engine first: one it would block is refused (`CampaignSampleBlocked`, naming
 * the sample and why) before anything reaches Twilio.
 */
export function judgedCampaignText(ctx: RegistrationContext): CampaignText {
  const kyc = required(ctx.kyc, 'a KYC submission');
  const text = campaignTextOf(kyc, ctx.registration.details.business.legalName ?? ctx.tenant.business_name, ctx.registration.details.campaign);
  const blocked = text.samples.flatMap((sample, i) => {
    const judgement = judgeMessage(sample, { ageGated: kyc.ageGate ?? false });
    return judgement.blocked ? [{ sample: i, reasons: judgement.findings.filter((f) => f.verdict !== 'warn').map((f) => f.reason) }] : [];
  });
  if (blocked.length) {
    const description = blocked.map((b) => `sample ${b.sample + 1}: ${b.reasons.join('; ')}`).join(' | ');
    throw ApplicationFailure.nonRetryable(`campaign samples blocked by the compliance judgement: ${description}`, RegistrationRefusal.SampleBlocked, {
      description: `Blocked before submission: ${description}`,
      blocked,
    });
  }
  return text;
}
