import type { Knex } from 'knex';
import { HttpProblem } from './problem';

export interface SendingSettings {
  tenantId: string;
  relayCadenceMinutes: number;
  timeZone: string;
  destinationCountries: string[];
  /** The tenant's current numbers and the throughput staff allow each. */
  senders: Array<{ phoneNumber: string; mps: number }>;
}

/** What governs a tenant's sending, as the tenant and staff both see it; 404 for no such tenant. */
export async function sendingSettingsOf(db: Knex | Knex.Transaction, tenantId: string): Promise<SendingSettings> {
  const tenant = await db('tenants')
    .where({ id: tenantId })
    .first<{ relay_cadence_minutes: number; time_zone: string; destination_countries: string[] } | undefined>('relay_cadence_minutes', 'time_zone', 'destination_countries');
  if (!tenant) throw new HttpProblem(404, 'Not found', `No tenant ${tenantId}.`);
  const senders = await db('tenant_phone_numbers').where({ tenant_id: tenantId }).whereNull('released_at').orderBy('granted_at').select<Array<{ phone_number: string; mps: number }>>('phone_number', 'mps');
  return {
    tenantId,
    relayCadenceMinutes: tenant.relay_cadence_minutes,
    timeZone: tenant.time_zone,
    destinationCountries: tenant.destination_countries,
    senders: senders.map((s) => ({ phoneNumber: s.phone_number, mps: s.mps })),
  };
}
