import type { VNode } from 'preact';
import { html } from 'htm/preact';

/** A busy indicator that screen readers announce politely (Pico animates aria-busy). */
export function Loading({ label = 'Loading…' }: { label?: string }): VNode {
  return html`<p aria-busy="true" role="status">${label}</p>`;
}
