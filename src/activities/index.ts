import type { ActivityDeps } from './deps';
import { createCampaignSendActivities } from './campaign-send';
import { createPlatformActivities } from './platform';
import { createTenantLifecycleActivities } from './tenant-lifecycle';

/** Every activity the worker registers, built from one set of dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformActivities(deps),
    ...createTenantLifecycleActivities(deps),
    ...createCampaignSendActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
