import { Client, Connection } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import type { Config } from '../../src/config';
import { createApp } from '../../src/api/app';
import { healthConnection } from '../../src/api/health';
import { randomBytes } from 'node:crypto';
import { issueApiKey } from '../../src/api/api-keys';
import { createDb, type Db } from '../../src/db/knex';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { sampleRegistrationDetails } from '../../src/dev/sample-registration';

/** The real Express app on the run's real PostgreSQL and Temporal (no network listener needed: supertest). */
export async function apiHarness(config: Config, log: Logger = pino({ level: 'silent' })) {
  const db: Db = createDb(config.DATABASE_URL);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporalHealth = healthConnection(config.TEMPORAL_ADDRESS);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({ db, temporal, temporalHealth, log, config, twilio: createTwilioClientFactory(config) });
  return {
    app,
    db,
    temporal,
    staffKey: async (name = 'alice') => (await issueApiKey(db, { role: 'staff', label: name })).key,
    /** An active tenant row as onboarding leaves it (no workflow), with a tenant key. */
    activeTenant: async ({ businessName = 'Bright Smiles Dental', keyLabel }: { businessName?: string; keyLabel?: string } = {}) => {
      const [{ id }] = await db('tenants')
        .insert({
          slug: `t-${randomBytes(4).toString('hex')}`,
          business_name: businessName,
          status: 'active',
          contact_email: 'owner@tenant.example',
          destination_countries: ['US'],
        })
        .returning<{ id: string }[]>('id');
      const issued = await issueApiKey(db, { role: 'tenant', tenantId: id, label: keyLabel });
      return { id, keyId: issued.id, key: issued.key, auth: { authorization: `Bearer ${issued.key}` } };
    },
    close: async () => {
      await db.destroy();
      await connection.close();
      await temporalHealth.close();
    },
  };
}

/** Carrier registration details the sandbox approves (a standard 10DLC brand, score 80). */
export function registrationDetailsBody(overrides: Record<string, unknown> = {}) {
  return { ...sampleRegistrationDetails({ firstName: 'Dana', lastName: 'Ortiz', email: 'dana@brightsmiles.example' }), ...overrides };
}

/** A sign-up body that passes KYC at low risk and carries registration details; override fields per test. */
export function signupBody(overrides: Record<string, unknown> = {}) {
  return {
    businessName: 'Bright Smiles Dental',
    website: 'https://brightsmiles.example',
    contact: { name: 'Dana Ortiz', email: 'dana@brightsmiles.example' },
    ownerPhone: '+14155552671',
    useCase: 'appointment_reminders',
    useCaseDescription: 'Appointment reminders for patients who booked online.',
    sampleMessages: [
      'Bright Smiles Dental: your cleaning is Tue 3pm. Reply STOP to opt out, HELP for help.',
      'Bright Smiles Dental: time for your checkup, book online. Reply STOP to opt out.',
    ],
    optInMethod: 'web_form',
    expectedMonthlyVolume: 4000,
    relayCadenceMinutes: 60,
    destinationCountries: ['US'],
    registration: registrationDetailsBody(),
    ...overrides,
  };
}
