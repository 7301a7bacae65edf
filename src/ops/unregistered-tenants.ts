import type { Knex } from 'knex';

export interface UnregisteredTenant {
  id: string;
  businessName: string;
}

/**
 * Active tenants with no carrier registration: activated before the lifecycle registered
 * tenants (issue 14), so no carrier_registrations row, or only details that no registration
 * ever used (nothing submitted, still `starting`). They keep sending; staff start one for each.
 */
export async function activeTenantsWithoutRegistration(db: Knex, opts: { only?: string[] } = {}): Promise<UnregisteredTenant[]> {
  return db('tenants as t')
    .leftJoin('carrier_registrations as r', 'r.tenant_id', 't.id')
    .where('t.lifecycle_step', 'active')
    .where(
      (q) =>
        void q
          .whereNull('r.tenant_id')
          .orWhere((started) => void started.where('r.state', 'starting').whereNull('r.customer_profile_sid').whereNull('r.tollfree_verification_sid')),
    )
    .modify((q) => {
      if (opts.only) void q.whereIn('t.id', opts.only);
    })
    .orderBy('t.created_at', 'asc')
    .select<UnregisteredTenant[]>('t.id', 't.business_name as businessName');
}

/** What `npm start` prints about them (nothing when every active tenant is registered); at most `shown` named. */
export function unregisteredTenantsReport(tenants: UnregisteredTenant[], shown = 20): string[] {
  if (!tenants.length) return [];
  const more = tenants.length > shown ? [`  … and ${tenants.length - shown} more`] : [];
  return [
    `${tenants.length} active tenant(s) have no carrier registration; they keep sending. Staff start one with POST /v1/compliance/tenants/<id>/registration:`,
    ...tenants.slice(0, shown).map((t) => `  ${t.id}  ${t.businessName}`),
    ...more,
  ];
}
