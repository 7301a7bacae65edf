import twilio from 'twilio';
import type { SandboxStore } from './store';

export interface WebhookTimings {
  /** Attempts in all, the first included (Twilio retries failed connections; so do we). */
  attempts: number;
  /** Delay before the first retry; doubles each time. */
  retryDelayMs: number;
  timeoutMs: number;
}

export interface WebhookOutcome {
  delivered: boolean;
  status?: number;
  body?: string;
  attempts: number;
}

/**
 * POSTs a form-encoded webhook signed as Twilio signs it: `X-Twilio-Signature` is the
 * HMAC-SHA1 of the URL and the sorted parameters with the owning account's auth token
 * (computed by the twilio library itself). Connection errors, timeouts, 5xx and 429 are
 * retried with backoff; a webhook that never gets through is recorded, never dropped silently.
 */
export async function postSignedWebhook(
  store: SandboxStore,
  url: string,
  params: Record<string, string>,
  authToken: string,
  timings: WebhookTimings,
): Promise<WebhookOutcome> {
  const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
  let lastError = '';
  for (let attempt = 1; attempt <= timings.attempts; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature,
          'i-twilio-idempotency-token': params.MessageSid ?? '',
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(timings.timeoutMs),
      });
      const body = await res.text();
      if (res.status < 500 && res.status !== 429) return { delivered: res.ok, status: res.status, body, attempts: attempt };
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (attempt < timings.attempts) await new Promise((r) => setTimeout(r, timings.retryDelayMs * 2 ** (attempt - 1)));
  }
  store.callbackFailures.push({ url, params, attempts: timings.attempts, lastError, at: new Date().toISOString() });
  return { delivered: false, attempts: timings.attempts };
}
