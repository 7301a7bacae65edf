import { ApplicationFailure } from '@temporalio/common';
import type { Twilio } from 'twilio';
import type { ActivityDeps } from '../deps';
import { recordSubmissionStatus } from '../../db/carrier-registrations';
import { RegistrationRefusal } from '../../workflows/carrier-registration/definitions';
import { callRegistration, POLICY, recordRegistrationMade, registrationContext, required, resourceName, type RegistrationContext } from './shared';

/** Trust Hub posts each bundle's status changes here: the registration reads the verdict at once instead of at its next poll. */
const registrationCallbackUrl = (deps: ActivityDeps) => `${deps.config.PUBLIC_BASE_URL}/webhooks/twilio/registration`;

type EvaluationResult = { passed?: boolean; error_code?: number; friendly_name?: string };

/** What the flow does with a bundle; customer profiles and trust products are the same resource under two names. */
interface BundleOps {
  find(friendlyName: string): Promise<string | undefined>;
  create(friendlyName: string, email: string, policySid: string): Promise<string>;
  status(sid: string): Promise<string>;
  held(sid: string): Promise<string[]>;
  assign(sid: string, objectSid: string): Promise<unknown>;
  evaluate(sid: string, policySid: string): Promise<EvaluationResult[]>;
  submit(sid: string): Promise<string>;
}

function customerProfileOps(client: Twilio, statusCallback: string): BundleOps {
  const bundles = client.trusthub.v1.customerProfiles;
  return {
    find: async (friendlyName) => (await bundles.list({ friendlyName, limit: 20 }))[0]?.sid,
    create: async (friendlyName, email, policySid) => (await bundles.create({ friendlyName, email, policySid, statusCallback })).sid,
    status: async (sid) => (await bundles(sid).fetch()).status,
    held: async (sid) => (await bundles(sid).customerProfilesEntityAssignments.list({ limit: 200 })).map((a) => a.objectSid),
    assign: (sid, objectSid) => bundles(sid).customerProfilesEntityAssignments.create({ objectSid }),
    evaluate: async (sid, policySid) => (await bundles(sid).customerProfilesEvaluations.create({ policySid })).results as EvaluationResult[],
    submit: async (sid) => (await bundles(sid).update({ status: 'pending-review' })).status,
  };
}

function trustProductOps(client: Twilio, statusCallback: string): BundleOps {
  const bundles = client.trusthub.v1.trustProducts;
  return {
    find: async (friendlyName) => (await bundles.list({ friendlyName, limit: 20 }))[0]?.sid,
    create: async (friendlyName, email, policySid) => (await bundles.create({ friendlyName, email, policySid, statusCallback })).sid,
    status: async (sid) => (await bundles(sid).fetch()).status,
    held: async (sid) => (await bundles(sid).trustProductsEntityAssignments.list({ limit: 200 })).map((a) => a.objectSid),
    assign: (sid, objectSid) => bundles(sid).trustProductsEntityAssignments.create({ objectSid }),
    evaluate: async (sid, policySid) => (await bundles(sid).trustProductsEvaluations.create({ policySid })).results as EvaluationResult[],
    submit: async (sid) => (await bundles(sid).update({ status: 'pending-review' })).status,
  };
}

interface EndUserSpec {
  part: string;
  type: string;
  attributes: Record<string, string>;
}

/** An end user by its name: created once, its attributes brought up to date (a correction changes them). */
async function ensureEndUser(client: Twilio, tenantId: string, spec: EndUserSpec): Promise<string> {
  const friendlyName = resourceName(tenantId, spec.part);
  const endUsers = client.trusthub.v1.endUsers;
  const found = (await callRegistration('list end users', () => endUsers.list({ limit: 200 }))).find((e) => e.friendlyName === friendlyName);
  if (!found)
    return (await callRegistration(`create end user ${spec.type}`, () => endUsers.create({ friendlyName, type: spec.type, attributes: spec.attributes }))).sid;
  if (JSON.stringify(found.attributes) !== JSON.stringify(spec.attributes)) {
    await callRegistration(`update end user ${spec.type}`, () => endUsers(found.sid).update({ attributes: spec.attributes }));
  }
  return found.sid;
}

/** The business address and the supporting document that holds it, each made once. */
async function ensureAddressDocument({ client, tenant, registration }: RegistrationContext): Promise<string> {
  const a = registration.details.business.address;
  const friendlyName = resourceName(tenant.id, 'address');
  const address =
    (await callRegistration('list addresses', () => client.addresses.list({ friendlyName, limit: 20 })))[0] ??
    (await callRegistration('create address', () =>
      client.addresses.create({
        friendlyName,
        customerName: tenant.business_name,
        street: a.street,
        city: a.city,
        region: a.region,
        postalCode: a.postalCode,
        isoCountry: a.isoCountry,
      }),
    ));
  const documentName = resourceName(tenant.id, 'address-document');
  const documents = client.trusthub.v1.supportingDocuments;
  const document =
    (await callRegistration('list supporting documents', () => documents.list({ limit: 200 }))).find((d) => d.friendlyName === documentName) ??
    (await callRegistration('create address document', () =>
      documents.create({ friendlyName: documentName, type: 'customer_profile_address', attributes: { address_sids: address.sid } }),
    ));
  return document.sid;
}

/**
 * A bundle (customer profile or trust product) by its stored SID or its name, holding every
 * object it must, evaluated against its policy and submitted once: a draft (an attempt that
 * died before submitting) or a rejected bundle (after a correction) is submitted, anything
 * further along is left as it is. Answers its SID and status.
 */
async function ensureBundle(
  deps: ActivityDeps,
  ctx: RegistrationContext,
  spec: { resource: 'customerProfile' | 'trustProduct'; ops: BundleOps; policySid: string; objects: () => Promise<string[]> },
) {
  const { tenant, registration } = ctx;
  const { ops, resource } = spec;
  let sid = registration.sids[resource];
  if (!sid) {
    const friendlyName = resourceName(tenant.id, resource);
    const found = await callRegistration(`find ${resource}`, () => ops.find(friendlyName));
    sid = found ?? (await callRegistration(`create ${resource}`, () => ops.create(friendlyName, tenant.contact_email, spec.policySid)));
    await recordRegistrationMade(deps.db, tenant.id, resource, sid, { adopted: !!found });
  }
  const bundleSid = sid;
  // Objects are synced whatever the bundle's status: a correction changes end users' attributes.
  const wanted = await spec.objects();
  const held = new Set(await callRegistration('list assignments', () => ops.held(bundleSid)));
  for (const objectSid of wanted) if (!held.has(objectSid)) await callRegistration('assign to bundle', () => ops.assign(bundleSid, objectSid));
  let status = await callRegistration(`fetch ${resource}`, () => ops.status(bundleSid));
  if (status === 'draft' || status === 'twilio-rejected') {
    const failing = (await callRegistration(`evaluate ${resource}`, () => ops.evaluate(bundleSid, spec.policySid))).filter((r) => r.passed === false);
    if (failing.length) {
      throw ApplicationFailure.nonRetryable(`the ${resource} does not comply with its policy`, RegistrationRefusal.TwilioRefused, {
        code: failing[0].error_code,
        description: `The ${resource} is missing: ${failing.map((f) => f.friendly_name ?? f.error_code).join(', ')}`,
      });
    }
    status = await callRegistration(`submit ${resource}`, () => ops.submit(bundleSid));
  }
  await recordSubmissionStatus(deps.db, tenant.id, resource, status);
  return { sid: bundleSid, status };
}

/** The ISV's primary customer profile in the parent account, which every secondary profile holds. */
async function primaryProfileSid({ twilio }: ActivityDeps): Promise<string> {
  const [primary] = await callRegistration('find the primary customer profile', () =>
    twilio.platform().trusthub.v1.customerProfiles.list({ policySid: POLICY.primaryProfile, status: 'twilio-approved', limit: 1 }),
  );
  if (!primary) throw ApplicationFailure.nonRetryable('the ISV has no approved primary customer profile', 'PrimaryCustomerProfileMissing');
  return primary.sid;
}

const soleProprietor = (ctx: RegistrationContext) => ctx.registration.brandType === 'SOLE_PROPRIETOR';

function profileEndUsers(ctx: RegistrationContext): EndUserSpec[] {
  const { business } = ctx.registration.details;
  const r = business.representative;
  if (soleProprietor(ctx)) {
    return [
      {
        part: 'starter-information',
        type: 'starter_customer_profile_information',
        attributes: { first_name: r.firstName, last_name: r.lastName, email: r.email, phone_number: required(business.mobile, 'the owner’s mobile number') },
      },
    ];
  }
  return [
    {
      part: 'business-information',
      type: 'customer_profile_business_information',
      attributes: {
        business_name: business.legalName ?? ctx.tenant.business_name,
        business_identity: 'direct_customer',
        business_type: business.businessType ?? 'Limited Liability Corporation',
        business_industry: business.industry ?? 'TECHNOLOGY',
        business_registration_identifier: 'EIN',
        business_registration_number: required(business.ein, 'the EIN'),
        business_regions_of_operation: 'USA_AND_CANADA',
        website_url: required(ctx.tenant.website ?? ctx.kyc?.website, 'the business website'),
      },
    },
    {
      part: 'representative',
      type: 'authorized_representative_1',
      attributes: { first_name: r.firstName, last_name: r.lastName, email: r.email, phone_number: r.phone, business_title: r.title, job_position: r.title },
    },
  ];
}

/** Trust Hub: the tenant's secondary (or, for a sole proprietor, starter) customer profile and its A2P trust product. */
export function createBundleActivities(deps: ActivityDeps) {
  return {
    async ensureCustomerProfile(tenantId: string): Promise<{ sid: string; status: string }> {
      const ctx = await registrationContext(deps, tenantId);
      return ensureBundle(deps, ctx, {
        resource: 'customerProfile',
        ops: customerProfileOps(ctx.client, registrationCallbackUrl(deps)),
        policySid: soleProprietor(ctx) ? POLICY.starterProfile : POLICY.secondaryProfile,
        objects: async () => [
          await primaryProfileSid(deps),
          await ensureAddressDocument(ctx),
          ...(await Promise.all(profileEndUsers(ctx).map((e) => ensureEndUser(ctx.client, tenantId, e)))),
        ],
      });
    },

    async ensureTrustProduct(tenantId: string): Promise<{ sid: string; status: string }> {
      const ctx = await registrationContext(deps, tenantId);
      const profileSid = required(ctx.registration.sids.customerProfile, 'a customer profile first');
      const { business } = ctx.registration.details;
      const info: EndUserSpec = soleProprietor(ctx)
        ? {
            part: 'sole-proprietor-information',
            type: 'sole_proprietor_information',
            attributes: {
              brand_name: ctx.tenant.business_name,
              vertical: business.industry ?? 'TECHNOLOGY',
              mobile_phone_number: required(business.mobile, 'the owner’s mobile number'),
            },
          }
        : { part: 'a2p-information', type: 'us_a2p_messaging_profile_information', attributes: { company_type: business.companyType ?? 'private' } };
      return ensureBundle(deps, ctx, {
        resource: 'trustProduct',
        ops: trustProductOps(ctx.client, registrationCallbackUrl(deps)),
        policySid: soleProprietor(ctx) ? POLICY.soleProprietorTrustProduct : POLICY.a2pTrustProduct,
        objects: async () => [await ensureEndUser(ctx.client, tenantId, info), profileSid],
      });
    },
  };
}
