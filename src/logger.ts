import pino, { type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets travel under these
 * names (request headers, Twilio credentials, sealed tokens), so a careless `log.info(obj)`
 * still cannot print one.
 */
export const REDACTED_PATHS = [
  'authToken',
  '*.authToken',
  'auth_token',
  '*.auth_token',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'CREDENTIALS_KEY',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_TEST_AUTH_TOKEN',
  'METRICS_TOKEN',
  'TEMPORAL_API_KEY',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  'headers.authorization',
];

export function createLogger(opts: { level?: string; name?: string } = {}, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: opts.name ?? 'clearsend',
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
