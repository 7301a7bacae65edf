/**
 * Monitor evaluation cost: `rows` delivery-status rows (default 10,000,000) over `tenants`
 * tenants (default 1,000), spread over eight days, written through the real schema so the
 * triggers keep the rolling counters as the webhook's writes do. Then every tenant is
 * evaluated once with the monitor's own query (`measureTenantRates`), against the same rates
 * computed by scanning each tenant's message rows, in the same run.
 */
import { randomBytes } from 'node:crypto';
import { createDb } from '../src/db/knex';
import { dropDatabase } from '../src/db/ensure-database';
import { migrateToLatest } from '../src/db/migrate';
import { measureTenantRates } from '../src/db/traffic-counters';

const WINDOWS_HOURS = [168, 24];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function run(args: string[]) {
  const rows = Number(args[0] ?? 10_000_000);
  const tenantCount = Number(args[1] ?? 1000);
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/clearsend_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await migrateToLatest(databaseUrl);
  const db = createDb(databaseUrl);
  try {
    const tenantIds = (
      await db('tenants')
        .insert(Array.from({ length: tenantCount }, (_, i) => ({ slug: `bench-${i}`, business_name: `Bench tenant ${i}` })))
        .returning<Array<{ id: string }>>('id')
    ).map((t) => t.id);

    // Four connections at once, as concurrent webhook requests are: the counters' shards fill as in production.
    const CHUNK = 250_000;
    let next = 0;
    const loadStarted = Date.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < rows) {
          const from = next;
          next += CHUNK;
          const to = Math.min(rows, from + CHUNK) - 1;
          // ~2 % undelivered and ~1 % failed; final statuses spread over the last eight days.
          await db.raw(
            `INSERT INTO delivery_statuses (message_sid, tenant_id, status, error_code, updated_at)
             SELECT 'SM' || md5(g::text), (?::uuid[])[1 + g % ?],
                    CASE WHEN g % 50 = 0 THEN 'undelivered' WHEN g % 97 = 0 THEN 'failed' ELSE 'delivered' END,
                    CASE WHEN g % 50 = 0 THEN 30003 WHEN g % 97 = 0 THEN 30007 END,
                    now() - (g % 11520) * interval '1 minute'
             FROM generate_series(?::bigint, ?::bigint) g`,
            [tenantIds, tenantCount, from, to],
          );
          log(`${Math.min(rows, to + 1).toLocaleString()} message rows`);
        }
      }),
    );
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    await db.raw('ANALYZE');
    const [{ n: counterRows }] = await db('tenant_traffic_counters').count<Array<{ n: string }>>('* as n');

    // Warm the cache as a running monitor fleet would, then time one evaluation per tenant.
    for (const id of tenantIds.slice(0, 50)) await measureTenantRates(db, id, WINDOWS_HOURS);
    const evalMs: number[] = [];
    for (const id of tenantIds) {
      const t0 = process.hrtime.bigint();
      await measureTenantRates(db, id, WINDOWS_HOURS);
      evalMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    evalMs.sort((a, b) => a - b);

    // The same figures by scanning message rows (index on tenant_id, updated_at), for a sample.
    const sample = tenantIds.filter((_, i) => i % Math.max(1, Math.floor(tenantCount / 50)) === 0);
    const scanMs: number[] = [];
    for (const id of sample) {
      const t0 = process.hrtime.bigint();
      await db.raw(
        `SELECT ${WINDOWS_HOURS.map(
          (h, i) => `count(*) FILTER (WHERE status IN ('delivered', 'read') AND updated_at > now() - interval '${h} hours') AS delivered_${i},
                count(*) FILTER (WHERE status IN ('undelivered', 'failed') AND updated_at > now() - interval '${h} hours') AS errors_${i}`,
        ).join(', ')}
         FROM delivery_statuses WHERE tenant_id = ? AND updated_at > now() - interval '${Math.max(...WINDOWS_HOURS)} hours'`,
        [id],
      );
      scanMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    scanMs.sort((a, b) => a - b);

    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      messageRows: rows,
      tenants: tenantCount,
      counterRows: Number(counterRows),
      loadSeconds: round(loadSeconds, 1),
      msPerTenantEval: round(mean(evalMs)),
      p50Ms: round(percentile(evalMs, 50)),
      p95Ms: round(percentile(evalMs, 95)),
      p99Ms: round(percentile(evalMs, 99)),
      allTenantsSeconds: round(evalMs.reduce((a, b) => a + b, 0) / 1000, 2),
      scanMsPerTenant: round(mean(scanMs)),
      scanOverCountersRatio: round(mean(scanMs) / mean(evalMs), 1),
      goalMs: 5,
    };
  } finally {
    await db.destroy();
    await dropDatabase(databaseUrl);
  }
}
