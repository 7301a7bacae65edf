import { TenantIdAttribute } from '../search-attributes';

/** The contact erasure workflow's contract: the API starts it once the erasure is done in PostgreSQL. */

export const erasureWorkflowId = (erasureId: string) => `contact-erasure/${erasureId}`;

export interface ContactErasureInput {
  erasureId: string;
  tenantId: string;
  /** A redaction page's heartbeat timeout (default a minute; ERASURE_HEARTBEAT_TIMEOUT_SECONDS). */
  heartbeatTimeoutMs?: number;
}

export function startErasureOptions(input: ContactErasureInput, taskQueue: string) {
  return {
    workflowId: erasureWorkflowId(input.erasureId),
    taskQueue,
    args: [input] as [ContactErasureInput],
    typedSearchAttributes: [{ key: TenantIdAttribute, value: input.tenantId }],
    staticSummary: `Contact erasure ${input.erasureId}: redacting the contact's messages at Twilio`,
  };
}
