import type { Db } from './knex';

/**
 * What the relay sends a tenant's messages as: its brand, its time zone, its newest sending
 * number and that number's limits, and the Messaging Service of its approved 10DLC
 * registration (null without one).
 */
export interface SenderProfile {
  business_name: string;
  time_zone: string;
  phone_number: string;
  mps: number;
  daily_cap: number | null;
  messaging_service_sid: string | null;
}

/** The tenant's sender profile; undefined while it holds no number. */
export function senderProfile(db: Db, tenantId: string): Promise<SenderProfile | undefined> {
  return db('tenants as t')
    .join('tenant_phone_numbers as n', function () {
      this.on('n.tenant_id', 't.id').andOnNull('n.released_at');
    })
    .leftJoin('carrier_registrations as r', function () {
      this.on('r.tenant_id', 't.id').andOnVal('r.kind', '10dlc').andOnVal('r.state', 'approved');
    })
    .where('t.id', tenantId)
    .orderBy('n.granted_at', 'desc')
    .first<SenderProfile | undefined>('t.business_name', 't.time_zone', 'n.phone_number', 'n.mps', 'n.daily_cap', 'r.messaging_service_sid');
}

/** The tenant's standing for a campaign gate: its lifecycle status and its sending state under the monitor. */
export function tenantStanding(db: Db, tenantId: string): Promise<{ status: string; sending_state: string }> {
  return db('tenants').where({ id: tenantId }).first<{ status: string; sending_state: string }>('status', 'sending_state');
}

/** The countries the tenant may text. */
export async function destinationCountries(db: Db, tenantId: string): Promise<string[]> {
  const tenant = await db('tenants').where({ id: tenantId }).first<{ destination_countries: string[] }>('destination_countries');
  return tenant.destination_countries;
}
