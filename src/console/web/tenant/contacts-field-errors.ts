import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { ApiError } from '../api';

/**
 * The API's per-field errors (problem+json `errors`: `{ field: 'contacts.0.consent.source', message }`)
 * keyed by the field's path below `prefix` ('contacts.0.' for the add form), so each is shown
 * under its own input.
 */
export function fieldErrorsOf(error: unknown, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (!(error instanceof ApiError) || !Array.isArray(error.problem.errors)) return found;
  for (const e of error.problem.errors as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof e.field !== 'string' || typeof e.message !== 'string') continue;
    // `contacts[0].assignedUser` (a restricted user's refusal) is the same field as `contacts.0.assignedUser`.
    const field = e.field.replace(/\[(\d+)\]/g, '.$1');
    if (field.startsWith(prefix)) found.set(field.slice(prefix.length), e.message);
  }
  return found;
}

/** The attributes that tie an input to its error: aria-invalid and aria-describedby. */
export function invalidIf(errors: Map<string, string>, field: string, id: string): Record<string, string | undefined> {
  return errors.has(field) ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {};
}

/** The error under an input (its id is what `invalidIf` points the input to). */
export function FieldError({ errors, field, id }: { errors: Map<string, string>; field: string; id: string }): VNode | null {
  const message = errors.get(field);
  return message ? html`<small id=${`${id}-error`} class="field-error">${message}</small>` : null;
}
