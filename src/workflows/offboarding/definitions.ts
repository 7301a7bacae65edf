import { TenantIdAttribute } from '../search-attributes';

/** The tenant offboarding workflow's contract. */

export const offboardingWorkflowId = (tenantId: string) => `tenant-offboarding/${tenantId}`;

export interface TenantOffboardingInput {
  tenantId: string;
  /** How long a retention day lasts (default a real day); tests pass milliseconds. */
  dayMs?: number;
  /** The first wait before a refused Twilio redaction is tried again (doubling); default a retention minute (dayMs / 1440). */
  redactRetryMs?: number;
}

export function startOffboardingOptions(input: TenantOffboardingInput, taskQueue: string) {
  return {
    workflowId: offboardingWorkflowId(input.tenantId),
    taskQueue,
    args: [input] as [TenantOffboardingInput],
    typedSearchAttributes: [{ key: TenantIdAttribute, value: input.tenantId }],
    staticSummary: `Offboarding tenant ${input.tenantId}`,
  };
}
