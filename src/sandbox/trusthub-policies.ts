import { createHash } from 'node:crypto';
import { iso8601 } from './ids';
import type { BundleKind, RegistrationState, TrustHubBundle, TrustHubItem } from './registration-state';

/**
 * The Trust Hub policies (regulations) the ISV registration flow uses, with Twilio's real
 * SIDs, and the evaluation of a bundle against its policy: which end users (with which
 * attributes) and supporting documents it must hold. Failure codes are Twilio's
 * evaluation codes (22214 end user missing, 22215 field missing, 22216 document missing,
 * 22219 address missing).
 */
export interface Policy {
  sid: string;
  friendlyName: string;
  kind: BundleKind;
  endUsers: Array<{ type: string; fields: string[] }>;
  documents: Array<{ type: string; fields: string[] }>;
  /** A customer profile (of these policies) the bundle must hold too. */
  holdsProfileOf?: string[];
}

export const PRIMARY_PROFILE_POLICY = 'RN6433641899984f951173ef1738c3bdd0';
export const SECONDARY_PROFILE_POLICY = 'RNdfbf3fae0e1107f8aded0e7cead80bf5';
export const STARTER_PROFILE_POLICY = 'RN806dd6cd175f314e1f96a9727ee271f4';
export const A2P_TRUST_PRODUCT_POLICY = 'RNb0d4771c2c98518d916a3d4cd70a8f8b';
export const SOLE_PROPRIETOR_TRUST_PRODUCT_POLICY = 'RN670d5d2e282a6130ae063b234b6019c8';

const businessInformation = {
  type: 'customer_profile_business_information',
  fields: [
    'business_name',
    'business_identity',
    'business_type',
    'business_industry',
    'business_registration_identifier',
    'business_registration_number',
    'business_regions_of_operation',
    'website_url',
  ],
};
const representative = { type: 'authorized_representative_1', fields: ['first_name', 'last_name', 'email', 'phone_number', 'business_title', 'job_position'] };
const address = { type: 'customer_profile_address', fields: ['address_sids'] };

export const POLICIES: readonly Policy[] = [
  {
    sid: PRIMARY_PROFILE_POLICY,
    friendlyName: 'Primary Customer Profile of type Business',
    kind: 'customer-profile',
    endUsers: [businessInformation, representative],
    documents: [address],
  },
  {
    sid: SECONDARY_PROFILE_POLICY,
    friendlyName: 'Secondary Customer Profile of type Business',
    kind: 'customer-profile',
    endUsers: [businessInformation, representative],
    documents: [address],
    holdsProfileOf: [PRIMARY_PROFILE_POLICY],
  },
  {
    sid: STARTER_PROFILE_POLICY,
    friendlyName: 'Starter Customer Profile (sole proprietor)',
    kind: 'customer-profile',
    endUsers: [{ type: 'starter_customer_profile_information', fields: ['first_name', 'last_name', 'email', 'phone_number'] }],
    documents: [address],
    holdsProfileOf: [PRIMARY_PROFILE_POLICY],
  },
  {
    sid: A2P_TRUST_PRODUCT_POLICY,
    friendlyName: 'A2P Messaging: Local - Business',
    kind: 'trust-product',
    endUsers: [{ type: 'us_a2p_messaging_profile_information', fields: ['company_type'] }],
    documents: [],
    holdsProfileOf: [SECONDARY_PROFILE_POLICY, PRIMARY_PROFILE_POLICY],
  },
  {
    sid: SOLE_PROPRIETOR_TRUST_PRODUCT_POLICY,
    friendlyName: 'Sole Proprietor A2P Messaging Profile',
    kind: 'trust-product',
    endUsers: [{ type: 'sole_proprietor_information', fields: ['brand_name', 'vertical', 'mobile_phone_number'] }],
    documents: [],
    holdsProfileOf: [STARTER_PROFILE_POLICY],
  },
];

export const policyBySid = (sid: string) => POLICIES.find((p) => p.sid === sid);

export function policyJson(p: Policy) {
  const requirement = (r: { type: string; fields: string[] }, kind: 'EndUserTypes' | 'SupportingDocumentTypes') => ({
    url: `/${kind}/${r.type}`,
    fields: r.fields,
    type: kind === 'EndUserTypes' ? 'EndUser' : 'Document',
    name: r.type,
    requirement_name: r.type,
  });
  return {
    sid: p.sid,
    friendly_name: p.friendlyName,
    requirements: {
      end_user: p.endUsers.map((r) => requirement(r, 'EndUserTypes')),
      supporting_trust_products: [],
      supporting_document: p.documents.map((r) => [requirement(r, 'SupportingDocumentTypes')]),
      supporting_customer_profiles: (p.holdsProfileOf ?? []).map((sid) => ({ policy_sid: sid })),
    },
    url: `https://trusthub.twilio.com/v1/Policies/${p.sid}`,
  };
}

const missingField = (type: string, field: string) => ({
  friendly_name: field,
  object_field: field,
  failure_reason: `The ${field} is missing. Please enter it on the ${type}.`,
  error_code: 22215,
});

function checkItems(required: Array<{ type: string; fields: string[] }>, held: TrustHubItem[], missingCode: number, state: RegistrationState) {
  return required.map((r) => {
    const item = held.find((h) => h.type === r.type);
    const blank = (f: string) => item?.attributes[f] === undefined || item.attributes[f] === '';
    const invalid = item ? r.fields.filter(blank).map((f) => missingField(r.type, f)) : [];
    // An address document must name addresses that exist.
    if (item && r.fields.includes('address_sids') && !blank('address_sids')) {
      const sids = String(item.attributes.address_sids)
        .split(',')
        .map((s) => s.trim());
      if (!sids.every((s) => state.addresses.has(s)))
        invalid.push({ ...missingField(r.type, 'address_sids'), failure_reason: 'The Address is missing.', error_code: 22219 });
    }
    return {
      friendly_name: r.type,
      object_type: r.type,
      requirement_name: r.type,
      requirement_friendly_name: r.type,
      passed: Boolean(item) && invalid.length === 0,
      failure_reason: item ? (invalid.length ? `The ${r.type} is incomplete.` : null) : `A ${r.type} is missing. Please add one to the bundle.`,
      error_code: item ? (invalid.length ? invalid[0].error_code : null) : missingCode,
      valid: item && !invalid.length ? [{ friendly_name: r.type, object_field: r.type }] : [],
      invalid,
    };
  });
}

/** What Twilio's Evaluations resource answers for a bundle: compliant, or which requirement fails. */
export function evaluateBundle(
  state: RegistrationState,
  bundle: TrustHubBundle,
): { status: 'compliant' | 'noncompliant'; results: Array<{ passed: boolean; error_code: number | null }> } {
  const policy = policyBySid(bundle.policySid);
  const objects = state.assignmentsOf(bundle.sid).map((a) => a.objectSid);
  const endUsers = objects.map((s) => state.endUsers.get(s)).filter((x) => x !== undefined);
  const documents = objects.map((s) => state.documents.get(s)).filter((x) => x !== undefined);
  const profiles = objects.map((s) => state.bundles.get(s)).filter((b) => b !== undefined && b.kind === 'customer-profile');
  const results = [...checkItems(policy?.endUsers ?? [], endUsers, 22214, state), ...checkItems(policy?.documents ?? [], documents, 22216, state)];
  if (policy?.holdsProfileOf) {
    const accepted = policy.holdsProfileOf;
    const held = profiles.some((p) => p !== undefined && accepted.includes(p.policySid));
    results.push({
      friendly_name: 'Customer Profile',
      object_type: 'customer_profile',
      requirement_name: 'customer_profile',
      requirement_friendly_name: 'Customer Profile',
      passed: held,
      failure_reason: held ? null : 'A Customer Profile is missing. Please add one to the bundle.',
      error_code: held ? null : 22214,
      valid: [],
      invalid: [],
    });
  }
  return { status: results.every((r) => r.passed) ? 'compliant' : 'noncompliant', results };
}

/** Every attribute of every end user a bundle holds, directly or through a customer profile it holds. */
export function bundleFacts(state: RegistrationState, bundleSid: string, seen = new Set<string>()): Record<string, unknown> {
  if (seen.has(bundleSid)) return {};
  seen.add(bundleSid);
  let facts: Record<string, unknown> = {};
  for (const a of state.assignmentsOf(bundleSid)) {
    const nested = state.bundles.get(a.objectSid);
    // A secondary profile holds the ISV's primary: the customer's own facts must win.
    if (nested && nested.policySid !== PRIMARY_PROFILE_POLICY) facts = { ...bundleFacts(state, nested.sid, seen), ...facts };
    const item = state.endUsers.get(a.objectSid);
    if (item) facts = { ...facts, ...item.attributes };
  }
  return facts;
}

/**
 * The ISV's own primary customer profile, twilio-approved (on Twilio it is made once in the
 * Console): secondary profiles hold it. Its SID is fixed per platform account.
 */
export function seedPrimaryProfile(state: RegistrationState, accountSid: string): string {
  const sid = `BU${createHash('sha256').update(`primary:${accountSid}`).digest('hex').slice(0, 32)}`;
  if (!state.bundles.has(sid)) {
    const now = iso8601(new Date());
    state.bundles.set(sid, {
      sid,
      accountSid,
      kind: 'customer-profile',
      friendlyName: 'clearsend (ISV primary customer profile)',
      email: 'compliance@clearsend.invalid',
      policySid: PRIMARY_PROFILE_POLICY,
      statusCallback: null,
      status: 'twilio-approved',
      validUntil: null,
      errors: [],
      dateCreated: now,
      dateUpdated: now,
    });
  }
  return sid;
}
