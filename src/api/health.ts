import { Connection } from '@temporalio/client';
import type { RequestHandler } from 'express';
import type { Db } from '../db/knex';
import type { TemporalConnectionOptions } from '../temporal-connection';

type Check = { status: 'up'; latencyMs: number } | { status: 'down'; error: string };

async function timed(probe: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: 200 when PostgreSQL and Temporal both answer, 503 (with which one failed) otherwise. */
export function healthHandler(deps: { db: Db; temporal: Connection; timeoutMs?: number }): RequestHandler {
  const timeoutMs = deps.timeoutMs ?? 2000;
  return (_req, res, next) => {
    Promise.all([
      timed(() => deps.db.raw('select 1'), timeoutMs),
      timed(() => deps.temporal.withDeadline(Date.now() + timeoutMs, () => deps.temporal.workflowService.getSystemInfo({})), timeoutMs),
    ])
      .then(([postgres, temporal]) => {
        const ok = postgres.status === 'up' && temporal.status === 'up';
        res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { postgres, temporal } });
      })
      .catch(next);
  };
}

/** A Temporal connection without the SDK's retry interceptor, so a probe is one attempt; TLS as the API's own. */
export function healthConnection(target: string | TemporalConnectionOptions): Connection {
  return Connection.lazy({ ...(typeof target === 'string' ? { address: target } : target), interceptors: [] });
}
