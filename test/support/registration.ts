import type { SandboxHarness } from './sandbox';

/** Twilio's Trust Hub policy SIDs for the ISV flow (the sandbox knows the same ones). */
export const POLICY = {
  secondaryProfile: 'RNdfbf3fae0e1107f8aded0e7cead80bf5',
  starterProfile: 'RN806dd6cd175f314e1f96a9727ee271f4',
  a2pTrustProduct: 'RNb0d4771c2c98518d916a3d4cd70a8f8b',
  soleProprietorTrustProduct: 'RN670d5d2e282a6130ae063b234b6019c8',
};

type Client = ReturnType<SandboxHarness['subaccountClient']>;

/** A tenant's subaccount and a client for it, as clearsend provisions one. */
export async function registrationTenant(h: SandboxHarness, name: string) {
  const account = await h.twilio.platform().api.v2010.accounts.create({ friendlyName: name });
  return { account, client: h.subaccountClient(account.sid, account.authToken) };
}

async function addressDocument(client: Client, name: string) {
  const address = await client.addresses.create({
    customerName: name,
    street: '1 Main St',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94103',
    isoCountry: 'US',
  });
  return client.trusthub.v1.supportingDocuments.create({
    friendlyName: `${name} address`,
    type: 'customer_profile_address',
    attributes: { address_sids: address.sid },
  });
}

async function assembleProfile(
  client: Client,
  h: SandboxHarness,
  policySid: string,
  name: string,
  endUsers: Array<{ type: string; attributes: object }>,
  statusCallback?: string,
) {
  const profile = await client.trusthub.v1.customerProfiles.create({ friendlyName: name, email: 'compliance@example.com', policySid, statusCallback });
  const held = [h.sandbox.primaryCustomerProfileSid, (await addressDocument(client, name)).sid];
  for (const e of endUsers) held.push((await client.trusthub.v1.endUsers.create({ friendlyName: `${name} ${e.type}`, ...e })).sid);
  for (const objectSid of held) await client.trusthub.v1.customerProfiles(profile.sid).customerProfilesEntityAssignments.create({ objectSid });
  return profile;
}

async function assembleTrustProduct(client: Client, policySid: string, name: string, profileSid: string, endUser: { type: string; attributes: object }) {
  const product = await client.trusthub.v1.trustProducts.create({ friendlyName: `${name} A2P`, email: 'compliance@example.com', policySid });
  const info = await client.trusthub.v1.endUsers.create({ friendlyName: `${name} ${endUser.type}`, ...endUser });
  for (const objectSid of [info.sid, profileSid]) await client.trusthub.v1.trustProducts(product.sid).trustProductsEntityAssignments.create({ objectSid });
  return product;
}

/** A secondary customer profile and A2P trust product, both submitted for review (the ISV guide's steps 1–2). */
export async function standardBundles(client: Client, h: SandboxHarness, opts: { name: string; ein: string; statusCallback?: string }) {
  const business = {
    business_name: opts.name,
    business_identity: 'isv_reseller_or_partner',
    business_type: 'Limited Liability Corporation',
    business_industry: 'TECHNOLOGY',
    business_registration_identifier: 'EIN',
    business_registration_number: opts.ein,
    business_regions_of_operation: 'USA_AND_CANADA',
    website_url: 'https://example.com',
  };
  const representative = {
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.com',
    phone_number: '+14155550100',
    business_title: 'CEO',
    job_position: 'CEO',
  };
  const profile = await assembleProfile(
    client,
    h,
    POLICY.secondaryProfile,
    opts.name,
    [
      { type: 'customer_profile_business_information', attributes: business },
      { type: 'authorized_representative_1', attributes: representative },
    ],
    opts.statusCallback,
  );
  await client.trusthub.v1.customerProfiles(profile.sid).update({ status: 'pending-review' });
  const product = await assembleTrustProduct(client, POLICY.a2pTrustProduct, opts.name, profile.sid, {
    type: 'us_a2p_messaging_profile_information',
    attributes: { company_type: 'private' },
  });
  await client.trusthub.v1.trustProducts(product.sid).update({ status: 'pending-review' });
  return { profileSid: profile.sid, trustProductSid: product.sid };
}

/** A starter profile and a sole proprietor trust product naming the owner's mobile, both submitted. */
export async function soleProprietorBundles(client: Client, h: SandboxHarness, opts: { name: string; mobile: string }) {
  const owner = { first_name: 'Sam', last_name: 'Solo', email: 'sam@example.com', phone_number: opts.mobile };
  const profile = await assembleProfile(client, h, POLICY.starterProfile, opts.name, [{ type: 'starter_customer_profile_information', attributes: owner }]);
  await client.trusthub.v1.customerProfiles(profile.sid).update({ status: 'pending-review' });
  const product = await assembleTrustProduct(client, POLICY.soleProprietorTrustProduct, opts.name, profile.sid, {
    type: 'sole_proprietor_information',
    attributes: { brand_name: opts.name, vertical: 'RETAIL', mobile_phone_number: opts.mobile },
  });
  await client.trusthub.v1.trustProducts(product.sid).update({ status: 'pending-review' });
  return { profileSid: profile.sid, trustProductSid: product.sid };
}

/** A Messaging Service with one bought number in its sender pool. */
export async function serviceWithNumber(client: Client, name: string) {
  const service = await client.messaging.v1.services.create({
    friendlyName: name,
    statusCallback: 'https://example.com/status',
    inboundRequestUrl: 'https://example.com/inbound',
    useInboundWebhookOnNumber: false,
  });
  const [available] = await client.availablePhoneNumbers('US').local.list({ areaCode: 415, limit: 1 });
  const number = await client.incomingPhoneNumbers.create({ phoneNumber: available.phoneNumber });
  await client.messaging.v1.services(service.sid).phoneNumbers.create({ phoneNumberSid: number.sid });
  return service;
}

export const campaignInput = (brandRegistrationSid: string, overrides: Record<string, unknown> = {}) => ({
  brandRegistrationSid,
  usAppToPersonUsecase: 'ACCOUNT_NOTIFICATION',
  description: 'Appointment reminders and account notices sent to customers who opted in at signup.',
  messageFlow: 'Customers opt in by ticking an unticked SMS consent box on the signup form at https://example.com/signup.',
  messageSamples: [
    'Acme: your appointment is tomorrow at 10:00. Reply STOP to opt out.',
    'Acme: your password was changed. Reply HELP for help, STOP to stop.',
  ],
  hasEmbeddedLinks: false,
  hasEmbeddedPhone: false,
  optInKeywords: ['START'],
  optInMessage: 'Acme: you are subscribed to account alerts. Reply HELP for help, STOP to stop.',
  privacyPolicyUrl: 'https://example.com/privacy',
  termsAndConditionsUrl: 'https://example.com/terms',
  ...overrides,
});

/** The sandbox's resource counts after one complete 10DLC registration: one of everything, three end users. */
export const ONE_10DLC_REGISTRATION = {
  customerProfiles: 1,
  trustProducts: 1,
  endUsers: 3,
  supportingDocuments: 1,
  addresses: 1,
  brands: 1,
  messagingServices: 1,
  campaigns: 1,
  tollfreeVerifications: 0,
};
