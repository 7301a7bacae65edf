import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  /** Counts and times each request by its route pattern (never the raw path: ids would explode cardinality). */
  observeRequests: RequestHandler;
  handler: RequestHandler;
  /** Records one group-committed write of status callbacks: how many it held and how long it took. */
  observeStatusBatch: (size: number, seconds: number) => void;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'clearsend_http_requests_total', help: 'HTTP requests handled', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'clearsend_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  // Sizes and times of the status webhook's batched writes (src/api/ingest): what tells whether
  // its batch size, delay and writers in flight suit the load (bench/webhook-ingest.ts reads them).
  const statusBatchSize = new Histogram({
    name: 'clearsend_status_ingest_batch_size',
    help: 'Status callbacks per batched write',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers: [registry],
  });
  const statusBatchSeconds = new Histogram({
    name: 'clearsend_status_ingest_batch_seconds',
    help: 'Duration of a batched write of status callbacks (to its commit)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });

  // Each series' children, kept: prom-client otherwise sorts and joins the labels on every
  // observation, which at status-callback rates was a visible share of the API's CPU.
  const series = new Map<string, { requests: ReturnType<typeof requests.labels>; duration: ReturnType<typeof duration.labels> }>();
  const seriesOf = (method: string, route: string, statusCode: number) => {
    const key = `${method} ${statusCode} ${route}`;
    let found = series.get(key);
    if (!found) {
      const labels = { method, route, status: String(statusCode) };
      found = { requests: requests.labels(labels), duration: duration.labels(labels) };
      series.set(key, found);
    }
    return found;
  };

  return {
    registry,
    observeStatusBatch: (size, seconds) => {
      statusBatchSize.observe(size);
      statusBatchSeconds.observe(seconds);
    },
    observeRequests: (req, res, next) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const route = (req.route as { path?: string } | undefined)?.path;
        const series = seriesOf(req.method, route ? `${req.baseUrl}${route}` : 'unmatched', res.statusCode);
        series.requests.inc();
        series.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      });
      next();
    },
    handler: (_req, res, next) => {
      registry.metrics().then((body) => res.type(registry.contentType).send(body), next);
    },
  };
}
