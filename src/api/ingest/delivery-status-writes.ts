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
 * other share one multi-row upsert. The defaults (src/config.ts) are sized for Twilio's bursts
 * on a pool of ~10 connections: 3 batches in flight leave the rest of the pool to every other
 * route; 2 ms adds little to a callback's latency and, under load, batches fill before it (a
 * free writer takes what queued while it was busy at once). 2,000 queued callbacks are ~1 s of
 * a busy API; beyond that the webhook answers 503 + Retry-After (see BatchQueue for why
 * refusing beats waiting).
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
