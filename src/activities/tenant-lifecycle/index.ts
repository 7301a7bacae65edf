import type { ActivityDeps } from '../deps';
import { createKycActivities } from './kyc';
import { createProvisioningActivities } from './provisioning';
import { createRegistrationStepActivities } from './registration';
import { createReviewActivities } from './reviews';
import { createSandboxActivities } from './sandbox';
import { createStepRecordActivities } from './step-records';
import { createVerificationActivities } from './verification';

export { callTwilioForNumber, noNumbersAvailable } from './provisioning';
export type { VerificationCapReached, VerificationStart } from './verification';

/**
 * Onboarding's side effects, by what they touch: KYC, the step records, Verify, the sandbox's
 * test sends, compliance reviews and staff decisions, the tenant's subaccount and number, and
 * what its carrier registration step reads.
 * Each one can run twice (retry, replay) and leave one result. The method names are the
 * activity names recorded in workflow histories: renaming one breaks the replay of every run
 * that called it.
 */
export function createTenantLifecycleActivities(deps: ActivityDeps) {
  return {
    ...createKycActivities(deps),
    ...createStepRecordActivities(deps),
    ...createVerificationActivities(deps),
    ...createSandboxActivities(deps),
    ...createReviewActivities(deps),
    ...createProvisioningActivities(deps),
    ...createRegistrationStepActivities(deps),
  };
}

export type TenantLifecycleActivities = ReturnType<typeof createTenantLifecycleActivities>;
