import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpProblem } from './problem';

/** How a workflow's refusal (an Update validator or handler failure type) reads over HTTP. */
const STATUS_BY_FAILURE_TYPE: Record<string, number> = {
  InvalidInput: 400,
  NotMagicNumber: 400,
  NotInStep: 409,
  AttemptsExhausted: 409,
  Cooldown: 429,
  TooManyVerifications: 429,
};

/** A refusal that says when to come back (`details: [{ retryAfterSeconds }]`) becomes a Retry-After header. */
function retryAfterOf(failure: ApplicationFailure): Record<string, string> {
  const seconds = (failure.details?.[0] as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' ? { 'Retry-After': String(seconds) } : {};
}

/** Runs a call on a workflow, turning Temporal's answers into the API's problems. */
export async function onWorkflow<T>(subject: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5 /* gRPC NOT_FOUND */) {
      throw new HttpProblem(404, 'Not found', `No ${subject}.`);
    }
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const status = STATUS_BY_FAILURE_TYPE[err.cause.type ?? ''] ?? 422;
      throw new HttpProblem(status, err.cause.type ?? 'Refused', err.cause.message, {}, retryAfterOf(err.cause));
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new HttpProblem(503, 'Service unavailable', 'The workflow did not answer in time; try again.', {}, { 'Retry-After': '2' });
    }
    throw err;
  }
}
