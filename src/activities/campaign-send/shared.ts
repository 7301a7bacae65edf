import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { campaignById, type CampaignRow } from '../../db/campaigns';
import type { Db } from '../../db/knex';

/** Rows per page, wherever the campaign's activities walk contacts or the outbox. */
export const PAGE = 500;

export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Called outside an activity (unit use): nothing to tell.
  }
}

/**
 * Throws once Temporal gave up on this attempt (its heartbeats stopped reaching the server, or
 * the workflow went away): a paged activity checks before each page, so an attempt its retry
 * replaced stops writing instead of running the whole audience beside it.
 */
export function stopIfAbandoned(): void {
  let signal: AbortSignal;
  try {
    signal = Context.current().cancellationSignal;
  } catch {
    return; // outside an activity (unit use)
  }
  signal.throwIfAborted();
}

/** Waits `ms`, or less once `signal` aborts (Temporal gave up on the attempt). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => undefined);
}

export const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(typeof value === 'string' ? value : JSON.stringify(value)));

/** The campaign's row; a campaign that does not exist fails the activity for good. */
export async function campaignOf(db: Db, campaignId: string): Promise<CampaignRow> {
  const row = await campaignById(db, campaignId);
  if (!row) throw ApplicationFailure.nonRetryable(`no campaign ${campaignId}`, 'UnknownCampaign');
  return row;
}
