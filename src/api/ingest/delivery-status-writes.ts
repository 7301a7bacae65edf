import type { Knex } from 'knex';
import type { Config } from '../../config';
import { recordDeliveryStatuses } from '../../db/delivery-status-batches';
import type { DeliveryStatusOutcome, DeliveryStatusReport } from '../../db/delivery-statuses';
import { BatchQueue } from './batch-queue';

export type StatusIngestSettings = Pick<
  Config,
  'STATUS_INGEST_MAX_BATCH' | 'STATUS_INGEST_MAX_DELAY_MS' | 'STATUS_INGEST_MAX_IN_FLIGHT' | 'STATUS_INGEST_MAX_QUEUED'
>;

/**
 * The status webhook's writes, group-committed: callbacks arriving within the delay of each
 * other share one multi-row upsert. The defaults (src/config.ts): one batch written at a time,
 * and what arrives meanwhile goes in the next, at once, when it is done: under load the
 * batches grow by themselves (about 20 callbacks at 128 clients), which costs PostgreSQL and
 * the API less per callback than three writers with smaller batches (bench/webhook-ingest.ts:
 * 0.79 of bare Express with 3 in flight, 0.81 with 1, in the same conditions), and the
 * callbacks of one API process never wait on each other's counter rows. 2 ms adds little to a
 * quiet callback's latency. 2,000 queued callbacks are ~1 s of a busy API; beyond that the
 * webhook answers 503 + Retry-After (see BatchQueue for why refusing beats waiting).
 */
export function deliveryStatusWrites(db: Knex, settings: StatusIngestSettings, onFlushed?: (size: number, seconds: number) => void) {
  return new BatchQueue<DeliveryStatusReport, DeliveryStatusOutcome>({
    flush: (reports) => recordDeliveryStatuses(db, reports),
    maxBatch: settings.STATUS_INGEST_MAX_BATCH,
    maxDelayMs: settings.STATUS_INGEST_MAX_DELAY_MS,
    maxQueued: settings.STATUS_INGEST_MAX_QUEUED,
    maxInFlight: settings.STATUS_INGEST_MAX_IN_FLIGHT,
    onFlushed,
  });
}
