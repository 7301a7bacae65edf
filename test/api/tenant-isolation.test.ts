import { randomBytes, randomInt } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import twilio from 'twilio';
import { issueApiKey } from '../../src/api/api-keys';
import { createTenantLifecycleActivities } from '../../src/activities/tenant-lifecycle';
import { createTwilioClientFactory } from '../../src/twilio/client-factory';
import { campaignProgressQuery, campaignWorkflowId } from '../../src/workflows/campaign-send/definitions';
import { lifecycleWorkflowId, tenantStateQuery } from '../../src/workflows/tenant-lifecycle/definitions';
import { saveRegistrationDetails } from '../../src/db/carrier-registrations';
import { registrationStateQuery, registrationWorkflowId, startRegistrationOptions } from '../../src/workflows/carrier-registration/definitions';
import { carrierRegistration } from '../../src/workflows/carrier-registration/workflow';
import { FAST_REGISTRATION, registrationDetails } from '../support/registering-tenant';
import { registrationDetailsBody, signupBody } from '../support/api';
import { activeTenant, platformHarness, tenantReaches, type PlatformHarness } from '../support/platform';
import { routeTable, type RouteKey } from '../support/route-table';
import { eventually } from '../support/workflow-logic';

/**
 * Tenant isolation, route by route, read from the app's own route table: every route the
 * API answers has cross-tenant cases below (or is named as holding no tenant data), so a new
 * route without one fails this suite. In each case tenant B (the intruder) aims its key, or
 * its Twilio subaccount's signature, at tenant A's data: B gets 404 (A's resource does not
 * exist for B), 403 (staff routes, webhooks not signed by the resource's owner) or an answer
 * from its own data; nothing of A's or B's changes when refused, nothing of A's shows in any
 * answer. Then the same request by the one it belongs to (A, or staff) passes, which proves
 * each case aims at a real resource through the real route.
 */

/** Who makes a request: a key, and for webhooks the Twilio subaccount that signs. */
interface Side {
  tenantId: string;
  key: string;
  accountSid: string;
  token: string;
}

interface Call {
  /** Values for the route's path parameters (`:id`, `:keyId`, …). */
  params?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  csv?: string;
  /** A Twilio webhook's form, signed with the side's token (no API key). */
  form?: Record<string, string>;
  /** Sign the form with this token instead of the caller's own. */
  signWith?: string;
}

interface IsolationCase {
  what: string;
  call: (f: Fixture, as: Side) => Call;
  /** What the intruder B gets. */
  intruder: 200 | 201 | 403 | 404;
  /** Who the route is for: A itself (default) or compliance staff. */
  allowed?: 'owner' | 'staff';
  /** Strings of A's that the allowed caller's answer holds: the route does show A's data, to A. */
  ownerSees?: (f: Fixture) => string[];
}

interface Fixture {
  a: Side & {
    number: string;
    runningCampaign: string;
    draftCampaign: string;
    spareKeyId: string;
    optOutRequestId: string;
    messageSid: string;
    contactId: string;
    /** A contact of A's for erasure's case (erasing it changes no other case), and an erasure A already made. */
    erasableContactId: string;
    erasureId: string;
    /** A's template (its body fills the contact's name), and one only the DELETE case removes. */
    templateId: string;
    spareTemplateId: string;
  };
  b: Side;
  staff: Side;
  marks: Record<
    | 'business'
    | 'contactName'
    | 'contactPhone'
    | 'otherPhone'
    | 'stopPhone'
    | 'tag'
    | 'userEmail'
    | 'running'
    | 'draft'
    | 'notice'
    | 'spareKeyPrefix'
    | 'template',
    string
  >;
}

/** Yesterday to tomorrow (UTC): today in any tenant's time zone. */
const aroundToday = () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-1), to: day(1) };
};
const newMessageSid = () => `SM${randomBytes(16).toString('hex')}`;
/** +16282001234 → (628) 200-1234 */
const national = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
const COMPLIANT = 'Your checkup is due: reply to book a time.';
/** A template that fills the contact's name, so its preview shows A's contact to A. */
const TEMPLATE_BODY = 'Hi {{name|there}}, your checkup is due: reply to book a time.';
const STAFF_REASON = { reason: 'Another tenant asks for this' };

/** An inbound message from `from` to A's number, posted by `as`'s subaccount. */
const inbound = (f: Fixture, as: Side, body: string, overrides: Partial<Record<string, string>> = {}): Call => ({
  form: { MessageSid: newMessageSid(), AccountSid: as.accountSid, From: f.marks.contactPhone, To: f.a.number, Body: body, ...overrides },
});

/** Routes that hold no tenant's data at all, and why. */
const NO_TENANT_DATA: Partial<Record<RouteKey, string>> = {
  'GET /healthz': 'liveness of PostgreSQL and Temporal',
  'GET /metrics': 'request counts labelled by method, route pattern and status, never by tenant',
  'POST /v1/tenants': 'sign-up makes a new tenant; it takes no key and names no tenant',
  'GET /console': 'the browser console’s page (static); its data comes from the API routes above',
  'GET /console/{*rest}': 'the browser console’s page (static) for its client-side paths',
  'POST /console/session': 'sign-in: a key for a session of that key; names no tenant (test/api/console-session.test.ts)',
  'GET /console/session': 'who the caller’s own session is; names no tenant',
  'POST /console/session/sign-out': 'ends the caller’s own session; names no tenant',
};

const tenantRoute = (what: string, json?: unknown): IsolationCase => ({ what, call: (f) => ({ params: { id: f.a.tenantId }, json }), intruder: 404 });
const staffRoute = (what: string, call: (f: Fixture) => Call = () => ({})): IsolationCase => ({ what, call: (f) => call(f), intruder: 403, allowed: 'staff' });

/**
 * The cross-tenant cases, by route. A new route needs its cases here (or an entry in
 * NO_TENANT_DATA): the first test lists every route that has none.
 */
const CASES: Partial<Record<RouteKey, IsolationCase[]>> = {
  // The tenant's own record, settings, users, keys and onboarding steps.
  'GET /v1/tenants/:id': [tenantRoute('read A’s onboarding state')],
  'GET /v1/tenants/:id/settings': [tenantRoute('read A’s sending settings')],
  'PATCH /v1/tenants/:id/settings': [tenantRoute('change A’s settings', { defaultUser: 'mallory', replyEmails: true })],
  'GET /v1/tenants/:id/users': [{ ...tenantRoute('list A’s users'), ownerSees: (f) => [f.marks.userEmail] }],
  'PUT /v1/tenants/:id/users/:name': [
    {
      what: 'redirect A’s user’s reply emails',
      call: (f) => ({ params: { id: f.a.tenantId, name: 'dana' }, json: { email: 'mallory@intruder.example' } }),
      intruder: 404,
    },
  ],
  'POST /v1/tenants/:id/users/:name/api-keys': [
    { what: 'issue itself a key of A’s user under A’s id', call: (f) => ({ params: { id: f.a.tenantId, name: 'dana' }, json: {} }), intruder: 404 },
    { what: 'issue itself a key of A’s user under its own id', call: (_f, as) => ({ params: { id: as.tenantId, name: 'dana' }, json: {} }), intruder: 404 },
  ],
  'POST /v1/tenants/:id/verification': [tenantRoute('submit a code for A', { code: '123456' })],
  'POST /v1/tenants/:id/verification/resend': [tenantRoute('have A’s owner texted a new code', {})],
  'POST /v1/tenants/:id/kyc': [
    tenantRoute('resubmit A’s KYC', signupBody({ ownerPhone: undefined, relayCadenceMinutes: undefined, businessName: 'Mallory Holdings' })),
  ],
  'POST /v1/tenants/:id/number-preference': [tenantRoute('choose A’s area code', { areaCode: '212' })],
  'PUT /v1/tenants/:id/registration-details': [tenantRoute('give A’s carrier registration details', registrationDetailsBody())],
  'GET /v1/tenants/:id/api-keys': [{ ...tenantRoute('list A’s API keys'), ownerSees: (f) => [f.marks.spareKeyPrefix] }],
  'POST /v1/tenants/:id/api-keys': [tenantRoute('make itself a key of A’s', { label: 'intruder' })],
  'POST /v1/tenants/:id/api-keys/:keyId/rotate': [
    { what: 'rotate A’s key under A’s id', call: (f) => ({ params: { id: f.a.tenantId, keyId: f.a.spareKeyId }, json: {} }), intruder: 404 },
    { what: 'rotate A’s key under its own id', call: (f, as) => ({ params: { id: as.tenantId, keyId: f.a.spareKeyId }, json: {} }), intruder: 404 },
  ],
  'POST /v1/tenants/:id/api-keys/:keyId/revoke': [
    { what: 'revoke A’s key under A’s id', call: (f) => ({ params: { id: f.a.tenantId, keyId: f.a.spareKeyId }, json: {} }), intruder: 404 },
    { what: 'revoke A’s key under its own id', call: (f, as) => ({ params: { id: as.tenantId, keyId: f.a.spareKeyId }, json: {} }), intruder: 404 },
  ],
  // A's carrier registration, parked at brand_failed (waiting for a correction).
  'GET /v1/tenants/:id/registration': [tenantRoute('read A’s carrier registration')],
  'POST /v1/tenants/:id/registration/corrections': [tenantRoute('correct A’s registration', { business: { ein: '12-3456789' } })],
  'POST /v1/tenants/:id/registration/otp-answered': [tenantRoute('say A’s OTP was answered', {})],
  'POST /v1/tenants/:id/registration/otp-resend': [tenantRoute('have A’s OTP texted again', {})],
  // Routes scoped by the caller's key: B's request works on B's data only.
  'POST /v1/sandbox/messages': [
    { what: 'send a sandbox message (its own onboarding only)', call: () => ({ json: { to: '+15005550006', body: 'hello' } }), intruder: 404 },
  ],
  'POST /v1/scan': [
    { what: 'preview a message (under its own brand)', call: () => ({ json: { body: COMPLIANT } }), intruder: 200, ownerSees: (f) => [f.marks.business] },
  ],
  // A's contact's number as people type it: the same E.164 number, a contact of the uploader's own.
  'POST /v1/contacts': [
    {
      what: 'upload A’s contact’s number as JSON (its own contact)',
      call: (f) => ({ json: { contacts: [{ phone: national(f.marks.contactPhone), name: 'Mallory', assignedUser: 'mallory' }] } }),
      intruder: 201,
    },
    {
      what: 'upload A’s contact’s number as CSV (its own contact)',
      call: (f) => ({ csv: `phone,name,assigned_user\n${national(f.marks.contactPhone)},Mallory,mallory\n` }),
      intruder: 201,
    },
  ],
  'GET /v1/contacts': [
    { what: 'list contacts', call: () => ({}), intruder: 200, ownerSees: (f) => [f.marks.contactName, f.marks.contactPhone] },
    { what: 'list contacts by A’s tag', call: (f) => ({ query: { tag: f.marks.tag } }), intruder: 200, ownerSees: (f) => [f.marks.contactName] },
  ],
  'GET /v1/contacts/:contactId': [
    {
      what: 'read A’s contact',
      call: (f) => ({ params: { contactId: f.a.contactId } }),
      intruder: 404,
      ownerSees: (f) => [f.marks.contactName, f.marks.contactPhone],
    },
  ],
  // A's contact's consent history, and opt-in keywords (B's request sets and lists its own).
  'GET /v1/contacts/:contactId/consents': [
    { what: 'read A’s contact’s consent', call: (f) => ({ params: { contactId: f.a.contactId } }), intruder: 404, ownerSees: (f) => [f.a.contactId] },
  ],
  'POST /v1/contacts/:contactId/consents': [
    {
      what: 'withdraw A’s contact’s consent',
      call: (f) => ({ params: { contactId: f.a.contactId }, json: { status: 'withdrawn', purposes: ['marketing'] } }),
      intruder: 404,
    },
  ],
  'GET /v1/opt-in-keywords': [{ what: 'list opt-in keywords (its own)', call: () => ({}), intruder: 200 }],
  'PUT /v1/opt-in-keywords/:keyword': [
    {
      what: 'set an opt-in keyword (its own)',
      call: () => ({ params: { keyword: 'JOIN' }, json: { programName: 'plumbing tips', frequency: 'Up to 2 msgs/month', purposes: ['marketing'] } }),
      intruder: 200,
    },
  ],
  'POST /v1/campaigns': [
    {
      what: 'create a campaign (audience and brand its own)',
      call: () => ({ json: { name: 'Intruder blast', body: COMPLIANT, messageType: 'transactional' } }),
      intruder: 201,
      ownerSees: (f) => [f.marks.business],
    },
  ],
  'GET /v1/campaigns': [{ what: 'list campaigns', call: () => ({}), intruder: 200, ownerSees: (f) => [f.marks.running, f.marks.draft] }],
  'GET /v1/campaigns/:id': [
    { what: 'read A’s running campaign', call: (f) => ({ params: { id: f.a.runningCampaign } }), intruder: 404, ownerSees: (f) => [f.marks.running] },
  ],
  'POST /v1/campaigns/:id/start': [{ what: 'start A’s draft', call: (f) => ({ params: { id: f.a.draftCampaign } }), intruder: 404 }],
  'POST /v1/campaigns/:id/cancel': [{ what: 'cancel A’s running campaign', call: (f) => ({ params: { id: f.a.runningCampaign } }), intruder: 404 }],
  'GET /v1/campaigns/:id/report': [
    { what: 'read A’s campaign report', call: (f) => ({ params: { id: f.a.runningCampaign } }), intruder: 404 },
    {
      what: 'read A’s campaign report as CSV',
      call: (f) => ({ params: { id: f.a.runningCampaign }, query: { format: 'csv' } }),
      intruder: 404,
      ownerSees: (f) => [f.marks.contactPhone],
    },
  ],
  'POST /v1/templates': [
    {
      what: 'create a template (its own)',
      call: () => ({ json: { name: 'Intruder template', body: TEMPLATE_BODY, messageType: 'marketing' } }),
      intruder: 201,
    },
  ],
  'GET /v1/templates': [{ what: 'list templates', call: () => ({}), intruder: 200, ownerSees: (f) => [f.marks.template] }],
  'GET /v1/templates/:id': [
    { what: 'read A’s template', call: (f) => ({ params: { id: f.a.templateId } }), intruder: 404, ownerSees: (f) => [f.marks.template] },
  ],
  'PUT /v1/templates/:id': [
    {
      what: 'replace A’s template',
      call: (f) => ({ params: { id: f.a.templateId }, json: { name: f.marks.template, body: TEMPLATE_BODY, messageType: 'transactional' } }),
      intruder: 404,
    },
  ],
  'DELETE /v1/templates/:id': [{ what: 'delete A’s template', call: (f) => ({ params: { id: f.a.spareTemplateId } }), intruder: 404 }],
  'GET /v1/templates/:id/preview': [
    {
      what: 'preview A’s template for A’s contact',
      call: (f) => ({ params: { id: f.a.templateId }, query: { contactId: f.a.contactId } }),
      intruder: 404,
      ownerSees: (f) => [f.marks.contactName],
    },
  ],
  'GET /v1/notices': [{ what: 'list notices', call: () => ({}), intruder: 200, ownerSees: (f) => [f.marks.notice] }],
  'GET /v1/notifications': [
    { what: 'list reply notifications', call: () => ({}), intruder: 200, ownerSees: (f) => [f.marks.contactName] },
    { what: 'list A’s user’s notifications', call: () => ({ query: { user: 'dana' } }), intruder: 200, ownerSees: (f) => [f.marks.contactPhone] },
  ],
  'GET /v1/opt-out-requests': [{ what: 'list opt-out requests', call: () => ({}), intruder: 200, ownerSees: (f) => [f.marks.contactPhone] }],
  'POST /v1/opt-out-requests/:id/confirm': [
    { what: 'confirm A’s opt-out request', call: (f) => ({ params: { id: f.a.optOutRequestId }, json: {} }), intruder: 404 },
  ],
  'POST /v1/opt-out-requests/:id/dismiss': [
    { what: 'dismiss A’s opt-out request', call: (f) => ({ params: { id: f.a.optOutRequestId }, json: {} }), intruder: 404 },
  ],
  'GET /v1/reports/opt-outs': [
    { what: 'report opt-outs', call: () => ({ query: aroundToday() }), intruder: 200, ownerSees: (f) => [f.marks.stopPhone] },
    { what: 'report opt-outs as CSV', call: () => ({ query: { ...aroundToday(), format: 'csv' } }), intruder: 200, ownerSees: (f) => [f.marks.stopPhone] },
  ],
  'GET /v1/reports/daily': [
    { what: 'report the day', call: () => ({}), intruder: 200, ownerSees: (f) => [f.marks.business] },
    { what: 'report the day as CSV', call: () => ({ query: { format: 'csv' } }), intruder: 200, ownerSees: (f) => [f.marks.business] },
  ],
  // Erasure of one of A's contacts, and A's retention reports.
  'POST /v1/contacts/:contactId/erasure': [
    { what: 'erase A’s contact', call: (f) => ({ params: { contactId: f.a.erasableContactId }, json: {} }), intruder: 404 },
  ],
  'GET /v1/erasures/:id': [{ what: 'read A’s erasure', call: (f) => ({ params: { id: f.a.erasureId } }), intruder: 404, ownerSees: (f) => [f.a.erasureId] }],
  'GET /v1/tenants/:id/retention-runs': [tenantRoute('read A’s retention reports')],
  // Staff routes: a tenant key is refused whatever it names.
  'GET /v1/compliance/retention-runs': [staffRoute('read A’s retention reports', (f) => ({ query: { tenantId: f.a.tenantId } }))],
  'GET /v1/compliance/tenants/:id/offboarding': [staffRoute('read A’s offboarding', (f) => ({ params: { id: f.a.tenantId } }))],
  'GET /v1/compliance/reviews': [staffRoute('read the review queue')],
  'GET /v1/compliance/cases': [staffRoute('read staff cases')],
  'GET /v1/compliance/audit': [staffRoute('read A’s audit trail', (f) => ({ query: { tenantId: f.a.tenantId } }))],
  'GET /v1/compliance/usage': [staffRoute('read A’s usage', (f) => ({ query: { tenantId: f.a.tenantId } }))],
  'GET /v1/compliance/content-reviews': [staffRoute('read the content review queue')],
  'GET /v1/compliance/registrations': [{ ...staffRoute('list every carrier registration'), ownerSees: (f) => [f.marks.business] }],
  'GET /v1/compliance/registrations/:tenantId': [
    { ...staffRoute('read A’s registration and its history', (f) => ({ params: { tenantId: f.a.tenantId } })), ownerSees: (f) => [f.marks.business] },
  ],
  'POST /v1/compliance/campaigns/:id/content/approve': [staffRoute('approve A’s content', (f) => ({ params: { id: f.a.draftCampaign }, json: STAFF_REASON }))],
  'POST /v1/compliance/campaigns/:id/content/reject': [staffRoute('reject A’s content', (f) => ({ params: { id: f.a.draftCampaign }, json: STAFF_REASON }))],
  'POST /v1/compliance/tenants/:id/approve': [staffRoute('approve A', (f) => ({ params: { id: f.a.tenantId }, json: STAFF_REASON }))],
  'POST /v1/compliance/tenants/:id/reject': [staffRoute('reject A', (f) => ({ params: { id: f.a.tenantId }, json: STAFF_REASON }))],
  'POST /v1/compliance/tenants/:id/suspend': [staffRoute('suspend A', (f) => ({ params: { id: f.a.tenantId }, json: STAFF_REASON }))],
  'POST /v1/compliance/tenants/:id/reinstate': [staffRoute('reinstate A', (f) => ({ params: { id: f.a.tenantId }, json: STAFF_REASON }))],
  'GET /v1/compliance/tenants/:id/monitor': [staffRoute('read A’s monitor', (f) => ({ params: { id: f.a.tenantId } }))],
  'GET /v1/compliance/tenants/:id/sending': [staffRoute('read A’s sending settings', (f) => ({ params: { id: f.a.tenantId } }))],
  'GET /v1/compliance/tenants/:id/api-keys': [staffRoute('list A’s keys', (f) => ({ params: { id: f.a.tenantId } }))],
  // The staff console's reads (routes/staff-*.ts).
  'GET /v1/compliance/tenants': [{ ...staffRoute('list every tenant'), ownerSees: (f) => [f.marks.business] }],
  'GET /v1/compliance/tenants/:id/overview': [
    { ...staffRoute('read A’s overview', (f) => ({ params: { id: f.a.tenantId } })), ownerSees: (f) => [f.marks.business, f.marks.running] },
  ],
  'GET /v1/compliance/tenants/:id/rates': [staffRoute('read A’s rates', (f) => ({ params: { id: f.a.tenantId } }))],
  'GET /v1/compliance/tenants/:id/review': [
    { ...staffRoute('read A’s review evidence', (f) => ({ params: { id: f.a.tenantId } })), ownerSees: (f) => [f.marks.business] },
  ],
  'POST /v1/compliance/tenants/:id/registration': [staffRoute('start A’s carrier registration', (f) => ({ params: { id: f.a.tenantId }, json: STAFF_REASON }))],
  'POST /v1/compliance/tenants/:id/registration/restart': [
    staffRoute('restart A’s timed-out registration', (f) => ({ params: { id: f.a.tenantId }, json: STAFF_REASON })),
  ],
  'PUT /v1/compliance/tenants/:id/senders/:phoneNumber/mps': [
    staffRoute('change A’s sender’s MPS', (f) => ({ params: { id: f.a.tenantId, phoneNumber: f.a.number }, json: { mps: 99, ...STAFF_REASON } })),
  ],
  'POST /v1/compliance/api-keys/:keyId/revoke': [staffRoute('revoke A’s key', (f) => ({ params: { keyId: f.a.spareKeyId }, json: STAFF_REASON }))],
  // Twilio's webhooks: only the subaccount that owns the number or the message signs for it.
  'POST /webhooks/twilio/inbound': [
    { what: 'post STOP to A’s number, signed by its own subaccount', call: (f, as) => inbound(f, as, 'STOP'), intruder: 403 },
    {
      what: 'post STOP to A’s number as A’s subaccount, signed with its own token',
      call: (f, as) => ({ ...inbound(f, as, 'STOP', { AccountSid: f.a.accountSid }), signWith: as.token }),
      intruder: 403,
    },
  ],
  'POST /webhooks/twilio/status': [
    {
      what: 'mark A’s message failed, signed by its own subaccount',
      call: (f, as) => ({ form: { MessageSid: f.a.messageSid, AccountSid: as.accountSid, MessageStatus: 'failed', ErrorCode: '30003' } }),
      intruder: 403,
    },
    {
      what: 'mark A’s message failed as A’s subaccount, signed with its own token',
      call: (f, as) => ({ form: { MessageSid: f.a.messageSid, AccountSid: f.a.accountSid, MessageStatus: 'failed', ErrorCode: '30003' }, signWith: as.token }),
      intruder: 403,
    },
  ],
  // Trust Hub's registration callbacks only hurry the signing subaccount's own registration.
  'POST /webhooks/twilio/registration': [
    {
      what: 'post a Trust Hub status for A as A’s subaccount, signed with its own token',
      call: (f, as) => ({ form: { AccountSid: f.a.accountSid, BundleSid: `BU${'0'.repeat(32)}`, Status: 'twilio-approved' }, signWith: as.token }),
      intruder: 403,
    },
  ],
  // Last: staff's own request offboards A (its workflow goes on after the suite).
  'POST /v1/compliance/tenants/:id/offboarding': [staffRoute('offboard A', (f) => ({ params: { id: f.a.tenantId }, json: STAFF_REASON }))],
};

const TABLE = (Object.entries(CASES) as Array<[RouteKey, IsolationCase[]]>).flatMap(([route, cases]) => cases.map((c) => ({ route, ...c })));

describe('tenant isolation across every route', () => {
  let p: PlatformHarness;
  let f: Fixture;
  let tenantTables: string[];

  beforeAll(async () => {
    p = await platformHarness({
      config: {
        // No quiet hours, and A's running campaign sends one message, then waits its cadence (the tenant's hour).
        SENDING_WINDOW_START_HOUR: '0',
        SENDING_WINDOW_END_HOUR: '24',
        STATUS_POLL_SECONDS: '1',
        SIGNUP_LIMIT_PER_ADDRESS: '1000',
        SIGNUP_LIMIT_PER_PHONE: '1000',
      },
    });
    const http = () => request(p.api.app);
    const suffix = randomBytes(3).toString('hex');
    const phone = () => `+1628${randomInt(200, 999)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
    const [erasablePhone, erasedPhone] = [phone(), phone()];
    const marks = {
      business: `Victim Dental ${suffix}`,
      contactName: `Zed Victimson ${suffix}`,
      contactPhone: phone(),
      otherPhone: phone(),
      stopPhone: phone(),
      tag: `victim-${suffix}`,
      userEmail: `dana-${suffix}@victim.example`,
      running: `Victim running ${suffix}`,
      draft: `Victim draft ${suffix}`,
      notice: `Victim notice ${suffix}`,
      spareKeyPrefix: '',
      template: `Victim template ${suffix}`,
    };

    // A signs up for real, so its lifecycle runs (waiting for its code) and its Updates and
    // Signals have a workflow to reach; its row is then made an active sender with its own
    // subaccount and number, as `activeTenant` does, so its campaigns and webhooks are real.
    const signup = await http()
      .post('/v1/tenants')
      .send(signupBody({ businessName: marks.business, ownerPhone: `+1415555${String(randomInt(0, 10_000)).padStart(4, '0')}` }))
      .expect(202);
    const aId = signup.body.tenant.id as string;
    const aKey = signup.body.apiKey as string;
    await tenantReaches(p, aId, aKey, (s) => s.step === 'verification' && s.verification.sentTo);
    const acts = createTenantLifecycleActivities({
      db: p.api.db,
      twilio: createTwilioClientFactory(p.config),
      clock: () => new Date(),
      log: pino({ level: 'silent' }),
      config: p.config,
    });
    const { subaccountSid } = await acts.provisionSubaccount(aId);
    const { phoneNumber } = await acts.grantPhoneNumber({ tenantId: aId, areaCode: '415' });
    await p.api.db('tenants').where({ id: aId }).update({ status: 'active' });
    const tokenOf = (sid: string) => p.sandbox.sandbox.store.accounts.get(sid)!.authToken;
    const aAuth = { authorization: `Bearer ${aKey}` };

    const b = await activeTenant(p, { name: `Intruder Plumbing ${suffix}` });
    const bSid = (await p.api.db('tenant_credentials').where({ tenant_id: b.id }).first<{ subaccount_sid: string }>('subaccount_sid')).subaccount_sid;

    await http().put(`/v1/tenants/${aId}/users/dana`).set(aAuth).send({ email: marks.userEmail }).expect(200);
    for (const n of [marks.contactPhone, marks.otherPhone])
      await p.sandbox.control('/__sandbox/lookup/line-types', { body: { phoneNumber: n, lineType: 'mobile' } });
    await http()
      .post('/v1/contacts')
      .set(aAuth)
      .send({
        contacts: [
          { phone: marks.contactPhone, name: marks.contactName, assignedUser: 'dana', tags: [marks.tag] },
          { phone: marks.otherPhone, assignedUser: 'dana' },
          { phone: erasablePhone, assignedUser: 'dana' },
          { phone: erasedPhone, assignedUser: 'dana' },
        ],
      })
      .expect(201);
    const contactIdOf = async (p164: string) => (await p.api.db('contacts').where({ tenant_id: aId, phone: p164 }).first<{ id: string }>('id')).id;
    const erasure = await http()
      .post(`/v1/contacts/${await contactIdOf(erasedPhone)}/erasure`)
      .set(aAuth)
      .send({})
      .expect(202);

    // A campaign that sent its first batch (one message, delivered) and waits an hour for the next.
    const running = (
      await http().post('/v1/campaigns').set(aAuth).send({ name: marks.running, body: COMPLIANT, messageType: 'transactional', batchSize: 1 }).expect(201)
    ).body.id as string;
    await http().post(`/v1/campaigns/${running}/start`).set(aAuth).expect(202);
    const sent = await eventually(async () => {
      const row = await p.api
        .db('outbox')
        .where({ campaign_id: running, status: 'sent' })
        .first<{ message_sid: string; to_e164: string } | undefined>('message_sid', 'to_e164');
      const delivery =
        row && (await p.api.db('delivery_statuses').where({ message_sid: row.message_sid }).first<{ status: string; callbacks: number } | undefined>());
      return delivery?.status === 'delivered' && delivery.callbacks >= 2 ? row : undefined;
    }, 60_000);
    await eventually(
      async () => (await p.api.temporal.workflow.getHandle(campaignWorkflowId(running)).query(campaignProgressQuery)).nextBatchAtMs !== undefined,
      30_000,
    );
    const draft = (await http().post('/v1/campaigns').set(aAuth).send({ name: marks.draft, body: COMPLIANT, messageType: 'transactional' }).expect(201)).body
      .id as string;
    const template = async (name: string) =>
      (await http().post('/v1/templates').set(aAuth).send({ name, body: TEMPLATE_BODY, messageType: 'transactional' }).expect(201)).body.id as string;
    const templateId = await template(marks.template);
    const spareTemplateId = await template(`${marks.template} spare`);

    // Replies from handsets through the sandbox: an uncertain opt-out from the contact (routed
    // to dana, open for A to decide) and a STOP from a stranger.
    const say = async (from: string, body: string) => {
      const res = await p.sandbox.control('/__sandbox/inbound', { body: { from, to: phoneNumber, body } });
      expect(res.body.webhook).toMatchObject({ delivered: true, status: 200 });
    };
    await say(marks.contactPhone, 'not interested');
    await say(marks.stopPhone, 'STOP');
    const optOutRequest = await p.api.db('opt_out_requests').where({ tenant_id: aId, status: 'open' }).first<{ id: string }>('id');
    await p.api.db('tenant_notices').insert({ tenant_id: aId, kind: 'warned', title: marks.notice, body: 'Your error rate is climbing.' });
    const spare = await issueApiKey(p.api.db, { role: 'tenant', tenantId: aId, label: 'spare' });
    // A's carrier registration, its brand failed (EIN 000000001): it waits for a correction and changes nothing meanwhile.
    await saveRegistrationDetails(p.api.db, { tenantId: aId, kind: '10dlc', brandType: 'STANDARD', details: registrationDetails({ ein: '000000001' }) });
    const registration = await p.api.temporal.workflow.start(
      carrierRegistration,
      startRegistrationOptions({ tenantId: aId, kind: '10dlc', brandType: 'STANDARD', timings: FAST_REGISTRATION }, p.config.TEMPORAL_TASK_QUEUE),
    );
    await eventually(async () => (await registration.query(registrationStateQuery)).phase === 'brand_failed', 60_000);
    marks.spareKeyPrefix = spare.key.split('_').slice(0, 3).join('_');

    const staffKey = p.staffKey;
    f = {
      a: {
        tenantId: aId,
        key: aKey,
        accountSid: subaccountSid,
        token: tokenOf(subaccountSid),
        number: phoneNumber,
        runningCampaign: running,
        draftCampaign: draft,
        spareKeyId: spare.id,
        optOutRequestId: String(optOutRequest.id),
        messageSid: sent.message_sid,
        contactId: (await p.api.db('contacts').where({ tenant_id: aId, phone: marks.contactPhone }).first<{ id: string }>('id')).id,
        erasableContactId: await contactIdOf(erasablePhone),
        erasureId: erasure.body.id as string,
        templateId,
        spareTemplateId,
      },
      b: { tenantId: b.id, key: b.key, accountSid: bSid, token: tokenOf(bSid) },
      staff: { tenantId: '', key: staffKey, accountSid: '', token: '' },
      marks,
    };
    tenantTables = (
      await p.api.db.raw<{ rows: Array<{ table_name: string }> }>(
        `SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
      )
    ).rows.map((r) => r.table_name);
  }, 180_000);
  afterAll(() => p.close());

  /**
   * Everything a tenant owns: its row and every row of every table keyed by tenant_id, then
   * what its workflows answer. `last_used_at` is left out: a key's own requests write it.
   */
  const snapshot = async (tenantId: string) => {
    const tables: Record<string, string[]> = {};
    for (const table of ['tenants', ...tenantTables]) {
      const rows = await p.api.db(table).where(table === 'tenants' ? { id: tenantId } : { tenant_id: tenantId });
      tables[table] = rows.map((r: Record<string, unknown>) => JSON.stringify({ ...r, last_used_at: undefined })).sort();
    }
    if (tenantId !== f.a.tenantId) return { tables };
    const lifecycle = await p.api.temporal.workflow.getHandle(lifecycleWorkflowId(tenantId)).query(tenantStateQuery);
    const campaign = await p.api.temporal.workflow.getHandle(campaignWorkflowId(f.a.runningCampaign)).query(campaignProgressQuery);
    const registration = await p.api.temporal.workflow.getHandle(registrationWorkflowId(tenantId)).query(registrationStateQuery);
    return { tables, lifecycle, campaign, registration };
  };

  const send = (route: RouteKey, call: Call, as: Side) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
      const value = call.params?.[name];
      if (value === undefined) throw new Error(`${route}: the case gives no :${name}`);
      return encodeURIComponent(value);
    });
    const url = call.query ? `${path}?${new URLSearchParams(call.query).toString()}` : path;
    const req = request(p.api.app)[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
    if (call.form) {
      const signature = twilio.getExpectedTwilioSignature(call.signWith ?? as.token, `${p.config.PUBLIC_BASE_URL}${url}`, call.form);
      return req.type('form').set('x-twilio-signature', signature).send(call.form);
    }
    req.set('authorization', `Bearer ${as.key}`);
    if (call.csv !== undefined) return req.type('text/csv').send(call.csv);
    return call.json === undefined ? req : req.send(call.json as object);
  };

  it('has cross-tenant cases for every route the app answers', () => {
    const routes = routeTable(p.api.app);
    const missing = routes.filter((r) => !CASES[r] && !NO_TENANT_DATA[r]);
    const stale = [...Object.keys(CASES), ...Object.keys(NO_TENANT_DATA)].filter((r) => !routes.includes(r as RouteKey));
    expect({ routesWithoutCrossTenantCases: missing, casesForRoutesThatAreGone: stale }).toEqual({
      routesWithoutCrossTenantCases: [],
      casesForRoutesThatAreGone: [],
    });
  });

  describe('tenant B aimed at tenant A', () => {
    it.each(TABLE)('$route: B cannot $what', async ({ route, call, intruder }) => {
      const made = call(f, f.b);
      const [aBefore, bBefore] = [await snapshot(f.a.tenantId), await snapshot(f.b.tenantId)];
      const res = await send(route, made, f.b);
      expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: intruder });
      if (intruder >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      // Nothing of A's changed; a refused request changed nothing of B's either.
      expect(await snapshot(f.a.tenantId)).toEqual(aBefore);
      if (intruder >= 400) expect(await snapshot(f.b.tenantId)).toEqual(bBefore);
      // Nothing of A's in the answer (what B itself put in the request aside).
      const asked = JSON.stringify(made);
      const leaked = Object.values(f.marks).filter((m) => m && !asked.includes(m) && res.text.includes(m));
      expect(leaked).toEqual([]);
    });
  });

  // After every intrusion was tried (these change A's data): the same requests by the one they
  // belong to pass authentication and find the resource, so each case above aimed at something real.
  describe('the same requests by the one they belong to', () => {
    const byOwnerThenStaff = [...TABLE.filter((c) => c.allowed !== 'staff'), ...TABLE.filter((c) => c.allowed === 'staff')];
    it.each(byOwnerThenStaff)('$route: allowed to $what', async ({ route, call, allowed, ownerSees }) => {
      const as = allowed === 'staff' ? f.staff : f.a;
      const res = await send(route, call(f, as), as);
      expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: expect.any(Number) });
      expect(res.status).toBeLessThan(500);
      expect([401, 403, ...(allowed === 'staff' ? [] : [404])]).not.toContain(res.status);
      for (const mark of ownerSees?.(f) ?? []) expect(res.text).toContain(mark);
    });
  });
});
