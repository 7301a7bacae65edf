import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { Link } from '../routing';

/** `/staff`: where each staff page is and what it is for. */
export function StaffHome(): VNode {
  return html`<ul>
    <li><${Link} to="/staff/reviews">Review queue<//>: onboarding and monitor cases waiting for a decision, with the evidence.</li>
    <li><${Link} to="/staff/tenants">Tenants<//>: each tenant's rates against the ladder's thresholds, campaigns, usage; suspend or reinstate.</li>
    <li><${Link} to="/staff/audit">Audit log<//>: every decision and change, newest first.</li>
  </ul>`;
}
