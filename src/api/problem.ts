import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { redactPhoneNumbersIn } from '../domain/redaction';

/** RFC 9457 problem details: every API error has this shape and `application/problem+json`. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** For validation failures: which field, and what is wrong with it. */
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Where a request carries a field: its body, unless said otherwise. */
export type InputLocation = 'body' | 'query' | 'path';

export interface FieldError {
  field: string;
  message: string;
  /** Set when the field is not in the body: `query` names a query parameter. */
  in?: Exclude<InputLocation, 'body'>;
}

/** Input refused before anything is done with it: a 400 naming each field and where it is. */
export class InvalidInput extends Error {
  constructor(
    readonly errors: FieldError[],
    readonly where: InputLocation = 'body',
  ) {
    super(`invalid ${where}: ${errors.map((e) => e.field).join(', ')}`);
    this.name = 'InvalidInput';
  }
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    /** Response headers that belong with this problem (WWW-Authenticate, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }
}

const PROBLEM_TYPE_BASE = 'https://clearsend.dev/problems/';

export function fieldErrorsOf(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message }));
}

export function problemFromZod(err: ZodError, where: InputLocation = 'body'): ProblemBody {
  return validationProblem(fieldErrorsOf(err), where);
}

function validationProblem(errors: FieldError[], where: InputLocation): ProblemBody {
  const detail =
    where === 'query'
      ? `The query string has ${errors.length} invalid parameter(s): ${errors.map((e) => e.field).join(', ')}.`
      : `The request ${where} has ${errors.length} invalid field(s).`;
  return {
    type: `${PROBLEM_TYPE_BASE}validation`,
    title: 'Invalid request',
    status: 400,
    detail,
    errors: where === 'body' ? errors : errors.map((e) => ({ ...e, in: where })),
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, {
    type: `${PROBLEM_TYPE_BASE}not-found`,
    title: 'Not found',
    status: 404,
    detail: `No route for ${req.method} ${redactPhoneNumbersIn(req.path)}`,
  });
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof HttpProblem) res.set(err.headers);
    sendProblem(res, toProblem(err, log));
  };
}

function toProblem(err: unknown, log: Logger): ProblemBody {
  if (err instanceof HttpProblem) {
    const slug = err.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    return { type: `${PROBLEM_TYPE_BASE}${slug}`, title: err.title, status: err.status, detail: err.detail, ...err.extensions };
  }
  if (err instanceof InvalidInput) return validationProblem(err.errors, err.where);
  if (err instanceof ZodError) return problemFromZod(err);
  // body-parser errors (malformed JSON, too large, wrong charset) carry a 4xx status.
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { type: `${PROBLEM_TYPE_BASE}bad-request`, title: 'Bad request', status, detail: bodyParserDetail(err as Error & { type?: string }) };
  }
  log.error({ err }, 'unhandled error');
  return { type: `${PROBLEM_TYPE_BASE}internal`, title: 'Internal server error', status: 500 };
}

/** What a body parser's refusal says: a JSON parser's own message quotes the body it could not read. */
function bodyParserDetail(err: Error & { type?: string }): string {
  if (err.type === 'entity.parse.failed') return 'The request body is not valid JSON.';
  return redactPhoneNumbersIn(err.message);
}

/**
 * Problems name what is wrong, never a phone number: `detail` passes through the redaction once
 * more, whatever built it. (Each error's `message` does not: validation messages never quote the
 * value, and some cite an example number or a limit of many digits on purpose.)
 */
export function sendProblem(res: Parameters<RequestHandler>[1], problem: ProblemBody): void {
  const said = problem.detail === undefined ? problem : { ...problem, detail: redactPhoneNumbersIn(problem.detail) };
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(said));
}
