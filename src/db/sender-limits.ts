import type { Knex } from 'knex';
import type { Db } from './knex';
import { recordAudit } from './audit';
import type { RegisteredThroughput } from '../domain/registered-throughput';

/** A sender's limits as the relay obeys them, and the registration's ceiling over them. */
export interface SenderLimits {
  phoneNumber: string;
  mps: number;
  /** Segments per Pacific day; null: none. */
  dailyCap: number | null;
  /** The registration's class, once one is approved. */
  throughputClass: string | null;
  /** What staff may not raise the limits above; null: no approved registration. */
  ceiling: { mps: number; dailyCap: number | null } | null;
}

interface Row {
  phone_number: string;
  mps: number;
  daily_cap: number | null;
  throughput_class: string | null;
  registered_mps: number | null;
  registered_daily_cap: number | null;
}
const COLUMNS = ['phone_number', 'mps', 'daily_cap', 'throughput_class', 'registered_mps', 'registered_daily_cap'] as const;

const limitsOf = (r: Row): SenderLimits => ({
  phoneNumber: r.phone_number,
  mps: r.mps,
  dailyCap: r.daily_cap,
  throughputClass: r.throughput_class,
  ceiling: r.registered_mps === null ? null : { mps: r.registered_mps, dailyCap: r.registered_daily_cap },
});

/** The tenant's current numbers and their limits, oldest first. */
export async function senderLimitsOf(db: Db | Knex.Transaction, tenantId: string): Promise<SenderLimits[]> {
  const rows = await db('tenant_phone_numbers').where({ tenant_id: tenantId }).whereNull('released_at').orderBy('granted_at').select<Row[]>(COLUMNS);
  return rows.map(limitsOf);
}

/** One current number of the tenant, locked for a change of its limits; undefined when it has no such number. */
export async function lockedSenderLimits(trx: Knex.Transaction, tenantId: string, phoneNumber: string): Promise<SenderLimits | undefined> {
  const row = await trx('tenant_phone_numbers')
    .where({ tenant_id: tenantId, phone_number: phoneNumber })
    .whereNull('released_at')
    .forUpdate()
    .first<Row | undefined>(COLUMNS);
  return row && limitsOf(row);
}

export async function updateSenderLimits(trx: Knex.Transaction, tenantId: string, phoneNumber: string, limits: { mps: number; dailyCap: number | null }) {
  await trx('tenant_phone_numbers')
    .where({ tenant_id: tenantId, phone_number: phoneNumber })
    .whereNull('released_at')
    .update({ mps: limits.mps, daily_cap: limits.dailyCap });
}

/**
 * An approved registration's class becomes every current number's limits and ceiling, each
 * change audited (`sender.throughput_registered`). Run again with the same class (a retried
 * activity) it changes and records nothing. Answers the numbers whose limits changed.
 */
export async function applyRegisteredThroughput(db: Db, tenantId: string, throughput: RegisteredThroughput, registration: string): Promise<string[]> {
  return db.transaction(async (trx) => {
    const rows = await trx('tenant_phone_numbers').where({ tenant_id: tenantId }).whereNull('released_at').forUpdate().select<Row[]>(COLUMNS);
    const changed: string[] = [];
    for (const row of rows) {
      const before = limitsOf(row);
      const same =
        before.mps === throughput.mps &&
        before.dailyCap === throughput.dailyCap &&
        before.throughputClass === throughput.throughputClass &&
        before.ceiling?.mps === throughput.mps &&
        before.ceiling?.dailyCap === throughput.dailyCap;
      if (same) continue;
      await trx('tenant_phone_numbers').where({ tenant_id: tenantId, phone_number: row.phone_number }).whereNull('released_at').update({
        mps: throughput.mps,
        daily_cap: throughput.dailyCap,
        throughput_class: throughput.throughputClass,
        registered_mps: throughput.mps,
        registered_daily_cap: throughput.dailyCap,
      });
      await recordAudit(trx, {
        actor: registration,
        actorKind: 'system',
        tenantId,
        action: 'sender.throughput_registered',
        details: {
          phoneNumber: row.phone_number,
          throughputClass: throughput.throughputClass,
          from: { mps: before.mps, dailyCap: before.dailyCap },
          to: { mps: throughput.mps, dailyCap: throughput.dailyCap },
        },
      });
      changed.push(row.phone_number);
    }
    return changed;
  });
}

/**
 * The sender's segments so far in the current Pacific day (T-Mobile's day), counting rows in
 * flight as well as sent ones (a row whose body is not yet written as one segment), and when
 * the next day begins.
 */
export async function senderDayUsage(db: Db, sender: string): Promise<{ segments: number; resetsAt: Date }> {
  const { rows } = await db.raw<{ rows: Array<{ segments: number; resets_at: Date }> }>(
    `WITH day AS (SELECT date_trunc('day', now() AT TIME ZONE 'America/Los_Angeles') AS local_start)
     SELECT (SELECT COALESCE(SUM(COALESCE(o.segments, 1)), 0) FROM outbox o
             WHERE o.from_number = ? AND o.status IN ('sending', 'sent') AND o.claimed_at >= (day.local_start AT TIME ZONE 'America/Los_Angeles'))::int AS segments,
            (day.local_start + interval '1 day') AT TIME ZONE 'America/Los_Angeles' AS resets_at
     FROM day`,
    [sender],
  );
  return { segments: rows[0].segments, resetsAt: rows[0].resets_at };
}
