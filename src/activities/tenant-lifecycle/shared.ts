import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/knex';

export interface TenantRow {
  id: string;
  slug: string;
  business_name: string;
  owner_phone: string;
  area_code_preference: string | null;
}

/** The tenant's row; a tenant that does not exist fails the activity for good. */
export async function tenantOf(db: Db, tenantId: string): Promise<TenantRow> {
  const row = await db<TenantRow>('tenants').where({ id: tenantId }).first();
  if (!row) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} does not exist`, 'TenantNotFound');
  return row;
}
