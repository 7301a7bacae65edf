import type { ComponentChildren, VNode } from 'preact';
import { html } from 'htm/preact';
import { session } from '../session';

/** The run of `workflowId` in the Temporal UI, or undefined when the UI's address is not configured. */
export function temporalRunUrl(workflowId: string): string | undefined {
  const base = session.value?.temporalUiUrl;
  return base ? `${base}/workflows/${encodeURIComponent(workflowId)}` : undefined;
}

/** A link to a workflow's run in the Temporal UI (opens in a new tab); plain text when there is no UI address. */
export function TemporalLink({ workflowId, children }: { workflowId: string; children?: ComponentChildren }): VNode {
  const url = temporalRunUrl(workflowId);
  const label = children ?? `${workflowId} in Temporal`;
  if (!url) return html`<span>${label}</span>`;
  return html`<a href=${url} target="_blank" rel="noopener noreferrer">${label}<span class="visually-hidden"> (opens in a new tab)</span></a>`;
}
