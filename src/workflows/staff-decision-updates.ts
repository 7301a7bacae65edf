import { ApplicationFailure } from '@temporalio/workflow';
import type { StaffAction } from './shared-definitions';

/**
 * An Update's refusal (from its validator or its handler). `type` is what the API maps to an
 * HTTP status (src/api/workflow-errors.ts); `retryAfterMs` tells it what to answer in Retry-After.
 */
export const refuse = (type: string, message: string, retryAfterMs?: number) =>
  ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: retryAfterMs === undefined ? [] : [{ retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) }],
  });

/**
 * What is wrong with a staff decision's shape, if anything. An Update reaches a workflow from
 * any Temporal client, not only through the API's schema, so its validator checks this first.
 */
export function staffActionProblem(sent: unknown, opts: { auditId: boolean }): string | undefined {
  const action = sent as Partial<Record<keyof StaffAction, unknown>> | null;
  if (typeof action !== 'object' || action === null) return 'a staff decision is an object with by and reason';
  if (typeof action.by !== 'string' || !action.by.startsWith('staff:')) return 'by must name the staff member who decided (staff:<name>)';
  if (typeof action.reason !== 'string' || !action.reason.trim()) return 'reason must say why';
  if (opts.auditId && (typeof action.auditId !== 'string' || !/^[1-9]\d{0,18}$/.test(action.auditId)))
    return 'auditId must name the audit entry the decision was recorded under';
  return undefined;
}
