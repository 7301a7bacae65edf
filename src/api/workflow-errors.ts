import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpProblem } from './problem';
import { REFUSAL_HTTP_STATUS } from '../workflows/shared-definitions';

/** How a workflow's refusal (an Update validator or handler failure type) reads over HTTP; one the map does not name is a 422. */
const statusOfRefusal = (type: string | null | undefined): number => (REFUSAL_HTTP_STATUS as Record<string, number | undefined>)[type ?? ''] ?? 422;

/** A refusal that says when to come back (`details: [{ retryAfterSeconds }]`) becomes a Retry-After header. */
function retryAfterOf(failure: ApplicationFailure): Record<string, string> {
  const seconds = (failure.details?.[0] as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' ? { 'Retry-After': String(seconds) } : {};
}

const isNotFound = (err: unknown) => err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5; /* gRPC NOT_FOUND */

/**
 * Whether a failed call certainly did nothing in the workflow: an Update it refused (validator
 * or handler), or no workflow to receive it. Timeouts and lost connections are not: the call may
 * have gone through.
 */
export function definiteRefusal(err: unknown): { type: string; message: string } | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure)
    return { type: err.cause.type ?? 'Refused', message: err.cause.message };
  if (isNotFound(err)) return { type: 'NotFound', message: 'no running workflow to take it' };
  return undefined;
}

/** Runs a call on a workflow, turning Temporal's answers into the API's problems. */
export async function onWorkflow<T>(subject: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isNotFound(err)) {
      throw new HttpProblem(404, 'Not found', `No ${subject}.`);
    }
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const status = statusOfRefusal(err.cause.type);
      throw new HttpProblem(status, err.cause.type ?? 'Refused', err.cause.message, {}, retryAfterOf(err.cause));
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new HttpProblem(503, 'Service unavailable', 'The workflow did not answer in time; try again.', {}, { 'Retry-After': '2' });
    }
    throw err;
  }
}
