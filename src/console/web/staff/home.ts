import type { VNode } from 'preact';
import { html } from 'htm/preact';

/** Placeholder until the staff pages land. */
export function StaffHome(): VNode {
  return html`<p>Staff pages (review queue, tenants, audit log) will be listed in the navigation.</p>`;
}
