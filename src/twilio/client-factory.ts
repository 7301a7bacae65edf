import { timingSafeEqual } from 'node:crypto';
import twilio, { type Twilio } from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import { openSealedSecret } from './credential-sealing';

/**
 * Sends every Twilio product's request (api, lookups, verify, messaging, accounts, …) to
 * one base URL instead of `https://<product>.twilio.com`, keeping Twilio's own paths. This
 * is how clearsend's code talks to the local sandbox while being exactly the code that
 * talks to real Twilio: only the transport's destination changes.
 */
export class BaseUrlRequestClient extends RequestClient {
  private readonly base: URL;

  constructor(apiBase: string, opts?: RequestClient.RequestClientOptions) {
    super(opts);
    this.base = new URL(apiBase);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: rewriteTwilioUri(opts.uri, this.base) });
  }
}

export function rewriteTwilioUri(uri: string, base: URL): string {
  const original = new URL(uri);
  if (!/(^|\.)twilio\.com$/.test(original.hostname)) return uri;
  const target = new URL(base.toString());
  target.pathname = `${base.pathname.replace(/\/$/, '')}${original.pathname}`;
  target.search = original.search;
  return target.toString();
}

export interface TwilioSettings {
  TWILIO_ACCOUNT_SID: string;
  TWILIO_AUTH_TOKEN: string;
  TWILIO_TEST_ACCOUNT_SID?: string;
  TWILIO_TEST_AUTH_TOKEN?: string;
  TWILIO_API_BASE?: string;
  CREDENTIALS_KEY: string;
}

/** A subaccount's credentials as stored: the SID and the sealed (encrypted) auth token. */
export interface StoredSubaccountCredentials {
  subaccountSid: string;
  sealedAuthToken: string;
}

export interface TwilioClientFactory {
  /** The ISV's own (parent) account: creates and suspends subaccounts, buys numbers. */
  platform(): Twilio;
  /**
   * A tenant's subaccount, from its stored credentials; the token is opened only here.
   * `requestTimeoutMs` bounds each of its requests (default `DEFAULT_TWILIO_REQUEST_TIMEOUT_MS`).
   */
  forSubaccount(credentials: StoredSubaccountCredentials, options?: { requestTimeoutMs?: number }): Twilio;
  /** Twilio test credentials (magic numbers only, nothing reaches a carrier). */
  testCredentials(): Twilio;
  /** Whether a webhook carries the signature Twilio makes with this subaccount's token. */
  isSignedBySubaccount(credentials: StoredSubaccountCredentials, signature: string, url: string, params: Record<string, string>): boolean;
}

/**
 * Every Twilio request gets an explicit client timeout (the library's own default, stated
 * here so nothing depends on it silently). Callers that must know when a request can no
 * longer be waiting, like the relay's sends, ask for a shorter one.
 */
export const DEFAULT_TWILIO_REQUEST_TIMEOUT_MS = 30_000;

/** Whether `signature` is Twilio's signature of exactly `url` and `params` with `token` (compared in constant time). */
function signedOver(token: string, signature: string, url: string, params: Record<string, string>): boolean {
  const expected = Buffer.from(twilio.getExpectedTwilioSignature(token, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createTwilioClientFactory(settings: TwilioSettings): TwilioClientFactory {
  // One HTTP client (one keep-alive agent) per request timeout, shared by every Twilio client
  // this factory makes with that timeout (a handful at most: the default and the relay's).
  const httpClients = new Map<number, RequestClient>();
  const httpClientFor = (timeout: number) => {
    let httpClient = httpClients.get(timeout);
    if (!httpClient) {
      httpClient = settings.TWILIO_API_BASE
        ? new BaseUrlRequestClient(settings.TWILIO_API_BASE, { keepAlive: true, timeout })
        : new RequestClient({ keepAlive: true, timeout });
      httpClients.set(timeout, httpClient);
    }
    return httpClient;
  };
  const make = (sid: string, token: string, timeout = DEFAULT_TWILIO_REQUEST_TIMEOUT_MS) =>
    twilio(sid, token, { httpClient: httpClientFor(timeout), autoRetry: false });

  // Every webhook is checked with its subaccount's token: opened once per sealed value (keyed by
  // it, so a rotated token is a new entry) rather than an AES-GCM open per callback. Bounded;
  // the process already holds the key that opens them all.
  const openedTokens = new Map<string, string>();
  const webhookToken = (subaccountSid: string, sealedAuthToken: string) => {
    const key = `${subaccountSid}.${sealedAuthToken}`;
    let token = openedTokens.get(key);
    if (token === undefined) {
      token = openSealedSecret(sealedAuthToken, settings.CREDENTIALS_KEY, subaccountSid);
      if (openedTokens.size >= 10_000) openedTokens.clear();
      openedTokens.set(key, token);
    }
    return token;
  };

  return {
    platform: () => make(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN),
    forSubaccount: ({ subaccountSid, sealedAuthToken }, options) =>
      make(subaccountSid, openSealedSecret(sealedAuthToken, settings.CREDENTIALS_KEY, subaccountSid), options?.requestTimeoutMs),
    isSignedBySubaccount: ({ subaccountSid, sealedAuthToken }, signature, url, params) => {
      const token = webhookToken(subaccountSid, sealedAuthToken);
      // Twilio signs the URL as configured, which is `url`: one HMAC. validateRequest also tries
      // it with and without the port and re-encoded (two to six HMACs, two URL parses), so it
      // only runs when that one fails; it accepts `url` as signed too, so nothing else changes.
      return signedOver(token, signature, url, params) || twilio.validateRequest(token, signature, url, params);
    },
    testCredentials: () => {
      if (!settings.TWILIO_TEST_ACCOUNT_SID || !settings.TWILIO_TEST_AUTH_TOKEN) {
        throw new Error('TWILIO_TEST_ACCOUNT_SID and TWILIO_TEST_AUTH_TOKEN are required for test-credential sends');
      }
      return make(settings.TWILIO_TEST_ACCOUNT_SID, settings.TWILIO_TEST_AUTH_TOKEN);
    },
  };
}
