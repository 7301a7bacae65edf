import type { VNode } from 'preact';
import { html } from 'htm/preact';

/** Placeholder until the tenant pages land. */
export function TenantHome(): VNode {
  return html`<p>Tenant pages (onboarding, campaigns, reports, replies) will be listed in the navigation.</p>`;
}
