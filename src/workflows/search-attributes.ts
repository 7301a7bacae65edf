import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes every clearsend workflow may carry (registered on the server as Keyword). */
export const TenantIdAttribute = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CampaignIdAttribute = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const ComplianceStateAttribute = defineSearchAttributeKey('ComplianceState', SearchAttributeType.KEYWORD);
/** The tenant lifecycle's step (kyc, verification, … active, rejected), beside its ComplianceState. */
export const OnboardingStepAttribute = defineSearchAttributeKey('OnboardingStep', SearchAttributeType.KEYWORD);

/** A carrier registration's phase (brand_review, campaign_failed, approved, …). */
export const RegistrationStateAttribute = defineSearchAttributeKey('RegistrationState', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_NAMES = [
  TenantIdAttribute.name,
  CampaignIdAttribute.name,
  ComplianceStateAttribute.name,
  OnboardingStepAttribute.name,
  RegistrationStateAttribute.name,
] as const;
