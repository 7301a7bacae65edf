import type { Knex } from 'knex';
import * as core from './20261123_001_core';
import * as tenantLifecycle from './20261124_002_tenant_lifecycle';
import * as deliveryStatuses from './20261124_003_delivery_statuses';
import * as campaigns from './20261124_004_campaigns';
import * as monitorInbound from './20261127_005_monitor_inbound';
import * as outboxContactIndex from './20261127_006_outbox_contact_index';
import * as messageShaping from './20261202_007_message_shaping';
import * as inboundJudgement from './20261202_008_inbound_judgement';
import * as contentReview from './20261202_009_content_review';
import * as signupLimits from './20261202_010_signup_limits';
import * as apiKeyLifecycle from './20261202_011_api_key_lifecycle';
import * as staffCases from './20261202_012_staff_cases';
import * as outboxReconciliations from './20261202_013_outbox_reconciliations';
import * as carrierRegistrations from './20261202_014_carrier_registrations';
import * as registeredThroughput from './20261202_016_registered_throughput';
import * as contactConsents from './20261202_018_contact_consents';
import * as userRoles from './20261202_019_user_roles';
import * as tenantDataKeys from './20261202_021_tenant_data_keys';
import * as retentionErasure from './20261202_020_retention_erasure';
import * as retentionCampaignsTwilio from './20261203_022_retention_campaigns_twilio';
import * as contactCustomFields from './20261203_023_contact_custom_fields';
import * as consoleSessions from './20261203_024_console_sessions';
import * as senderSendBlocks from './20261203_025_sender_send_blocks';
import * as outboxSenderDayPredicate from './20261203_026_outbox_sender_day_predicate';
import * as campaignCountIndexes from './20261203_027_campaign_count_indexes';
import * as messageTemplates from './20261204_028_message_templates';

/**
 * Every migration, in order. Listed here rather than read from a directory so the same
 * list loads under tsx, jest and any bundler; add each new migration file to the end.
 */
export const migrations: ReadonlyArray<{ name: string; up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> }> = [
  { name: '20261123_001_core', ...core },
  { name: '20261124_002_tenant_lifecycle', ...tenantLifecycle },
  { name: '20261124_003_delivery_statuses', ...deliveryStatuses },
  { name: '20261124_004_campaigns', ...campaigns },
  { name: '20261127_005_monitor_inbound', ...monitorInbound },
  { name: '20261127_006_outbox_contact_index', ...outboxContactIndex },
  { name: '20261202_007_message_shaping', ...messageShaping },
  { name: '20261202_008_inbound_judgement', ...inboundJudgement },
  { name: '20261202_009_content_review', ...contentReview },
  { name: '20261202_010_signup_limits', ...signupLimits },
  { name: '20261202_011_api_key_lifecycle', ...apiKeyLifecycle },
  { name: '20261202_012_staff_cases', ...staffCases },
  { name: '20261202_013_outbox_reconciliations', ...outboxReconciliations },
  { name: '20261202_014_carrier_registrations', ...carrierRegistrations },
  { name: '20261202_016_registered_throughput', ...registeredThroughput },
  { name: '20261202_018_contact_consents', ...contactConsents },
  { name: '20261202_019_user_roles', ...userRoles },
  { name: '20261202_021_tenant_data_keys', ...tenantDataKeys },
  { name: '20261202_020_retention_erasure', ...retentionErasure },
  { name: '20261203_022_retention_campaigns_twilio', ...retentionCampaignsTwilio },
  { name: '20261203_023_contact_custom_fields', ...contactCustomFields },
  { name: '20261203_024_console_sessions', ...consoleSessions },
  { name: '20261203_025_sender_send_blocks', ...senderSendBlocks },
  { name: '20261203_026_outbox_sender_day_predicate', ...outboxSenderDayPredicate },
  { name: '20261203_027_campaign_count_indexes', ...campaignCountIndexes },
  { name: '20261204_028_message_templates', ...messageTemplates },
];
