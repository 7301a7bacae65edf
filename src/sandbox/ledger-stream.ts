import { once } from 'node:events';
import type { Response } from 'express';
import { z } from 'zod';
import type { LedgerEntry, SandboxStore } from './store';

const LEDGER_FIELDS = ['sid', 'accountSid', 'from', 'to', 'body', 'messagingServiceSid', 'params', 'acceptedAt'] as const;

/**
 * `/__sandbox/ledger`'s query: filters, and `fields` (a comma list such as `acceptedAt`) for
 * benchmarks that need a million entries' acceptance times and not their parameters.
 */
export const ledgerQuery = z
  .object({
    accountSid: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    fields: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(LEDGER_FIELDS)).min(1))
      .optional(),
  })
  .strict();
export type LedgerQuery = z.infer<typeof ledgerQuery>;

/** Bytes gathered before each write: few writes, yet never the whole answer in memory. */
const WRITE_BATCH = 256 * 1024;

/**
 * Writes `{"entries":[…],"count":n}`, the matching entries oldest first, as it reads them from the
 * ledger: at a million entries the answer is hundreds of megabytes, which the sandbox must not hold.
 * The count comes last because it is known only at the end (JSON readers do not care about order).
 */
export async function streamLedger(store: SandboxStore, q: LedgerQuery, res: Response): Promise<void> {
  const matches = (e: LedgerEntry) => (!q.accountSid || e.accountSid === q.accountSid) && (!q.from || e.from === q.from) && (!q.to || e.to === q.to);
  const shape = q.fields ? (e: LedgerEntry) => Object.fromEntries(q.fields!.filter((f) => e[f] !== undefined).map((f) => [f, e[f]])) : (e: LedgerEntry) => e;
  res.status(200).type('application/json');
  let count = 0;
  let pending = '{"entries":[';
  for (const entry of store.ledger.scan()) {
    if (!matches(entry)) continue;
    pending += `${count ? ',' : ''}${JSON.stringify(shape(entry))}`;
    count++;
    if (pending.length >= WRITE_BATCH) {
      if (!res.write(pending)) {
        // Whichever event comes first, the other's listener is removed: a long answer waits
        // many times, and listeners left behind piled up (MaxListenersExceededWarning).
        const waited = new AbortController();
        await Promise.race([once(res, 'drain', { signal: waited.signal }), once(res, 'close', { signal: waited.signal })]).finally(() => waited.abort());
      }
      if (res.destroyed) return; // the client went away
      pending = '';
    }
  }
  res.end(`${pending}],"count":${count}}`);
}
