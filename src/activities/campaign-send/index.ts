import type { ActivityDeps } from '../deps';
import { createCampaignDeliveryActivities } from './deliveries';
import { createCampaignGateActivities } from './gate';
import { createCampaignPrepareActivities } from './prepare';
import { createCampaignRelayActivities } from './relay';

export type * from './types';

/**
 * The campaign send's activities, by phase: gate, prepare (audience and Lookup), relay, and
 * deliveries. Each reads and writes PostgreSQL by campaign id and page cursor; the workflow
 * sees ids and counts only. The method names are the activity names recorded in workflow
 * histories: renaming one breaks the replay of every run that called it.
 */
export function createCampaignSendActivities(deps: ActivityDeps) {
  return {
    ...createCampaignGateActivities(deps),
    ...createCampaignPrepareActivities(deps),
    ...createCampaignRelayActivities(deps),
    ...createCampaignDeliveryActivities(deps),
  };
}

export type CampaignSendActivities = ReturnType<typeof createCampaignSendActivities>;
