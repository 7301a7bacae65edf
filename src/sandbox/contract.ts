import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import OpenAPIBackend from 'openapi-backend';
import { ValidationContext } from 'openapi-backend/validation';

/**
 * Holds the sandbox to Twilio's official OpenAPI documents: every request the `twilio`
 * library sends and every success response the sandbox gives are validated by
 * openapi-backend against the document of that product. In `enforce` mode a violation is
 * recorded and answered as a 500 that says what is wrong, so any test using the sandbox
 * fails loudly. The documents are big (api_v2010 is 1.8 MB): each is loaded once, lazily.
 */
export interface ContractViolation {
  at: string;
  method: string;
  path: string;
  phase: 'request' | 'response' | 'unknown-operation';
  errors: unknown;
}

/** Trust Hub and Messaging both live under /v1 on their own hosts; their resources' names tell them apart. */
const TRUSTHUB_PATH =
  /^\/v1\/(CustomerProfiles|TrustProducts|EndUsers|EndUserTypes|SupportingDocuments|SupportingDocumentTypes|Policies|ComplianceInquiries)(\/|$)/;

const DOCUMENTS: Array<{ file: string; covers: (p: string) => boolean }> = [
  { file: 'twilio_api_v2010.json', covers: (p) => p.startsWith('/2010-04-01/') },
  { file: 'twilio_lookups_v2.json', covers: (p) => p.startsWith('/v2/PhoneNumbers') },
  { file: 'twilio_verify_v2.json', covers: (p) => p.startsWith('/v2/Services') },
  { file: 'twilio_trusthub_v1.json', covers: (p) => TRUSTHUB_PATH.test(p) },
  { file: 'twilio_messaging_v1.json', covers: (p) => p.startsWith('/v1/') },
];

export function twilioOaiDir(): string {
  return process.env.TWILIO_OAI_DIR ?? path.resolve(__dirname, '../../vendor/twilio-oai');
}

/** Twilio's own string formats, checked where the check is meaningful. */
const TWILIO_FORMATS: Record<string, RegExp | true> = {
  'date-time-rfc-2822': /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  'phone-number': true,
  'phone-number-capabilities': true,
  'iso-country-code': /^[A-Z]{2}$/,
  'http-method': /^(GET|POST|HEAD|PUT|DELETE|PATCH)$/,
  uri: true,
  'uri-map': true,
  'uri-template': true,
  currency: /^[A-Z]{3}$/,
  'date-time-iso8601': true,
  'date-iso8601': true,
};

/**
 * Twilio's documents use OpenAPI 3.0 `nullable` beside `$ref` or `enum` with no `type`,
 * which ajv refuses to compile; there the keyword is dropped (the field is then simply
 * not allowed to be null, which the sandbox never sends).
 */
function ajvReady(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(ajvReady);
  if (!node || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) copy[k] = ajvReady(v);
  if ('nullable' in copy && !('type' in copy)) delete copy.nullable;
  return copy;
}

const backends = new Map<string, Promise<OpenAPIBackend>>();
function backendFor(file: string): Promise<OpenAPIBackend> {
  let backend = backends.get(file);
  if (!backend) {
    const api = new OpenAPIBackend({
      definition: ajvReady(JSON.parse(readFileSync(path.join(twilioOaiDir(), file), 'utf8')) as object) as never,
      quick: true,
      strict: false,
      validate: true,
      ajvOpts: { coerceTypes: true, strict: false, allErrors: true, logger: false },
      customizeAjv: (original, ajvOpts, context) => {
        // A form-encoded list with one value (one MessageSamples, one OptInImageUrls) arrives as
        // a plain string, which Twilio takes as a list of one: requests coerce a scalar to an
        // array. Responses do not: the sandbox must send real arrays.
        const isRequest = context === ValidationContext.RequestBody || context === ValidationContext.Params;
        const AjvClass = original.constructor as new (opts: typeof ajvOpts) => typeof original;
        const ajv = isRequest ? new AjvClass({ ...ajvOpts, coerceTypes: 'array' }) : original;
        if (isRequest) for (const [name, format] of Object.entries(original.formats)) if (format) ajv.addFormat(name, format);
        for (const [name, check] of Object.entries(TWILIO_FORMATS)) ajv.addFormat(name, check);
        return ajv;
      },
    });
    backend = api.init();
    backends.set(file, backend);
  }
  return backend;
}

export function contractMiddleware(violations: ContractViolation[]): RequestHandler {
  return (req, res, next) => {
    const doc = DOCUMENTS.find((d) => d.covers(req.path));
    if (!doc) return next();
    const record = (phase: ContractViolation['phase'], errors: unknown) => {
      const v: ContractViolation = { at: new Date().toISOString(), method: req.method, path: req.path, phase, errors };
      violations.push(v);
      return v;
    };
    const refuse = (v: ContractViolation) =>
      res.status(500).json({
        code: 0,
        message: `Sandbox contract violation (${v.phase}) for ${v.method} ${v.path}: ${JSON.stringify(v.errors)}`,
        more_info: '',
        status: 500,
      });
    backendFor(doc.file)
      .then((api) => {
        const request = {
          method: req.method,
          path: req.path,
          query: req.query as Record<string, string>,
          body: req.body as unknown,
          headers: req.headers as Record<string, string>,
        };
        const operation = api.matchOperation(request);
        if (!operation) return refuse(record('unknown-operation', `no ${req.method} ${req.path} in ${doc.file}`));
        const checked = api.validateRequest(request, operation);
        if (!checked.valid) return refuse(record('request', checked.errors));
        const json = res.json.bind(res);
        res.json = (body: unknown) => {
          if (res.statusCode >= 200 && res.statusCode < 300) {
            const result = api.validateResponse(body, operation, res.statusCode);
            if (!result.valid) {
              res.status(500);
              const v = record('response', result.errors);
              return json({
                code: 0,
                message: `Sandbox contract violation (response) for ${v.method} ${v.path}: ${JSON.stringify(v.errors)}`,
                more_info: '',
                status: 500,
              });
            }
          }
          return json(body);
        };
        next();
      })
      .catch(next);
  };
}
