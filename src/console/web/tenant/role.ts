import type { VNode } from 'preact';
import { html } from 'htm/preact';
import { tenantRoleMay, TENANT_ROLES, type TenantAction, type TenantRole } from '../../../domain/permissions';
import { session } from '../session';

/**
 * Whether the signed-in tenant key's role may take `action`, by the API's own permission table
 * (src/domain/permissions.ts, bundled in): the console hides what the role may not do, and the
 * API refuses it anyway.
 */
export function tenantMay(action: TenantAction): boolean {
  const role = session.value?.role;
  return session.value?.kind === 'tenant' && isTenantRole(role) && tenantRoleMay(role, action);
}

const isTenantRole = (role: string | undefined): role is TenantRole => (TENANT_ROLES as readonly string[]).includes(role ?? '');

/** The signed-in tenant's id (tenant pages are shown only to tenant sessions). */
export function tenantIdOfSession(): string {
  return session.value?.tenantId ?? '';
}

/** What a page says instead of itself to a role that may not use it (under the page's own heading). */
export function NotForYourRole({ why }: { why: string }): VNode {
  return html`<article class="not-allowed">
    <p><strong>Not available with your role.</strong> ${why}</p>
  </article>`;
}
