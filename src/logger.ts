import pino, { type Logger } from 'pino';
import { SECRET_SETTINGS } from './config';
import { redactedBody, redactedPhone, redactPhoneNumbersIn, withoutPhoneNumbers } from './domain/redaction';

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
  'sealedAuthToken',
  '*.sealedAuthToken',
  'sealed_auth_token',
  '*.sealed_auth_token',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  // Every secret setting (a logged config object, or one of its values under its own name).
  ...SECRET_SETTINGS.flatMap((name) => [name, `*.${name}`]),
  'SMTP_URL',
  '*.SMTP_URL',
  'DATABASE_URL',
  '*.DATABASE_URL',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  // The console's session id (Set-Cookie on sign-in) and its CSRF token.
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
];

/** Fields that hold a phone number: logged as `+1…71` (redactedPhone), never in full. */
const PHONE_FIELDS = ['to', 'from', 'To', 'From', 'phone', 'phoneNumber', 'phone_e164', 'ownerPhone', 'owner_phone', 'sentTo', 'to_number', 'from_number'];
/** Fields that hold what people wrote (message bodies, help texts, sample messages): logged as a length only. */
const TEXT_FIELDS = ['body', 'Body', 'text', 'helpText', 'sampleMessages', 'wording'];

const anywhere = (fields: string[]) => fields.flatMap((f) => [f, `*.${f}`]);
const PHONE_PATHS = new Set(anywhere(PHONE_FIELDS));
const TEXT_PATHS = new Set(anywhere(TEXT_FIELDS));

/** What a redacted path is logged as: a phone's redacted form, a text's length, or `[redacted]` for a secret. */
function censor(value: unknown, path: string[]): unknown {
  const field = path[path.length - 1];
  if (value === undefined || value === null) return value;
  // `from` and `to` also name other things (the escalation ladder's states): text without a digit is no number.
  if (PHONE_FIELDS.includes(field)) return typeof value === 'string' ? (/\d/.test(value) ? redactedPhone(value) : value) : withoutPhoneNumbers(value);
  if (TEXT_FIELDS.includes(field)) return typeof value === 'string' ? redactedBody(value) : '[redacted]';
  return '[redacted]';
}

/**
 * An error as logged: pino's standard shape with phone numbers redacted from its message, stack
 * and properties. Twilio's errors name the number they refused ("The 'To' number +1415… is not
 * a valid phone number"), and so do errors built from them.
 */
function errorWithoutPhoneNumbers(err: unknown): unknown {
  return withoutPhoneNumbers(err instanceof Error ? pino.stdSerializers.err(err) : err);
}

/**
 * Serializers for every logger and for pino-http (which brings its own `err` and `req` unless
 * given these): errors and request URLs, queries and path parameters without phone numbers.
 * The Temporal SDK logs an error under `error`, not `err`.
 */
export const logSerializers = {
  err: errorWithoutPhoneNumbers,
  error: errorWithoutPhoneNumbers,
  req: (req: { url?: string; query?: unknown; params?: unknown }) => ({
    ...req,
    url: req.url === undefined ? undefined : redactPhoneNumbersIn(req.url),
    query: withoutPhoneNumbers(req.query),
    params: withoutPhoneNumbers(req.params),
  }),
};

export function createLogger(opts: { level?: string; name?: string } = {}, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: opts.name ?? 'clearsend',
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: [...REDACTED_PATHS, ...PHONE_PATHS, ...TEXT_PATHS], censor },
      serializers: logSerializers,
      hooks: {
        // Log messages are written by us, but some interpolate what they were given.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactPhoneNumbersIn(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
