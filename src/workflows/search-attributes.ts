import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes every clearsend workflow may carry (registered on the server as Keyword). */
export const TenantIdAttribute = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CampaignIdAttribute = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const ComplianceStateAttribute = defineSearchAttributeKey('ComplianceState', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_NAMES = [TenantIdAttribute.name, CampaignIdAttribute.name, ComplianceStateAttribute.name] as const;
