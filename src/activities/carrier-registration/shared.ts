import { ApplicationFailure } from '@temporalio/common';
import type { Twilio } from 'twilio';
import type { ActivityDeps } from '../deps';
import { recordAudit } from '../../db/audit';
import {
  recordRegistrationResource,
  recordSubmissionStatus,
  registrationOf,
  type CarrierRegistration,
  type RegistrationResource,
} from '../../db/carrier-registrations';
import type { Db } from '../../db/knex';
import { tenantSubaccount } from '../../db/tenant-credentials';
import type { KycSubmission } from '../../domain/kyc-risk';
import { isTransientTwilioError, twilioErrorOf, twilioMessageOf } from '../../twilio/errors';
import { RegistrationRefusal } from '../../workflows/carrier-registration/definitions';
import { tenantOf, type TenantRow } from '../tenant-lifecycle/shared';

/** Twilio's Trust Hub policies for the ISV flow. */
export const POLICY = {
  primaryProfile: 'RN6433641899984f951173ef1738c3bdd0',
  secondaryProfile: 'RNdfbf3fae0e1107f8aded0e7cead80bf5',
  starterProfile: 'RN806dd6cd175f314e1f96a9727ee271f4',
  a2pTrustProduct: 'RNb0d4771c2c98518d916a3d4cd70a8f8b',
  soleProprietorTrustProduct: 'RN670d5d2e282a6130ae063b234b6019c8',
} as const;

/**
 * The friendly name of each Trust Hub item and Service a tenant's registration makes: a
 * retried step lists by it to find what an earlier attempt made before its SID was stored.
 */
export const resourceName = (tenantId: string, part: string) => `cs:${tenantId}:${part}`;

export interface RegistrationContext {
  tenant: TenantRow & { contact_email: string; contact_name: string; website: string | null };
  registration: CarrierRegistration;
  kyc: KycSubmission | undefined;
  client: Twilio;
}

/** The tenant, its stored registration and latest KYC, and its subaccount's client; refusals when one is missing. */
export async function registrationContext({ db, twilio }: ActivityDeps, tenantId: string): Promise<RegistrationContext> {
  const tenant = (await tenantOf(db, tenantId)) as RegistrationContext['tenant'];
  const registration = await registrationOf(db, tenantId);
  if (!registration) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} has no registration details`, RegistrationRefusal.DetailsMissing);
  const subaccount = await tenantSubaccount(db, twilio, tenantId);
  if (!subaccount) throw ApplicationFailure.nonRetryable('the tenant has no subaccount yet', 'SubaccountMissing');
  const kyc = (await db('kyc_submissions').where({ tenant_id: tenantId }).orderBy('id', 'desc').first<{ submission: KycSubmission } | undefined>())?.submission;
  return { tenant, registration, kyc, client: subaccount.client() };
}

/**
 * Runs a Twilio call of the registration. Throttling, Twilio's 5xx and network errors are
 * rethrown for Temporal to retry; any other answer is Twilio refusing what was sent: a
 * `RegistrationRefusedByTwilio` with its code, for the tenant to correct.
 */
export async function callRegistration<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isTransientTwilioError(err)) throw err;
    const e = twilioErrorOf(err)!;
    const message = twilioMessageOf(e);
    throw ApplicationFailure.nonRetryable(`${doing}: Twilio ${e.code ?? e.status}: ${message ?? ''}`.trim(), RegistrationRefusal.TwilioRefused, {
      code: e.code,
      status: e.status,
      description: `${doing}: ${message ?? `Twilio error ${e.code ?? e.status}`}`,
    });
  }
}

/** The registration details a step needs; a refusal naming what is missing otherwise. */
export function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '')
    throw ApplicationFailure.nonRetryable(`the registration needs ${what}`, RegistrationRefusal.DetailsMissing, { description: `Missing: ${what}` });
  return value;
}

/**
 * What Twilio made for a tenant's registration, stored right after Twilio answered (so a retry
 * finds it) and audited; `status` is Twilio's first word on it when it is a submission (its kind
 * is the resource's name).
 */
export async function recordRegistrationMade(
  db: Db,
  tenantId: string,
  resource: RegistrationResource,
  sid: string,
  facts: { adopted?: boolean; status?: string; details?: Record<string, unknown> } = {},
): Promise<void> {
  await recordRegistrationResource(db, tenantId, resource, sid);
  if (facts.status !== undefined && resource !== 'messagingService') await recordSubmissionStatus(db, tenantId, resource, facts.status);
  await recordAudit(db, {
    actor: 'system:registration',
    actorKind: 'system',
    tenantId,
    action: `registration.${resource}.created`,
    details: { sid, ...(facts.adopted === undefined ? {} : { adopted: facts.adopted }), ...facts.details },
  });
}
