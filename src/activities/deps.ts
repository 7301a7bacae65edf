import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Db } from '../db/knex';
import type { Mailer } from '../mail/mailer';
import type { TwilioClientFactory } from '../twilio/client-factory';

/** What every activity factory is built from: injected, so tests can hand in their own. */
export interface ActivityDeps {
  db: Db;
  twilio: TwilioClientFactory;
  clock: () => Date;
  log: Logger;
  config: Config;
  /** Unset: nodemailer to `SMTP_URL`. */
  mailer?: Mailer;
}
