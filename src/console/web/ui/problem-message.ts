import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { ApiError } from '../api';

/** What went wrong, announced to screen readers (role="alert"): an ApiError's title and detail, or any error's message. */
export function ProblemMessage({ error }: { error: unknown }): VNode | null {
  if (error === undefined || error === null) return null;
  const { title, detail } = describe(error);
  return html`<article class="problem" role="alert">
    <strong>${title}</strong>
    ${detail ? html`<p>${detail}</p>` : null}
  </article>`;
}

function describe(error: unknown): { title: string; detail?: string } {
  if (error instanceof ApiError) return { title: error.problem.title ?? `Request failed (HTTP ${error.status})`, detail: error.problem.detail };
  if (error instanceof Error) return { title: 'Something went wrong', detail: error.message };
  return { title: 'Something went wrong', detail: String(error) };
}
