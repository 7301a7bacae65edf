import type { Db } from './knex';
import type { RateMeasurement } from '../domain/escalation-ladder';
import type { CampaignFigures } from '../domain/monitor-advice';
import type { JudgedSince } from '../workflows/tenant-monitor/definitions';

/**
 * The rolling traffic counters PostgreSQL keeps by trigger (tenant_traffic_counters,
 * campaign_traffic_counters, tenant_error_counters: one small row per tenant, hour and shard),
 * read by the tenant monitor: a few hundred rows per tenant, whatever its message count.
 */
export interface TenantRates {
  measurements: RateMeasurement[];
  /** Refused, failed and undelivered messages by Twilio error code, over the longest window. */
  errorCodes: Array<{ code: number; n: number }>;
  /** The campaigns behind the most errors and the most opt-outs, over the longest window (absent in results recorded before attribution). */
  campaigns?: CampaignFigures[];
}

/** The tenant's counts so far in the current hour (PostgreSQL's clock). */
export async function countsThisHour(db: Db, tenantId: string): Promise<JudgedSince> {
  const { rows } = await db.raw<{ rows: Array<{ hour: Date; delivered: string | null; errors: string | null; opt_outs: string | null }> }>(
    `SELECT date_trunc('hour', now()) AS hour, sum(delivered) AS delivered, sum(undelivered + failed + refused) AS errors, sum(opt_outs) AS opt_outs
     FROM tenant_traffic_counters WHERE tenant_id = ? AND hour = date_trunc('hour', now())`,
    [tenantId],
  );
  const r = rows[0];
  return { hour: r.hour.toISOString(), delivered: Number(r.delivered ?? 0), errors: Number(r.errors ?? 0), optOuts: Number(r.opt_outs ?? 0) };
}

/**
 * Sums the tenant's hourly counters over each window: a few hundred rows, never its
 * messages. With `since`, hours before it are left out and its own hour counts net.
 */
export async function measureTenantRates(db: Db, tenantId: string, windowsHours: number[], since?: JudgedSince): Promise<TenantRates> {
  const longest = Math.max(...windowsHours);
  const floor = since ? `AND hour >= '${new Date(since.hour).toISOString()}'::timestamptz` : '';
  const sums = windowsHours
    .map((h, i) => {
      const inWindow = `hour > now() - interval '${h + 1} hours'`;
      return `sum(delivered) FILTER (WHERE ${inWindow}) AS delivered_${i}, sum(undelivered + failed + refused) FILTER (WHERE ${inWindow}) AS errors_${i}, sum(opt_outs) FILTER (WHERE ${inWindow}) AS opt_outs_${i}, bool_or(${inWindow} AND hour = ${since ? `'${new Date(since.hour).toISOString()}'::timestamptz` : 'NULL'}) AS since_in_${i}`;
    })
    .join(', ');
  // One round trip: the window sums, the top error codes, and the campaigns behind the most
  // errors and the most opt-outs (five of each; from the decision's hour on, when there was one).
  const { rows } = await db.raw<{
    rows: Array<Record<string, string | boolean | null> & { error_codes: Array<{ code: number; n: number }> | null; campaigns: CampaignFigures[] | null }>;
  }>(
    `SELECT ${sums},
       (SELECT json_agg(e) FROM (SELECT error_code AS code, sum(n)::int AS n FROM tenant_error_counters
          WHERE tenant_id = ? AND hour > now() - interval '${longest + 1} hours' ${floor} GROUP BY error_code ORDER BY sum(n) DESC LIMIT 10) e) AS error_codes,
       (SELECT json_agg(json_build_object('campaignId', k.id, 'name', k.name, 'sent', f.sent, 'refused', f.refused, 'delivered', f.delivered, 'errors', f.errors, 'optOuts', f.opt_outs) ORDER BY f.errors + f.opt_outs DESC, k.name)
          FROM (SELECT campaign_id, sum(sent)::int AS sent, sum(refused)::int AS refused, sum(delivered)::int AS delivered, sum(refused + undelivered + failed)::int AS errors, sum(opt_outs)::int AS opt_outs,
                       row_number() OVER (ORDER BY sum(refused + undelivered + failed) DESC) AS by_errors, row_number() OVER (ORDER BY sum(opt_outs) DESC) AS by_opt_outs
                FROM campaign_traffic_counters WHERE tenant_id = ? AND hour > now() - interval '${longest + 1} hours' ${floor} GROUP BY campaign_id) f
          JOIN campaigns k ON k.id = f.campaign_id WHERE f.by_errors <= 5 OR f.by_opt_outs <= 5) AS campaigns
     FROM tenant_traffic_counters WHERE tenant_id = ? AND hour > now() - interval '${longest + 1} hours' ${floor}`,
    [tenantId, tenantId, tenantId],
  );
  const row = rows[0] ?? {};
  const n = (v: unknown) => Number(v ?? 0);
  const measurements = windowsHours.flatMap((h, i): RateMeasurement[] => {
    const window = h % 24 === 0 ? `${h / 24}d` : `${h}h`;
    // The decision's hour is in this window: what it held before the decision is not judged.
    const net = since && row[`since_in_${i}`] === true ? since : { delivered: 0, errors: 0, optOuts: 0 };
    const delivered = n(row[`delivered_${i}`]) - net.delivered;
    const errors = n(row[`errors_${i}`]) - net.errors;
    return [
      { metric: 'errorRate', window, numerator: errors, denominator: delivered + errors },
      { metric: 'optOutRate', window, numerator: n(row[`opt_outs_${i}`]) - net.optOuts, denominator: delivered },
    ];
  });
  return { measurements, errorCodes: rows[0]?.error_codes ?? [], campaigns: rows[0]?.campaigns ?? [] };
}
