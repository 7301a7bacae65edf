import type { ActivityDeps } from './deps';
import { createPlatformActivities } from './platform';
import { createTenantLifecycleActivities } from './tenant-lifecycle';

/** Every activity the worker registers, built from one set of dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformActivities(deps),
    ...createTenantLifecycleActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
