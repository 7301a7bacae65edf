import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes every clearsend workflow may carry (registered on the server as Keyword). */
export const TenantIdAttribute = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CampaignIdAttribute = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const ComplianceStateAttribute = defineSearchAttributeKey('ComplianceState', SearchAttributeType.KEYWORD);
/** The tenant lifecycle's step (kyc, verification, … active, rejected), beside its ComplianceState. */
export const OnboardingStepAttribute = defineSearchAttributeKey('OnboardingStep', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_NAMES = [TenantIdAttribute.name, CampaignIdAttribute.name, ComplianceStateAttribute.name, OnboardingStepAttribute.name] as const;
