import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import type { Config } from '../../config';
import { monitorPolicyOf } from '../../domain/monitor-policy';
import { HttpProblem } from '../problem';
import { parseQuery } from '../request-input';

const tenantIdParam = z.uuid({ error: 'must be a tenant id (UUID)' });
/** Hours back from now; a week by default, 90 days at most (the monitor's longest window). */
const ratesQuery = z.object({ hours: z.coerce.number().int().min(1).max(2160).default(168) }).strict();

/** The thresholds the monitor judges by: the policy its `monitorPolicy` activity answers. */
function ladderThresholdsOf(config: Config) {
  const { errorRate, optOutRate, minVolume, windowsHours } = monitorPolicyOf(config);
  return { errorRate, optOutRate, minVolume, windowsHours };
}

interface HourRow {
  hour: Date;
  delivered: number;
  errors: number;
  opt_outs: number;
}

/**
 * `GET /v1/compliance/tenants/:id/rates?hours=168` (staff, audited as every staff read): the
 * tenant's error and opt-out rates hour by hour from the counters the monitor reads, every hour
 * of the range present (an hour without traffic has no rate), with the ladder's thresholds and
 * its moves in the range, so the console draws what the monitor judges by.
 */
export function staffTenantRateRoutes({ db, config }: Pick<ApiDeps, 'db' | 'config'>): Router {
  const router = Router();
  router.get('/v1/compliance/tenants/:id/rates', async (req, res) => {
    const tenantId = tenantIdParam.parse(req.params.id);
    const { hours } = parseQuery(ratesQuery, req.query);
    const tenant = await db('tenants').where({ id: tenantId }).first<{ id: string } | undefined>('id');
    if (!tenant) throw new HttpProblem(404, 'Not found', `No tenant ${tenantId}.`);
    const { rows } = await db.raw<{ rows: HourRow[] }>(
      `SELECT h.hour, coalesce(sum(c.delivered), 0)::int AS delivered, coalesce(sum(c.undelivered + c.failed + c.refused), 0)::int AS errors,
              coalesce(sum(c.opt_outs), 0)::int AS opt_outs
       FROM generate_series(date_trunc('hour', now()) - make_interval(hours => ?), date_trunc('hour', now()), interval '1 hour') AS h(hour)
       LEFT JOIN tenant_traffic_counters c ON c.tenant_id = ? AND c.hour = h.hour
       GROUP BY h.hour ORDER BY h.hour`,
      [hours - 1, tenantId],
    );
    const from = rows[0].hour;
    const moves: unknown[] = await db('monitor_moves')
      .where({ tenant_id: tenantId })
      .andWhere('at', '>=', from)
      .orderBy('seq')
      .select('seq', 'from_state as from', 'to_state as to', 'why', 'actor', 'reason', 'at');
    res.json({
      tenantId,
      from: from.toISOString(),
      bucket: 'hour',
      thresholds: ladderThresholdsOf(config),
      points: rows.map((r) => ({
        hour: r.hour.toISOString(),
        delivered: r.delivered,
        errors: r.errors,
        optOuts: r.opt_outs,
        // The monitor's definitions: errors over final messages, opt-outs over deliveries.
        errorRate: r.delivered + r.errors > 0 ? r.errors / (r.delivered + r.errors) : null,
        optOutRate: r.delivered > 0 ? r.opt_outs / r.delivered : null,
      })),
      moves,
    });
  });
  return router;
}
