import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { findUnstorableText, type UnstorableText } from '../domain/storable-text';
import { fieldErrorsOf, InvalidInput, type FieldError, type InputLocation } from './problem';

/** `req.query` through a schema; a failure is a 400 that names each query parameter as one. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new InvalidInput(fieldErrorsOf(parsed.error), 'query');
  return parsed.data;
}

const WHY: Record<UnstorableText['reason'], string> = {
  nul: 'must not contain NUL characters (U+0000)',
  unpaired_surrogate: 'must be valid Unicode text (it holds an unpaired UTF-16 surrogate)',
};

function fieldErrorOf(found: UnstorableText, value: unknown): FieldError {
  if (found.path.length) return { field: found.path.join('.'), message: WHY[found.reason] };
  // The whole value is one string (a CSV upload): say which line, as a CSV reader would.
  const line = typeof value === 'string' ? value.slice(0, found.offset).split('\n').length : 1;
  return { field: '(root)', message: `${WHY[found.reason]}; the first is on line ${line}` };
}

/** A 400 naming every field of `value` (a body, query or path) that PostgreSQL could not store as sent. */
export function requireStorable(value: unknown, where: InputLocation): void {
  const found = findUnstorableText(value);
  if (found.length)
    throw new InvalidInput(
      found.map((f) => fieldErrorOf(f, value)),
      where,
    );
}

/** The path's segments as routes see them (`%00` decoded); one that does not decode is the router's to refuse. */
function pathSegments(originalUrl: string): string[] {
  return originalUrl
    .split('?')[0]
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return '';
      }
    });
}

/**
 * Refuses a request whose body, query or path holds text PostgreSQL cannot store, before any
 * route reads it: one check for every route, where a field-by-field schema rule would be
 * forgotten on the next field. Mounted after the app's body parsers; a route with a body parser
 * of its own (CSV upload) and the Twilio webhooks (after their signature check) call
 * requireStorable themselves. Like malformed JSON, this is answered before authentication.
 */
export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  requireStorable(req.body, 'body');
  requireStorable(req.query, 'query');
  const [inPath] = findUnstorableText(pathSegments(req.originalUrl));
  if (inPath) throw new InvalidInput([{ field: 'path', message: WHY[inPath.reason] }], 'path');
  next();
};
