import type { Db } from './knex';
import type {
  BrandType,
  RegistrationDetails,
  RegistrationKind,
  RegistrationPhase,
  RegistrationReason,
  SubmissionKind,
} from '../workflows/carrier-registration/definitions';

/** The Twilio resources a registration made, by column. */
export const REGISTRATION_RESOURCES = {
  customerProfile: 'customer_profile_sid',
  trustProduct: 'trust_product_sid',
  brand: 'brand_registration_sid',
  messagingService: 'messaging_service_sid',
  campaign: 'campaign_sid',
  tollfree: 'tollfree_verification_sid',
} as const;
export type RegistrationResource = keyof typeof REGISTRATION_RESOURCES;

export interface CarrierRegistration {
  tenantId: string;
  kind: RegistrationKind;
  brandType: BrandType | null;
  details: RegistrationDetails;
  sids: Partial<Record<RegistrationResource, string>>;
  statuses: Partial<Record<SubmissionKind, string>>;
  state: RegistrationPhase;
  reasons: RegistrationReason[];
}

type Row = {
  tenant_id: string;
  kind: RegistrationKind;
  brand_type: BrandType | null;
  details: RegistrationDetails;
  statuses: Partial<Record<SubmissionKind, string>>;
  state: RegistrationPhase;
  reasons: RegistrationReason[];
} & Partial<Record<(typeof REGISTRATION_RESOURCES)[RegistrationResource], string | null>>;

function fromRow(row: Row): CarrierRegistration {
  const sids: Partial<Record<RegistrationResource, string>> = {};
  for (const [resource, column] of Object.entries(REGISTRATION_RESOURCES) as Array<[RegistrationResource, keyof Row]>) {
    const sid = row[column];
    if (typeof sid === 'string') sids[resource] = sid;
  }
  return {
    tenantId: row.tenant_id,
    kind: row.kind,
    brandType: row.brand_type,
    details: row.details,
    sids,
    statuses: row.statuses,
    state: row.state,
    reasons: row.reasons,
  };
}

/**
 * Records what a tenant registers as and with (the tenant's answers, or staff for a tenant
 * active before registration existed). A second call replaces the details and keeps every SID.
 */
export async function saveRegistrationDetails(
  db: Db,
  input: { tenantId: string; kind: RegistrationKind; brandType?: BrandType; details: RegistrationDetails },
): Promise<void> {
  await db('carrier_registrations')
    .insert({ tenant_id: input.tenantId, kind: input.kind, brand_type: input.brandType ?? null, details: JSON.stringify(input.details) })
    .onConflict('tenant_id')
    .merge({ kind: input.kind, brand_type: input.brandType ?? null, details: JSON.stringify(input.details), updated_at: db.fn.now() });
}

export async function registrationOf(db: Db, tenantId: string): Promise<CarrierRegistration | undefined> {
  const row = await db('carrier_registrations').where({ tenant_id: tenantId }).first<Row | undefined>();
  return row && fromRow(row);
}

/** Remembers a resource Twilio made, right after it answered: a retried step reads it back. */
export async function recordRegistrationResource(db: Db, tenantId: string, resource: RegistrationResource, sid: string): Promise<void> {
  await db('carrier_registrations')
    .where({ tenant_id: tenantId })
    .update({ [REGISTRATION_RESOURCES[resource]]: sid, updated_at: db.fn.now() });
}

/** Twilio's last status of one submission. */
export async function recordSubmissionStatus(db: Db, tenantId: string, kind: SubmissionKind, status: string): Promise<void> {
  await db('carrier_registrations')
    .where({ tenant_id: tenantId })
    .update({ statuses: db.raw('statuses || ?::jsonb', [JSON.stringify({ [kind]: status })]), updated_at: db.fn.now() });
}

/** The workflow's phase and reasons, for staff listings. */
export async function recordRegistrationState(db: Db, tenantId: string, state: RegistrationPhase, reasons: RegistrationReason[]): Promise<void> {
  await db('carrier_registrations')
    .where({ tenant_id: tenantId })
    .update({ state, reasons: JSON.stringify(reasons), updated_at: db.fn.now() });
}

/** A correction merged into the stored details (business facts and campaign text). */
export async function mergeRegistrationDetails(db: Db, tenantId: string, details: RegistrationDetails): Promise<void> {
  await db('carrier_registrations')
    .where({ tenant_id: tenantId })
    .update({ details: JSON.stringify(details), updated_at: db.fn.now() });
}
