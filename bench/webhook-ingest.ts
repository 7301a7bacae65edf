/**
 * Status webhook ingest: signed Twilio status callbacks per second that clearsend's API (its
 * own process, as benchPlatform runs it) validates and writes durably to PostgreSQL, beside a bare Express handler
 * (its own process, same parsing, no work) in the same run, from the same load generator, on the same posts.
 *
 * The posts follow Twilio's real sequence per message (callbackSequence in _status-sequences.ts): a
 * first status, then a final one, some retried, some out of order, so about half of them take the
 * upsert's ON CONFLICT … DO UPDATE path and the counter trigger. Afterwards every message's row is
 * checked against the status it must have ended with: the run fails if a row is missing or regressed.
 *
 * The batches the API wrote during the measured run (sizes, write times) come from its /metrics
 * histograms, read before and after. STATUS_INGEST_* in the environment reach the API (src/config.ts),
 * so other batch settings can be tried without editing code; the JSON line names the ones used.
 *
 * Arguments: callbacks (40,000), clients posting at once (128), and the first callbacks posted to
 * each server unmeasured (a fifth): the API's code is optimised and PostgreSQL's caches and plans
 * settle before the measured posts (with 500 unmeasured, the first measured round was always the
 * slowest). Twilio posts callbacks as its messages change, not one after another's answer, so the
 * clients are many: bare Express is bound by this generator (one Node process at a full core) at
 * any count; with 32, clearsend was bound by group commit's latency instead (no process busy:
 * API 0.65, PostgreSQL 0.18, generator 0.82 of a core), which is why the README quotes 32 too.
 *
 * BENCH_API_CPU_PROF=<dir> writes a V8 CPU profile of the API process there (open it in Chrome DevTools).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import twilio from 'twilio';
import { freePort } from '../src/dev/free-port';
import { createTwilioClientFactory } from '../src/twilio/client-factory';
import { benchPlatform } from './_platform';
import { statusCallbackPlan, unmetExpectations } from './_status-sequences';
import { callsPerSecond, sandboxPlatform } from './_support';

/**
 * Profiles a process from its start and writes a .cpuprofile into CPU_PROFILE_DIR when it exits
 * (the API exits through process.exit on SIGTERM). Given to the API through NODE_OPTIONS as a
 * data: URL, since Node 20 refuses --cpu-prof there and benchPlatform spawns the API; the main
 * thread only (tsx's loader thread runs NODE_OPTIONS' imports too).
 */
/** Slices of the measured posts, each posted to clearsend and to bare Express in turn. */
const ROUNDS = 4;

const CPU_PROFILE_HOOK = `
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { isMainThread } from 'node:worker_threads';
const dir = process.env.CPU_PROFILE_DIR;
if (dir && isMainThread) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // A session in the same thread answers synchronously: the file is written before the process ends.
  process.once('exit', () => session.post('Profiler.stop', (err, r) => err || writeFileSync(dir + '/cpu-' + process.pid + '.cpuprofile', JSON.stringify(r.profile))));
}`;

/** A Prometheus histogram's buckets (upper bound → cumulative count), sum and count, from /metrics text. */
function histogramOf(metricsText: string, name: string) {
  const buckets = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const line of metricsText.split('\n')) {
    const bucket = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`).exec(line);
    if (bucket) buckets.set(bucket[1] === '+Inf' ? Infinity : Number(bucket[1]), Number(bucket[2]));
    else if (line.startsWith(`${name}_sum `)) sum = Number(line.slice(name.length + 5));
    else if (line.startsWith(`${name}_count `)) count = Number(line.slice(name.length + 7));
  }
  return { buckets, sum, count };
}

type Histogram = ReturnType<typeof histogramOf>;

/** What `after` saw that `before` had not: the measured run's observations alone. */
function histogramDelta(after: Histogram, before: Histogram): Histogram {
  const buckets = new Map([...after.buckets].map(([le, n]) => [le, n - (before.buckets.get(le) ?? 0)]));
  return { buckets, sum: after.sum - before.sum, count: after.count - before.count };
}

/** The smallest bucket bound at or below which `q` of the observations fall (an upper estimate of the quantile). */
function quantileBound(h: Histogram, q: number): number {
  for (const [le, n] of [...h.buckets].sort((a, b) => a[0] - b[0])) if (n >= q * h.count) return le;
  return Infinity;
}

async function serve(entry: string, env: Record<string, string>, readyLine: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env, API_PORT: String(port), PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    for (const s of [child.stdout, child.stderr]) createInterface({ input: s }).on('line', (line) => line.includes(readyLine) && resolve());
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

export async function run(args: string[]) {
  const total = Number(args[0] ?? 40_000);
  const concurrency = Number(args[1] ?? 128);
  const warmup = Number(args[2] ?? Math.floor(total / 5));
  const cpuProfDir = process.env.BENCH_API_CPU_PROF;
  const profiled: Record<string, string> = cpuProfDir
    ? { NODE_OPTIONS: `--import data:text/javascript,${encodeURIComponent(CPU_PROFILE_HOOK)}`, CPU_PROFILE_DIR: path.resolve(cpuProfDir) }
    : {};
  const p = await benchPlatform({ workers: 0, env: profiled });
  try {
    const tenant = await p.activeTenant(10);
    const creds = await p.db('tenant_credentials').where({ tenant_id: tenant.id }).first<{ subaccount_sid: string }>();
    const factory = createTwilioClientFactory({
      TWILIO_ACCOUNT_SID: sandboxPlatform.accountSid,
      TWILIO_AUTH_TOKEN: sandboxPlatform.authToken,
      TWILIO_API_BASE: p.sandboxUrl,
      CREDENTIALS_KEY: p.config.CREDENTIALS_KEY,
    });
    const token = (await factory.platform().api.v2010.accounts(creds.subaccount_sid).fetch()).authToken;

    const bare = await serve(path.resolve(__dirname, '_bare-express.ts'), {}, 'listening');
    try {
      // Signed beforehand: the generator only posts. Both servers get the very same posts.
      const plan = statusCallbackPlan(total);
      const signedUrl = `${p.config.PUBLIC_BASE_URL}/webhooks/twilio/status`;
      const posts = plan.callbacks.map((c) => {
        const params: Record<string, string> = {
          AccountSid: creds.subaccount_sid,
          MessageSid: c.messageSid,
          MessageStatus: c.status,
          SmsStatus: c.status,
          To: '+14155550100',
          From: tenant.from,
          ApiVersion: '2010-04-01',
          ...(c.errorCode ? { ErrorCode: String(c.errorCode) } : {}),
        };
        return { body: new URLSearchParams(params).toString(), signature: twilio.getExpectedTwilioSignature(token, signedUrl, params) };
      });
      const post = (base: string) => async (i: number) => {
        const res = await fetch(`${base}/webhooks/twilio/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': posts[i].signature },
          body: posts[i].body,
        });
        if (res.status !== 204) throw new Error(`callback answered ${res.status}: ${await res.text()}`);
      };
      // Loopback clients may read /metrics without METRICS_TOKEN (src/api/metrics-access.ts).
      const metricsText = async () => {
        const res = await fetch(`${p.apiUrl}/metrics`, p.config.METRICS_TOKEN ? { headers: { authorization: `Bearer ${p.config.METRICS_TOKEN}` } } : {});
        if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
        return res.text();
      };
      await callsPerSecond(warmup, concurrency, post(p.apiUrl));
      await callsPerSecond(warmup, concurrency, post(bare.url));
      const metricsBefore = await metricsText();
      // The measured posts in ROUNDS slices, each posted to both servers, in the order
      // API-bare, bare-API, … (ABBA): a drift of the machine over the run (PostgreSQL's
      // checkpoints and autovacuum after the writes, a neighbour's load) falls on both sides
      // alike instead of on whichever phase came second.
      const seconds = { clearsend: 0, bare: 0 };
      const roundRatios: number[] = [];
      const roundRates: Array<{ clearsend: number; bare: number }> = [];
      for (let r = 0; r < ROUNDS; r++) {
        const from = warmup + Math.floor(((total - warmup) * r) / ROUNDS);
        const n = warmup + Math.floor(((total - warmup) * (r + 1)) / ROUNDS) - from;
        const timed = async (side: keyof typeof seconds, base: string) => {
          const perSec = await callsPerSecond(n, concurrency, (i) => post(base)(i + from));
          seconds[side] += n / perSec;
          return perSec;
        };
        const [first, second] = r % 2 === 0 ? (['clearsend', 'bare'] as const) : (['bare', 'clearsend'] as const);
        const rates = { clearsend: 0, bare: 0 };
        rates[first] = await timed(first, first === 'clearsend' ? p.apiUrl : bare.url);
        rates[second] = await timed(second, second === 'clearsend' ? p.apiUrl : bare.url);
        roundRatios.push(Math.round((rates.clearsend / rates.bare) * 100) / 100);
        roundRates.push({ clearsend: Math.round(rates.clearsend), bare: Math.round(rates.bare) });
      }
      const clearsendPerSec = Math.round(((total - warmup) / seconds.clearsend) * 10) / 10;
      const barePerSec = Math.round(((total - warmup) / seconds.bare) * 10) / 10;
      const metricsAfter = await metricsText();
      const sizes = histogramDelta(
        histogramOf(metricsAfter, 'clearsend_status_ingest_batch_size'),
        histogramOf(metricsBefore, 'clearsend_status_ingest_batch_size'),
      );
      const writes = histogramDelta(
        histogramOf(metricsAfter, 'clearsend_status_ingest_batch_seconds'),
        histogramOf(metricsBefore, 'clearsend_status_ingest_batch_seconds'),
      );

      const rows = await p
        .db('delivery_statuses')
        .where({ tenant_id: tenant.id })
        .select<{ message_sid: string; status: string; error_code: number | null; callbacks: number }[]>('message_sid', 'status', 'error_code', 'callbacks');
      const unmet = unmetExpectations(plan.expected, rows);
      if (unmet.length) throw new Error(`ingest lost or regressed ${unmet.length} of ${plan.expected.size} messages, e.g.:\n${unmet.slice(0, 10).join('\n')}`);
      return {
        callbacks: total,
        messages: plan.expected.size,
        updateShare: Math.round((1 - plan.expected.size / total) * 100) / 100,
        concurrency,
        callbacksPerSec: clearsendPerSec,
        bareExpressPerSec: barePerSec,
        ratio: Math.round((clearsendPerSec / barePerSec) * 100) / 100,
        rounds: ROUNDS,
        roundRatios,
        roundRates,
        rowsWritten: rows.length,
        rowsChecked: plan.expected.size,
        batches: {
          settings: {
            maxBatch: p.config.STATUS_INGEST_MAX_BATCH,
            maxDelayMs: p.config.STATUS_INGEST_MAX_DELAY_MS,
            maxInFlight: p.config.STATUS_INGEST_MAX_IN_FLIGHT,
            maxQueued: p.config.STATUS_INGEST_MAX_QUEUED,
          },
          count: sizes.count,
          meanSize: Math.round((sizes.sum / sizes.count) * 10) / 10,
          // Bucket bounds (1, 2, 4, 8, …): half and nine in ten of the batches held at most this many.
          p50SizeAtMost: quantileBound(sizes, 0.5),
          p90SizeAtMost: quantileBound(sizes, 0.9),
          meanWriteMs: Math.round((writes.sum / writes.count) * 10000) / 10,
        },
      };
    } finally {
      await bare.stop();
    }
  } finally {
    await p.stop();
  }
}
