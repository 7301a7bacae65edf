/**
 * The fence around a relay claim. A row claimed at `claimed_at` may be reconciled by another
 * attempt once `claimed_at + lease` has passed: that attempt asks Twilio whether the message
 * exists and, if not, sends it. That is only safe if, by then, nothing the claiming attempt
 * started can still create a message. So the claimer starts a send (first try or retry) only
 * while it still owns the row and before `claimed_at + sendWindowMs`, where
 * `sendWindowMs = lease - marginMs`, and every request that can create a message carries a
 * client timeout of `requestTimeoutMs`.
 *
 * Why the margin is safe: a send started at the last allowed moment has been answered or
 * abandoned by `claimed_at + lease - marginMs + requestTimeoutMs`, which is still
 * `marginMs - requestTimeoutMs` (the slack, as long again as the timeout) before the lease
 * ends. The slack absorbs a stall between the fence check and the request leaving the
 * process (event loop, connect), and Twilio finishing a request it got just before the client
 * gave up on it. Aborting a request does not un-send it: Twilio may still act on bytes it
 * already received, so the assumption is that Twilio creates a message, if at all, within the
 * slack after our timeout; beyond that no fence over HTTP can help (Twilio has no idempotency
 * key for Messages).
 *
 * One clock: `claimed_at`, the fence check and the reconciler's "older than the lease" are all
 * PostgreSQL's `clock_timestamp()`; a worker only measures short intervals from a database
 * answer with its monotonic clock, never compares its wall clock with another machine's.
 */
export interface SendFence {
  /** The claim's lease: after it another attempt may reconcile the row. */
  leaseMs: number;
  /** Client timeout of every Twilio request that can create a message. */
  requestTimeoutMs: number;
  /** No send starts later than this before the lease ends: the timeout plus as much again of slack. */
  marginMs: number;
  /** How long after its claim a row may still be sent: `lease - marginMs`. */
  sendWindowMs: number;
  /**
   * How much of the sender's throughput one page of claims may reserve: half the window, so
   * the other half holds the page's retries and the wait for a slot shared with other campaigns.
   */
  pageSpanMs: number;
}

/** Splits a claim's lease: a quarter for the request timeout (at most `maxRequestTimeoutMs`), as much slack, the rest to send in. */
export function sendFence(leaseMs: number, maxRequestTimeoutMs: number): SendFence {
  if (!(leaseMs > 0) || !(maxRequestTimeoutMs > 0))
    throw new RangeError(`a lease and a request timeout must be positive (got ${leaseMs} ms, ${maxRequestTimeoutMs} ms)`);
  const requestTimeoutMs = Math.max(1, Math.floor(Math.min(maxRequestTimeoutMs, leaseMs / 4)));
  const marginMs = 2 * requestTimeoutMs;
  const sendWindowMs = leaseMs - marginMs;
  if (sendWindowMs <= 0) throw new RangeError(`a lease of ${leaseMs} ms leaves no time to send`);
  return { leaseMs, requestTimeoutMs, marginMs, sendWindowMs, pageSpanMs: sendWindowMs / 2 };
}
