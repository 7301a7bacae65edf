import type { ActivityDeps } from './deps';
import { createCampaignSendActivities } from './campaign-send';
import { createCarrierRegistrationActivities } from './carrier-registration';
import { createPlatformActivities } from './platform';
import { createTenantLifecycleActivities } from './tenant-lifecycle';
import { createTenantMonitorActivities } from './tenant-monitor';
import { createNotificationActivities } from './notifications';
import { createDataProtectionActivities } from './data-protection';
import { createTenantOffboardingActivities } from './tenant-offboarding';

/** Every activity the worker registers, built from one set of dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformActivities(deps),
    ...createTenantLifecycleActivities(deps),
    ...createCampaignSendActivities(deps),
    ...createTenantMonitorActivities(deps),
    ...createNotificationActivities(deps),
    ...createCarrierRegistrationActivities(deps),
    ...createDataProtectionActivities(deps),
    ...createTenantOffboardingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
