import type { Knex } from 'knex';
import { recordDeliveryStatuses } from '../../db/delivery-status-batches';
import type { DeliveryStatusOutcome, DeliveryStatusReport } from '../../db/delivery-statuses';
import { BatchQueue } from './batch-queue';

/**
 * The status webhook's writes, group-committed: callbacks arriving within `maxDelayMs` of each
 * other share one multi-row upsert. Sized for Twilio's bursts on a pool of ~10 connections:
 * 3 batches in flight leave the rest of the pool to every other route; 2 ms adds little to a
 * callback's latency and, under load, batches fill before it (a free writer takes what queued
 * while it was busy at once). 2,000 queued callbacks are ~1 s of a busy API; beyond that the
 * webhook answers 503 + Retry-After (see BatchQueue for why refusing beats waiting).
 */
export function deliveryStatusWrites(db: Knex, options: { maxBatch?: number; maxDelayMs?: number; maxQueued?: number; maxInFlight?: number } = {}) {
  return new BatchQueue<DeliveryStatusReport, DeliveryStatusOutcome>({
    flush: (reports) => recordDeliveryStatuses(db, reports),
    maxBatch: options.maxBatch ?? 200,
    maxDelayMs: options.maxDelayMs ?? 2,
    maxQueued: options.maxQueued ?? 2000,
    maxInFlight: options.maxInFlight ?? 3,
  });
}
