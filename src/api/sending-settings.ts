import type { Knex } from 'knex';
import { HttpProblem } from './problem';
import { senderLimitsOf, type SenderLimits } from '../db/sender-limits';

export interface SendingSettings {
  tenantId: string;
  relayCadenceMinutes: number;
  timeZone: string;
  destinationCountries: string[];
  /** The answer to HELP / INFO (null: clearsend's default naming the business and its contact). */
  helpText: string | null;
  /** Who gets replies from numbers that are not contacts. */
  defaultUser: string;
  /** Whether reply notifications are also emailed to their user. */
  replyEmails: boolean;
  /** Days after which message and reply bodies are purged here and redacted at Twilio (7–730). */
  retentionDays: number;
  /** The tenant's current numbers and their limits: MPS, daily cap, and the registration's class and ceiling. */
  senders: SenderLimits[];
}

/** What governs a tenant's sending, as the tenant and staff both see it; 404 for no such tenant. */
export async function sendingSettingsOf(db: Knex | Knex.Transaction, tenantId: string): Promise<SendingSettings> {
  const tenant = await db('tenants').where({ id: tenantId }).first<
    | {
        relay_cadence_minutes: number;
        time_zone: string;
        destination_countries: string[];
        help_text: string | null;
        default_user: string;
        reply_emails: boolean;
        retention_days: number;
      }
    | undefined
  >('relay_cadence_minutes', 'time_zone', 'destination_countries', 'help_text', 'default_user', 'reply_emails', 'retention_days');
  if (!tenant) throw new HttpProblem(404, 'Not found', `No tenant ${tenantId}.`);
  return {
    tenantId,
    relayCadenceMinutes: tenant.relay_cadence_minutes,
    timeZone: tenant.time_zone,
    destinationCountries: tenant.destination_countries,
    helpText: tenant.help_text,
    defaultUser: tenant.default_user,
    replyEmails: tenant.reply_emails,
    retentionDays: tenant.retention_days,
    senders: await senderLimitsOf(db, tenantId),
  };
}

/** The columns behind the settings a tenant may change (PATCH /v1/tenants/:id/settings). */
export const SETTING_COLUMNS = {
  relayCadenceMinutes: 'relay_cadence_minutes',
  timeZone: 'time_zone',
  helpText: 'help_text',
  defaultUser: 'default_user',
  replyEmails: 'reply_emails',
  retentionDays: 'retention_days',
} as const satisfies Partial<Record<keyof SendingSettings, string>>;
