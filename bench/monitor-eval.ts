/**
 * Monitor evaluation cost: `rows` delivery-status rows (default 10,000,000) over `tenants`
 * tenants (default 1,000), spread over eight days, written through the real schema by as many
 * connections as the API's pool has, so the triggers keep the rolling counters (sharded by
 * backend) as the webhook's writes do. Then every tenant is evaluated once with the monitor's
 * own query (`measureTenantRates`), and the same figures are computed by scanning each
 * tenant's message rows: the two must be equal for every tenant, or the benchmark fails.
 */
import { randomBytes } from 'node:crypto';
import { createDb, DEFAULT_POOL_MAX, type Db } from '../src/db/knex';
import { dropDatabase } from '../src/db/ensure-database';
import { migrateToLatest } from '../src/db/migrate';
import { measureTenantRates, type TenantRates } from '../src/db/traffic-counters';

const WINDOWS_HOURS = [168, 24];
/** The counters' shard count (`pg_backend_pid() % 8` in the triggers of migrations 005 and 008). */
const COUNTER_SHARDS = 8;

/**
 * Final statuses per 10,000 messages, with Twilio's error codes as they come: carrier
 * unreachable/unknown/landline/filtered/unknown error and blocked for undelivered (30007 and
 * 30004 are the ones the monitor's advice calls content/consent and opted out), opted out
 * (21610) and unregistered (30034) for failed, and some errors with no code at all.
 */
const OUTCOMES: Array<{ status: string; code: number | null; per10k: number }> = [
  { status: 'undelivered', code: 30003, per10k: 120 },
  { status: 'undelivered', code: 30005, per10k: 40 },
  { status: 'undelivered', code: 30006, per10k: 30 },
  { status: 'undelivered', code: 30007, per10k: 40 },
  { status: 'undelivered', code: 30008, per10k: 20 },
  { status: 'undelivered', code: 30004, per10k: 15 },
  { status: 'undelivered', code: null, per10k: 10 },
  { status: 'failed', code: 21610, per10k: 25 },
  { status: 'failed', code: 30034, per10k: 10 },
  { status: 'failed', code: null, per10k: 5 },
  { status: 'read', code: null, per10k: 500 },
];
const ERROR_CODES = new Set(OUTCOMES.flatMap((o) => (o.code === null ? [] : [o.code])));
/** One tenant in twenty also has 5 % of its messages filtered as spam (30007): a tenant the monitor should act on. */
const FILTERED_TENANT_EVERY = 20;

/** The outcome of message `g` of tenant index `t`, from a hash `h` in [0, 10000): SQL CASEs over OUTCOMES. */
function outcomeSql(): { status: string; code: string } {
  let upTo = 0;
  const arms = OUTCOMES.map((o) => ({ ...o, below: (upTo += o.per10k) }));
  const filtered = `t % ${FILTERED_TENANT_EVERY} = 0 AND h >= 9500`;
  return {
    status: `CASE WHEN ${filtered} THEN 'undelivered' ${arms.map((a) => `WHEN h < ${a.below} THEN '${a.status}'`).join(' ')} ELSE 'delivered' END`,
    code: `CASE WHEN ${filtered} THEN 30007 ${arms.map((a) => `WHEN h < ${a.below} THEN ${a.code ?? 'NULL'}::int`).join(' ')} END`,
  };
}

interface ScannedRates {
  windows: Array<{ delivered: number; errors: number }>;
  errorCodes: Map<number, number>;
}

/**
 * The monitor's figures from the message rows themselves, with the counters' own bucketing
 * (a row counts in the hour `date_trunc('hour', updated_at)`, an hour is in a window of h
 * hours when it is after now() - (h + 1) hours), so the two answers are comparable exactly.
 */
async function scanTenantRates(db: Db, tenantId: string): Promise<ScannedRates> {
  const longest = Math.max(...WINDOWS_HOURS);
  const inWindow = (h: number) => `date_trunc('hour', updated_at) > now() - interval '${h + 1} hours'`;
  // updated_at > the longest window's start is implied by the hour test: it lets the (tenant_id, updated_at) index bound the scan.
  const { rows } = await db.raw<{ rows: Array<Record<string, string | null> & { error_codes: Array<{ code: number; n: number }> | null }> }>(
    `SELECT ${WINDOWS_HOURS.map(
      (h, i) => `count(*) FILTER (WHERE status IN ('delivered', 'read') AND ${inWindow(h)}) AS delivered_${i},
                 count(*) FILTER (WHERE status IN ('undelivered', 'failed') AND ${inWindow(h)}) AS errors_${i}`,
    ).join(', ')},
       (SELECT json_agg(e) FROM (SELECT error_code AS code, count(*)::int AS n FROM delivery_statuses
          WHERE tenant_id = ? AND updated_at > now() - interval '${longest + 1} hours' AND ${inWindow(longest)}
            AND status IN ('undelivered', 'failed') AND error_code IS NOT NULL GROUP BY error_code) e) AS error_codes
     FROM delivery_statuses WHERE tenant_id = ? AND updated_at > now() - interval '${longest + 1} hours'`,
    [tenantId, tenantId],
  );
  const row = rows[0];
  return {
    windows: WINDOWS_HOURS.map((_, i) => ({ delivered: Number(row[`delivered_${i}`] ?? 0), errors: Number(row[`errors_${i}`] ?? 0) })),
    errorCodes: new Map((row.error_codes ?? []).map((e) => [e.code, e.n])),
  };
}

/** Where the counters' answer differs from the scan's, in words; empty when they agree. */
function differences(counted: TenantRates, scanned: ScannedRates): string[] {
  const out: string[] = [];
  WINDOWS_HOURS.forEach((h, i) => {
    const { delivered, errors } = scanned.windows[i];
    const errorRate = counted.measurements.find((m) => m.metric === 'errorRate' && m.window === (h % 24 === 0 ? `${h / 24}d` : `${h}h`));
    if (errorRate?.numerator !== errors || errorRate.denominator !== delivered + errors)
      out.push(`${h}h error rate: counters ${errorRate?.numerator}/${errorRate?.denominator}, scan ${errors}/${delivered + errors}`);
  });
  // ERROR_CODES has fewer codes than the monitor's top ten (checked in run()), so its list must be every code.
  const countedCodes = new Map(counted.errorCodes.map((e) => [e.code, e.n]));
  for (const code of new Set([...countedCodes.keys(), ...scanned.errorCodes.keys()]))
    if (countedCodes.get(code) !== scanned.errorCodes.get(code))
      out.push(`error ${code}: counters ${countedCodes.get(code) ?? 0}, scan ${scanned.errorCodes.get(code) ?? 0}`);
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function run(args: string[]) {
  if (ERROR_CODES.size > 10) throw new Error('the monitor lists its ten commonest codes: the comparison needs at most ten');
  const rows = Number(args[0] ?? 10_000_000);
  const tenantCount = Number(args[1] ?? 1000);
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/clearsend_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await migrateToLatest(databaseUrl);
  // The API's pool (src/api/server.ts takes createDb's default): one writer per connection.
  const writers = DEFAULT_POOL_MAX;
  const db = createDb(databaseUrl, { max: writers });
  try {
    const tenantIds = (
      await db('tenants')
        .insert(Array.from({ length: tenantCount }, (_, i) => ({ slug: `bench-${i}`, business_name: `Bench tenant ${i}` })))
        .returning<Array<{ id: string }>>('id')
    ).map((t) => t.id);

    // Every connection of the pool at once, as concurrent webhook requests are: the counters'
    // shards (one per backend, modulo 8) fill as in production. Chunks small enough that each writer gets several.
    const chunk = Math.max(1, Math.min(250_000, Math.ceil(rows / (writers * 4))));
    const outcome = outcomeSql();
    let next = 0;
    const backends = new Set<number>();
    const loadStarted = Date.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < rows) {
          const from = next;
          next += chunk;
          const to = Math.min(rows, from + chunk) - 1;
          // Final statuses spread over the last eight days; the outcome from a hash of the message, not its tenant.
          const { rows: written } = await db.raw<{ rows: Array<{ pid: number }> }>(
            `WITH m AS (SELECT g, g % ? AS t, abs(hashint8(g)::bigint) % 10000 AS h FROM generate_series(?::bigint, ?::bigint) g),
             written AS (
               INSERT INTO delivery_statuses (message_sid, tenant_id, status, error_code, updated_at)
               SELECT 'SM' || md5(g::text), (?::uuid[])[1 + t], ${outcome.status}, ${outcome.code}, now() - (g % 11520) * interval '1 minute'
               FROM m)
             SELECT pg_backend_pid() AS pid`,
            [tenantCount, from, to, tenantIds],
          );
          backends.add(written[0].pid);
          log(`${Math.min(rows, to + 1).toLocaleString()} message rows`);
        }
      }),
    );
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    await db.raw('ANALYZE');
    const {
      rows: [shape],
    } = await db.raw<{ rows: Array<{ counter_rows: string; shards: string; per_tenant_hour: string }> }>(
      `SELECT count(*) AS counter_rows, count(DISTINCT shard) AS shards,
              count(*)::float / nullif(count(DISTINCT (tenant_id, hour)), 0) AS per_tenant_hour
       FROM tenant_traffic_counters`,
    );

    // Warm the cache as a running monitor fleet would, then time one evaluation per tenant.
    for (const id of tenantIds.slice(0, 50)) await measureTenantRates(db, id, WINDOWS_HOURS);
    const evalMs: number[] = [];
    for (const id of tenantIds) {
      const t0 = process.hrtime.bigint();
      await measureTenantRates(db, id, WINDOWS_HOURS);
      evalMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    evalMs.sort((a, b) => a - b);

    // The same figures by scanning every tenant's message rows, compared with the counters'.
    // One transaction: now() is the same instant for both answers, so no window edge moves between them.
    const scanMs: number[] = [];
    const mismatches: string[] = [];
    await db.transaction(async (trx) => {
      for (const id of tenantIds) {
        const counted = await measureTenantRates(trx, id, WINDOWS_HOURS);
        const t0 = process.hrtime.bigint();
        const scanned = await scanTenantRates(trx, id);
        scanMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        for (const d of differences(counted, scanned)) mismatches.push(`tenant ${id}: ${d}`);
      }
    });
    scanMs.sort((a, b) => a - b);
    if (mismatches.length)
      throw new Error(`the counters disagree with the message rows (${mismatches.length} differences):\n${mismatches.slice(0, 20).join('\n')}`);
    log(`counters equal the scan for all ${tenantCount} tenants`);

    return {
      messageRows: rows,
      tenants: tenantCount,
      writerConnections: writers,
      writerBackends: backends.size,
      counterShards: COUNTER_SHARDS,
      shardsFilled: Number(shape.shards),
      counterRows: Number(shape.counter_rows),
      counterRowsPerTenantHour: round(Number(shape.per_tenant_hour), 2),
      errorCodes: ERROR_CODES.size,
      countersEqualScan: true,
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
