import type { ActivityDeps } from '../deps';
import { createBrandActivities } from './brand';
import { createBundleActivities } from './bundles';
import { createMessagingActivities } from './messaging';
import { createThroughputActivities } from './throughput';
import { createTollfreeActivities } from './tollfree';
import { createVerdictActivities } from './verdicts';

/**
 * Carrier registration's side effects (issue 14): Trust Hub bundles, the A2P brand, the
 * Messaging Service and campaign, toll-free verification, and Twilio's verdicts. Each step
 * looks up what an earlier attempt made (its stored SID, else Twilio's list by name or owner)
 * before creating, so a retry after a crash makes nothing twice. The method names are the
 * activity names recorded in workflow histories.
 */
export function createCarrierRegistrationActivities(deps: ActivityDeps) {
  return {
    ...createBundleActivities(deps),
    ...createBrandActivities(deps),
    ...createMessagingActivities(deps),
    ...createTollfreeActivities(deps),
    ...createVerdictActivities(deps),
    ...createThroughputActivities(deps),
  };
}

export type CarrierRegistrationActivities = ReturnType<typeof createCarrierRegistrationActivities>;
