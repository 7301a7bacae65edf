/**
 * `npm run demo` (with `npm start` running): walks one tenant from sign-up to active through
 * the HTTP API — KYC, the Verify code (read from the sandbox), magic-number test sends,
 * a compliance approval, the carrier registration (its phases as the sandbox decides them) —
 * and prints where to see it in the Temporal UI.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { configSchema, parseSettings } from '../src/config';
import { orExit } from '../src/config-cli';
import { issueApiKey } from '../src/api/api-keys';
import { createDb } from '../src/db/knex';
import { sampleRegistrationDetails } from '../src/dev/sample-registration';
import { waitForWorkflowState, workflowEndedWithout } from '../src/dev/workflow-watch';
import { lifecycleWorkflowId, type TenantLifecycleState } from '../src/workflows/tenant-lifecycle/definitions';
import { monitorWorkflowId } from '../src/workflows/tenant-monitor/definitions';
import { TEMPORAL_CONNECTION_SETTINGS, temporalConnectionOptions } from '../src/temporal-connection';
import type { SandboxSendResult } from '../src/workflows/tenant-lifecycle/definitions';

const settings = orExit(() =>
  parseSettings(
    configSchema.pick({
      ...TEMPORAL_CONNECTION_SETTINGS,
      API_PORT: true,
      SANDBOX_PORT: true,
      TEMPORAL_PORT: true,
      TEMPORAL_UI_PORT: true,
      DATABASE_URL: true,
      TEMPORAL_NAMESPACE: true,
    }),
    process.env,
  ),
);
const api = process.env.DEMO_API_URL ?? `http://127.0.0.1:${settings.API_PORT}`;
const sandbox = process.env.DEMO_SANDBOX_URL ?? `http://127.0.0.1:${settings.SANDBOX_PORT}`;
const ui = `http://127.0.0.1:${settings.TEMPORAL_UI_PORT}`;
const say = (line: string) => console.log(line);

async function call<T>(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; json: T }> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

let temporal: Client | undefined;
const reportedCases = new Set<string>();

/** Polls the tenant's state; a lifecycle that failed is named with its error at once, not after the time-out. */
async function waitFor(
  what: string,
  tenantId: string,
  key: string,
  ready: (s: TenantLifecycleState) => unknown,
  opts: { timeoutMs?: number; onState?: (s: TenantLifecycleState) => void } = {},
): Promise<TenantLifecycleState> {
  // As `npm start` does: its own dev server on TEMPORAL_PORT unless TEMPORAL_ADDRESS names one.
  const address = process.env.TEMPORAL_ADDRESS ? settings.TEMPORAL_ADDRESS : `127.0.0.1:${settings.TEMPORAL_PORT}`;
  temporal ??= new Client({
    connection: await Connection.connect(orExit(() => temporalConnectionOptions({ ...settings, TEMPORAL_ADDRESS: address }))),
    namespace: settings.TEMPORAL_NAMESPACE,
  });
  const client = temporal;
  return waitForWorkflowState({
    what,
    read: async () => (await call<TenantLifecycleState>('GET', `/v1/tenants/${tenantId}`, undefined, key)).json,
    ready,
    ended: () => workflowEndedWithout(client.workflow, lifecycleWorkflowId(tenantId)),
    describe: (s) =>
      `tenant is at ${s.step}: ${JSON.stringify(s.openRequirements)}${s.fault ? `; held: ${s.fault.activity} keeps failing (staff case ${s.fault.caseId})` : ''}`,
    onWaiting: (s) => {
      opts.onState?.(s);
      if (!s.fault || reportedCases.has(s.fault.caseId)) return;
      reportedCases.add(s.fault.caseId);
      say(`   held: ${s.fault.activity} keeps failing; staff case ${s.fault.caseId} is open (GET /v1/compliance/cases) and the workflow retries by itself`);
    },
    timeoutMs: opts.timeoutMs ?? 120_000,
  });
}

/** Prints each registration phase once, as the tenant's progress shows it. */
function registrationPhases(): (s: TenantLifecycleState) => void {
  let last: string | undefined;
  return (s) => {
    const r = s.registration;
    if (!r || r.phase === last) return;
    last = r.phase;
    const reasons = r.reasons.length ? `: ${r.reasons.map((x) => (x.code ? `${x.code} ${x.description}` : x.description)).join('; ')}` : '';
    say(`   registration: ${r.phase}${reasons}${r.held ? ` (held for staff, case ${r.held.caseId})` : ''}`);
  };
}

async function main() {
  const suffix = randomBytes(2).toString('hex');
  const ownerPhone = '+14155552671';
  const businessName = `Demo Dental ${suffix}`;
  say(`1. Sign-up: ${businessName}`);
  const signup = await call<{ tenant: { id: string }; apiKey: string }>('POST', '/v1/tenants', {
    businessName,
    website: 'https://demodental.example',
    contact: { name: 'Dana Demo', email: 'dana@demodental.example' },
    ownerPhone,
    useCase: 'appointment_reminders',
    useCaseDescription: 'Appointment reminders for patients who booked online.',
    sampleMessages: [
      `Demo Dental: your cleaning is Tue 3pm. Reply STOP to opt out, HELP for help.`,
      `Demo Dental: time for your checkup, book at demodental.example. Reply STOP to opt out.`,
    ],
    optInMethod: 'web_form',
    expectedMonthlyVolume: 3000,
    destinationCountries: ['US'],
    // What carrier registration needs (the sandbox approves this EIN; 000000001 would fail the brand).
    registration: sampleRegistrationDetails({ firstName: 'Dana', lastName: 'Demo', email: 'dana@demodental.example' }),
  });
  if (signup.status !== 202) throw new Error(`sign-up refused: ${JSON.stringify(signup.json)}`);
  const tenantId = signup.json.tenant.id;
  const key = signup.json.apiKey;
  // The demo is the tenant here: it shows the key the API returned once, so you can go on by hand.
  say(`   tenant ${tenantId}; API key (shown once): ${key}`);

  const verifying = await waitFor('the verification code', tenantId, key, (s) => s.step === 'verification' && s.verification.sentTo);
  say(`2. KYC passed (risk ${verifying.kyc?.level}, score ${verifying.kyc?.score}); Verify code sent to ${verifying.verification.sentTo}`);
  const code = (await (await fetch(`${sandbox}/__sandbox/verify/code?to=${encodeURIComponent(ownerPhone)}`)).json()) as { code: string };
  const verified = await call<{ status: string }>('POST', `/v1/tenants/${tenantId}/verification`, { code: code.code }, key);
  say(`   code ${code.code} (read from the sandbox) → ${verified.json.status}`);

  const sandboxStep = await waitFor('the sandbox step', tenantId, key, (s) => s.step === 'sandbox');
  const refused = (await call<SandboxSendResult>('POST', '/v1/sandbox/messages', { to: '+15005550001', body: 'test' }, key)).json;
  say(`3. Magic-number sandbox: to +15005550001 → ${refused.ok ? 'accepted?!' : `Twilio ${refused.errorCode} (${refused.errorMessage})`}`);
  for (let i = 0; i < sandboxStep.sandbox.required; i++) {
    const sent = (await call<SandboxSendResult>('POST', '/v1/sandbox/messages', { to: '+15005550006', body: `Demo Dental test ${i + 1}` }, key)).json;
    say(`   to +15005550006 → ${sent.ok ? `${sent.status} ${sent.sid}` : `Twilio ${sent.errorCode}`}`);
  }

  await waitFor('the compliance review', tenantId, key, (s) => s.step === 'review' && s.review);
  const db = createDb(settings.DATABASE_URL, { max: 1 });
  const staff = await issueApiKey(db, { role: 'staff', label: 'demo' }).finally(() => db.destroy());
  const queue = await call<{ reviews: unknown[] }>('GET', '/v1/compliance/reviews', undefined, staff.key);
  say(`4. Compliance queue: ${queue.json.reviews.length} open review(s); approving ${businessName} as staff:demo`);
  await call('POST', `/v1/compliance/tenants/${tenantId}/approve`, { reason: 'demo: business and opt-in checked' }, staff.key);

  const registering = await waitFor('the carrier registration', tenantId, key, (s) => s.step === 'registration');
  say(`5. Subaccount ${registering.subaccountSid}, number ${registering.phoneNumber}; carrier registration (A2P 10DLC, standard brand):`);
  const show = registrationPhases();
  show(registering);
  // Each submission waits for the sandbox's verdict (SANDBOX_VETTING_SECONDS): minutes, not seconds.
  const active = await waitFor('activation through an approved registration', tenantId, key, (s) => s.step === 'active' || s.step === 'rejected', {
    timeoutMs: 600_000,
    onState: show,
  });
  show(active);
  if (active.step !== 'active') throw new Error(`the registration was rejected: ${active.reasons.join('; ')}`);
  say(`6. ${businessName} is active: subaccount ${active.subaccountSid}, number ${active.phoneNumber}`);
  say(`   steps: ${active.history.map((h) => h.step).join(' → ')}`);
  const workflowId = lifecycleWorkflowId(tenantId);
  say(`See it in the Temporal UI:\n  ${ui}/namespaces/${settings.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}`);
  say(`  its monitor: ${ui}/namespaces/${settings.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(monitorWorkflowId(tenantId))}`);
  say(`  all of this tenant's workflows: ${ui}/namespaces/${settings.TEMPORAL_NAMESPACE}/workflows?query=${encodeURIComponent(`TenantId="${tenantId}"`)}`);
}

main()
  .catch((err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => temporal?.connection.close());
