import express, { type Express } from 'express';
import type { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config';
import { logSerializers } from '../logger';
import type { Db } from '../db/knex';
import type { TwilioClientFactory } from '../twilio/client-factory';
import { healthHandler } from './health';
import { createApiMetrics } from './metrics';
import { metricsAccess } from './metrics-access';
import { errorHandler, notFoundHandler } from './problem';
import { refuseUnstorableText } from './request-input';
import { campaignRoutes } from './routes/campaigns';
import { campaignListRoutes } from './routes/campaign-list';
import { templateRoutes } from './routes/templates';
import { complianceRoutes } from './routes/compliance';
import { contactRoutes } from './routes/contacts';
import { scanRoutes } from './routes/scan';
import { twilioWebhookRoutes } from './routes/twilio-webhooks';
import { tenantRoutes } from './routes/tenants';
import { apiKeyRoutes } from './routes/api-keys';
import { noticeRoutes } from './routes/notices';
import { reportRoutes } from './routes/reports';
import { optOutRequestRoutes } from './routes/opt-out-requests';
import { registrationRoutes } from './routes/registrations';
import { dataProtectionRoutes } from './routes/data-protection';
import { installConsoleSessions } from './console-auth';
import { consoleSessionRoutes } from './console-session';
import { consoleStaticRoutes } from './console-static';

export interface ApiDeps {
  db: Db;
  temporal: Client;
  /**
   * A connection for `/healthz` only, made with `healthConnection()`: one bounded attempt per
   * probe, where the client's own connection would keep retrying in the background.
   */
  temporalHealth: Connection;
  log: Logger;
  config: Config;
  twilio: TwilioClientFactory;
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  const metrics = createApiMetrics();
  app.disable('x-powered-by');
  // Only the configured proxies' X-Forwarded-For sets req.ip (sign-up limits count by it).
  app.set('trust proxy', deps.config.TRUST_PROXY);
  // The browser console's session cookie is accepted wherever a bearer key is (src/api/auth.ts).
  installConsoleSessions(app, deps.config);
  const twilioWebhooks = twilioWebhookRoutes(deps, metrics);
  // Twilio's status callbacks, the busiest route by far, go ahead of the access log and of every
  // other router: one info line per callback was a fifth of ingest's CPU (bench/webhook-ingest.ts
  // profile). Refusals and failures are still logged (the route's warn lines, errorHandler).
  app.post('/webhooks/twilio/status', metrics.observeRequests, express.urlencoded({ extended: false, limit: '1mb' }), twilioWebhooks.statusCallback);
  // Its own serializers would print request URLs and errors with the phone numbers in them.
  app.use(pinoHttp({ logger: deps.log, serializers: logSerializers, autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' } }));
  app.use(metrics.observeRequests);
  app.use(express.json({ limit: '1mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  // Webhooks check their signature first, then the same rule (routes/twilio-webhooks.ts).
  app.use('/v1', refuseUnstorableText);

  app.get('/healthz', healthHandler({ db: deps.db, temporal: deps.temporalHealth }));
  app.get('/metrics', metricsAccess(deps.config.METRICS_TOKEN), metrics.handler);
  app.use(tenantRoutes(deps));
  app.use(apiKeyRoutes(deps));
  app.use(complianceRoutes(deps));
  app.use(registrationRoutes(deps));
  app.use(scanRoutes(deps));
  app.use(contactRoutes(deps));
  app.use(campaignRoutes(deps));
  app.use(campaignListRoutes(deps));
  app.use(templateRoutes(deps));
  app.use(noticeRoutes(deps));
  app.use(reportRoutes(deps));
  app.use(optOutRequestRoutes(deps));
  app.use(dataProtectionRoutes(deps));
  app.use(twilioWebhooks.router);
  // The browser console: its session routes, then the bundle with index.html for every other page.
  app.use(consoleSessionRoutes(deps));
  app.use(consoleStaticRoutes());

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
