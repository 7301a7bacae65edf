import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, type Config } from './config';

/** The settings that say how to reach Temporal (for `configSchema.pick` in scripts). */
export const TEMPORAL_CONNECTION_SETTINGS = {
  TEMPORAL_ADDRESS: true,
  TEMPORAL_TLS: true,
  TEMPORAL_TLS_CLIENT_CERT_PATH: true,
  TEMPORAL_TLS_CLIENT_KEY_PATH: true,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: true,
  TEMPORAL_TLS_SERVER_NAME: true,
  TEMPORAL_API_KEY: true,
} as const;

export type TemporalConnectionSettings = Pick<Config, keyof typeof TEMPORAL_CONNECTION_SETTINGS>;

/** What both the client's `Connection` and the worker's `NativeConnection` take. */
export interface TemporalConnectionOptions {
  address: string;
  /** `false` only beside an API key and TEMPORAL_TLS=false: the SDK would otherwise turn TLS on for the key. */
  tls?: TLSConfig | false;
  apiKey?: string;
}

function readSetting(name: keyof TemporalConnectionSettings, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError([`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
}

/**
 * How the API, the worker and the scripts reach Temporal. Without TLS settings: plain gRPC, as
 * the dev server and docker-compose's private network use. With any (Temporal's own variable
 * names, so its CLI reads the same ones): TLS, with a client certificate for mTLS, and an API
 * key when given. Written by hand rather than with @temporalio/envconfig so settings stay read
 * and validated in one place (src/config.ts) and a bad one stops start-up with its name. The
 * files are read here, once: a missing one is a ConfigError naming its setting.
 */
export function temporalConnectionOptions(settings: TemporalConnectionSettings): TemporalConnectionOptions {
  const { TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CLIENT_CERT_PATH: certPath, TEMPORAL_TLS_CLIENT_KEY_PATH: keyPath, TEMPORAL_API_KEY: apiKey } = settings;
  if (!!certPath !== !!keyPath) {
    const missing = certPath ? 'TEMPORAL_TLS_CLIENT_KEY_PATH' : 'TEMPORAL_TLS_CLIENT_CERT_PATH';
    throw new ConfigError([
      `${missing}: is required with ${certPath ? 'TEMPORAL_TLS_CLIENT_CERT_PATH' : 'TEMPORAL_TLS_CLIENT_KEY_PATH'} (mTLS needs the certificate and its key)`,
    ]);
  }
  const tlsAsked = !!(certPath || settings.TEMPORAL_TLS_SERVER_CA_CERT_PATH || settings.TEMPORAL_TLS_SERVER_NAME);
  if (settings.TEMPORAL_TLS === false && tlsAsked) {
    throw new ConfigError(['TEMPORAL_TLS: is false, but TLS settings (certificate, CA or server name) are set']);
  }
  // As Temporal does: an API key implies TLS unless TEMPORAL_TLS=false says otherwise.
  const useTls = settings.TEMPORAL_TLS ?? (tlsAsked || !!apiKey);
  const options: TemporalConnectionOptions = { address, ...(apiKey ? { apiKey } : {}) };
  if (!useTls) return apiKey ? { ...options, tls: false } : options;
  const tls: TLSConfig = {};
  if (certPath && keyPath)
    tls.clientCertPair = { crt: readSetting('TEMPORAL_TLS_CLIENT_CERT_PATH', certPath), key: readSetting('TEMPORAL_TLS_CLIENT_KEY_PATH', keyPath) };
  if (settings.TEMPORAL_TLS_SERVER_CA_CERT_PATH)
    tls.serverRootCACertificate = readSetting('TEMPORAL_TLS_SERVER_CA_CERT_PATH', settings.TEMPORAL_TLS_SERVER_CA_CERT_PATH);
  if (settings.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = settings.TEMPORAL_TLS_SERVER_NAME;
  return { ...options, tls };
}
