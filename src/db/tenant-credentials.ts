import type { Twilio } from 'twilio';
import type { Db } from './knex';
import type { StoredSubaccountCredentials, TwilioClientFactory } from '../twilio/client-factory';

/** A subaccount's stored credentials with the tenant they belong to. */
export interface TenantCredentials extends StoredSubaccountCredentials {
  tenantId: string;
}

type CredentialsRow = { tenant_id: string; subaccount_sid: string; sealed_auth_token: string };

const asCredentials = (row: CredentialsRow | undefined): TenantCredentials | undefined =>
  row && { tenantId: row.tenant_id, subaccountSid: row.subaccount_sid, sealedAuthToken: row.sealed_auth_token };

/** The tenant's subaccount credentials as stored (token still sealed); undefined before its subaccount exists. */
export async function credentialsOfTenant(db: Db, tenantId: string): Promise<TenantCredentials | undefined> {
  return asCredentials(
    await db('tenant_credentials').where({ tenant_id: tenantId }).first<CredentialsRow | undefined>('tenant_id', 'subaccount_sid', 'sealed_auth_token'),
  );
}

/** The stored credentials of a subaccount by its SID (what a webhook names), with its tenant. */
export async function credentialsOfSubaccount(db: Db, subaccountSid: string): Promise<TenantCredentials | undefined> {
  return asCredentials(
    await db('tenant_credentials')
      .where({ subaccount_sid: subaccountSid })
      .first<CredentialsRow | undefined>('tenant_id', 'subaccount_sid', 'sealed_auth_token'),
  );
}

/** A tenant's subaccount: its SID, and its Twilio clients (the token is opened only by the factory). */
export interface TenantSubaccount {
  subaccountSid: string;
  /** `requestTimeoutMs` bounds each request (default: the factory's). */
  client(options?: { requestTimeoutMs?: number }): Twilio;
}

/** The tenant's subaccount, from its stored credentials; undefined before its subaccount exists. */
export async function tenantSubaccount(db: Db, twilio: TwilioClientFactory, tenantId: string): Promise<TenantSubaccount | undefined> {
  const credentials = await credentialsOfTenant(db, tenantId);
  if (!credentials) return undefined;
  return { subaccountSid: credentials.subaccountSid, client: (options) => twilio.forSubaccount(credentials, options) };
}
