import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { orExit } from '../config-cli';
import { createDb } from '../db/knex';
import { createLogger } from '../logger';
import { createApp } from './app';
import { createTwilioClientFactory } from '../twilio/client-factory';
import { healthConnection } from './health';
import { temporalConnectionOptions } from '../temporal-connection';

async function main() {
  const config = orExit(() => loadConfig());
  const log = createLogger({ level: config.LOG_LEVEL, name: 'clearsend-api' });
  const db = createDb(config.DATABASE_URL);
  // Lazy: the API starts (and /healthz can say Temporal is down) even when Temporal is not up yet.
  const temporalOptions = orExit(() => temporalConnectionOptions(config));
  const connection = Connection.lazy(temporalOptions);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const temporalHealth = healthConnection(temporalOptions);
  const app = createApp({ db, temporal, temporalHealth, log, config, twilio: createTwilioClientFactory(config) });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.API_PORT, () => resolve(s));
  });
  log.info({ url: `http://127.0.0.1:${config.API_PORT}` }, 'API listening');

  const stop = (signal: string) => {
    log.info({ signal }, 'API stopping');
    server.close(() => {
      void Promise.allSettled([db.destroy(), connection.close(), temporalHealth.close()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
