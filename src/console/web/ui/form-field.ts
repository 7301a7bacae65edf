import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { ApiError } from '../api';

/** The API's validation errors (`errors: [{ field, message }]`) by field path, e.g. `business.ein`. */
export type FieldErrors = ReadonlyMap<string, string>;

export const NO_FIELD_ERRORS: FieldErrors = new Map();

/** The field errors of a 400 problem; an item of a list (`sampleMessages.1`) is filed under the list. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const listed = error instanceof ApiError ? error.problem.errors : undefined;
  if (!Array.isArray(listed)) return NO_FIELD_ERRORS;
  const byField = new Map<string, string>();
  for (const item of listed as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof item.field !== 'string' || typeof item.message !== 'string') continue;
    const field = item.field.replace(/\.\d+$/, '');
    // zod's words for a field left empty (the form leaves empty fields out of the body).
    const message = /received undefined$/.test(item.message) ? 'is required' : item.message;
    byField.set(field, byField.has(field) ? `${byField.get(field)}; ${message}` : message);
  }
  return byField;
}

export interface FormFieldProps {
  label: string;
  /** The field's path in the request body (`contact.email`); the form builds the body from these names. */
  name: string;
  errors: FieldErrors;
  /** An input's type; `textarea` and `select` give those elements. */
  type?: string;
  /** For a select: [value, words] pairs. */
  options?: ReadonlyArray<readonly [string, string]>;
  help?: string;
  required?: boolean;
  /** The initial value: the page re-renders while it polls, and what was typed stays. */
  value?: string;
  placeholder?: string;
  autocomplete?: string;
  rows?: number;
  inputmode?: string;
}

/** A labelled field with its help and, after a refused submission, the API's message for it (linked with aria-describedby). */
export function FormField(props: FormFieldProps): VNode {
  const { label, name, errors, type = 'text', options, help, required, value, placeholder, autocomplete, rows, inputmode } = props;
  const id = `field-${name.replace(/\./g, '-')}`;
  const error = errors.get(name);
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name, required, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy };
  const control =
    type === 'select'
      ? html`<select ...${common}>
          ${(options ?? []).map(([v, words]) => html`<option value=${v} selected=${v === value}>${words}</option>`)}
        </select>`
      : type === 'textarea'
        ? html`<textarea ...${common} rows=${rows ?? 3} placeholder=${placeholder} defaultValue=${value}></textarea>`
        : html`<input ...${common} type=${type} defaultValue=${value} placeholder=${placeholder} autocomplete=${autocomplete} inputmode=${inputmode} />`;
  return html`<div class="form-field">
    <label for=${id}>${label}${required ? '' : html` <small>(optional)</small>`}</label>
    ${control} ${error ? html`<small id=${`${id}-error`} class="field-error">${label}: ${error}</small>` : null}
    ${help ? html`<small id=${`${id}-help`}>${help}</small>` : null}
  </div>`;
}

/** A form's named fields as the nested body the API takes (`contact.email` → `{ contact: { email } }`); empty ones are left out. */
export function nestedFields(form: HTMLFormElement, prefix = ''): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of new FormData(form).entries()) {
    if (typeof value !== 'string' || value.trim() === '' || !name.startsWith(prefix)) continue;
    const path = name.slice(prefix.length).split('.');
    let at = body;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]] = value.trim();
  }
  return body;
}
