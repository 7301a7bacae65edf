import { Router } from 'express';
import { z } from 'zod';
import type { TenantRole } from '../../domain/permissions';
import type { ApiDeps } from '../app';
import { authenticate, callerTenantId, ownTenantId, principalOf, requireTenant, tenantAccess, tenantPrincipalOf } from '../auth';
import { createTenantKey, liveAdminKeyIds } from '../api-key-lifecycle';
import { tenantUserSchema } from './user-schemas';
import { issueApiKey, KEY_STATE_SQL } from '../api-keys';
import { HttpProblem } from '../problem';
import { refuseHeldAutoReply } from '../auto-reply-judgement';
import { onWorkflow } from '../workflow-errors';
import { recordAudit } from '../../db/audit';
import { onboardingLimits } from '../../db/onboarding-limits';
import { recordedOnboarding } from '../../db/recorded-onboarding';
import { giveBackAll, retryAfterSeconds, takeAll } from '../../db/rate-limits';
import { clientAddressKey } from '../../domain/client-address';
import { tenantSlug } from '../../domain/tenant-naming';
import { tenantLifecycle } from '../../workflows/tenant-lifecycle/workflow';
import {
  areaCodeChosenSignal,
  kycResubmittedSignal,
  lifecycleWorkflowId,
  resendVerificationCodeUpdate,
  sandboxSendUpdate,
  startLifecycleOptions,
  submitVerificationCodeUpdate,
  tenantStateQuery,
} from '../../workflows/tenant-lifecycle/definitions';
import {
  areaCodeSchema,
  kycFields,
  kycSubmissionOf,
  sandboxMessageSchema,
  signupSchemaFor,
  tenantSettingsSchema,
  tenantUserName,
  verificationCodeSchema,
} from './tenant-schemas';
import { SETTING_COLUMNS, sendingSettingsOf } from '../sending-settings';
import { lifecycleTimings } from '../workflow-timings';
import { dataKeysFor } from '../../crypto/data-keys';
import { saveRegistrationDetails } from '../../db/carrier-registrations';
import { registrationToStore } from './registration-details-schema';
import { tenantRegistrationRoutes, withLiveRegistration } from './tenant-registration';

const tooManyRequests = (detail: string, retryAfterMs: number) =>
  new HttpProblem(429, 'Too many requests', detail, {}, { 'Retry-After': String(retryAfterSeconds(retryAfterMs)) });

interface UserRow {
  name: string;
  email: string | null;
  role: TenantRole;
  restrictedToAssigned: boolean;
  updatedAt: Date;
}
const USER_COLUMNS = ['name', 'email', 'role', 'restricted_to_assigned as restrictedToAssigned', 'updated_at as updatedAt'];
const userKeySchema = z
  .object({
    label: z.string().trim().min(1).max(100).optional(),
    expiresAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, such as 2027-01-31T00:00:00Z' })
      .transform((at) => new Date(at))
      .refine((at) => at.getTime() > Date.now(), 'must be in the future')
      .optional(),
  })
  .strict();

/** The Twilio magic number that succeeds as a sender with test credentials. */
const MAGIC_FROM_SUCCESS = '+15005550006';

export function tenantRoutes({ db, temporal, config, log }: ApiDeps): Router {
  const router = Router();
  const keys = dataKeysFor(db, config);
  const tenantKey = authenticate(db, 'tenant');
  const settingsAdmin = tenantAccess(db, 'settings.write');
  const onboarding = tenantAccess(db, 'onboarding');
  const usersAdmin = tenantAccess(db, 'users.manage');
  const byKey = (res: { locals: Record<string, unknown> }) => {
    const { keyId, user } = tenantPrincipalOf(res);
    return { byKeyId: keyId, byUser: user };
  };
  const usersOf = async (tenantId: string, name?: string) => {
    const users = await db('tenant_users')
      .where({ tenant_id: tenantId })
      .modify((q) => {
        if (name) void q.where({ name });
      })
      .orderBy('name')
      .select<UserRow[]>(USER_COLUMNS);
    const keys = await db('api_keys')
      .where({ tenant_id: tenantId })
      .whereNotNull('user_name')
      .whereRaw(`${KEY_STATE_SQL} = 'active'`)
      .select<Array<{ user_name: string; id: string }>>('user_name', 'id');
    return users.map((u) => ({ ...u, liveKeys: keys.filter((k) => k.user_name === u.name).map((k) => k.id) }));
  };
  const lifecycle = (tenantId: string) => temporal.workflow.getHandle(lifecycleWorkflowId(tenantId));
  const stateOf = (tenantId: string) => onWorkflow(`tenant ${tenantId}`, () => lifecycle(tenantId).query(tenantStateQuery));
  const limits = onboardingLimits(db, config);
  router.use(tenantRegistrationRoutes({ db, temporal }));

  /** Starts the tenant's lifecycle workflow; Temporal refusing or unreachable is a 503 for the caller. */
  const startLifecycle = async (tenantId: string, businessName: string) => {
    try {
      await temporal.workflow.start(
        tenantLifecycle,
        startLifecycleOptions({ id: tenantId, businessName, signedUpAt: new Date() }, lifecycleTimings(config), config.TEMPORAL_TASK_QUEUE),
      );
    } catch (err) {
      log.error({ err, tenantId }, 'could not start the tenant lifecycle; sign-up rolled back');
      throw new HttpProblem(503, 'Service unavailable', 'Sign-up could not start onboarding; nothing was kept. Try again.', {}, { 'Retry-After': '5' });
    }
  };

  /**
   * Sign-up: the tenant, its first KYC submission, its API key and its lifecycle workflow, all
   * or nothing. The workflow starts inside the transaction, so a start that fails rolls the
   * rows back (no tenant, no key, no audit row pinning them); the workflow's first activity
   * waits for the commit. Counted per client address and per owner phone.
   */
  router.post('/v1/tenants', async (req, res) => {
    const signup = signupSchemaFor(config.OWNER_PHONE_COUNTRIES).parse(req.body);
    const counted = [
      [limits.signupPerAddress, clientAddressKey(req.ip)],
      [limits.signupPerPhone, signup.ownerPhone],
    ] as const;
    const allowed = await takeAll(counted);
    if (!allowed.allowed) {
      const whose = allowed.refusedBy === limits.signupPerPhone ? 'for this owner phone' : 'from this address';
      throw tooManyRequests(`Too many sign-ups ${whose}; try again later.`, allowed.retryAfterMs);
    }
    const slug = tenantSlug(signup.businessName);
    let started: string | undefined;
    const { tenantId, apiKey } = await db
      .transaction(async (trx) => {
        const [tenant] = await trx('tenants')
          .insert({
            slug: `${slug}-${Math.random().toString(36).slice(2, 8)}`,
            business_name: signup.businessName,
            website: signup.website ?? null,
            contact_name: signup.contact.name,
            contact_email: signup.contact.email,
            owner_phone: signup.ownerPhone,
            time_zone: signup.timeZone,
            relay_cadence_minutes: signup.relayCadenceMinutes,
            destination_countries: signup.destinationCountries,
            area_code_preference: signup.areaCodePreference ?? null,
            status: 'onboarding',
          })
          .returning<{ id: string }[]>('id');
        await trx('kyc_submissions').insert({ tenant_id: tenant.id, submission: JSON.stringify(kycSubmissionOf(signup)) });
        if (signup.registration) await saveRegistrationDetails(trx, { tenantId: tenant.id, ...registrationToStore(signup.registration) });
        const key = await issueApiKey(trx, { role: 'tenant', tenantId: tenant.id, label: 'sign-up' });
        await recordAudit(trx, { actor: `tenant:${tenant.id}`, actorKind: 'tenant', tenantId: tenant.id, action: 'tenant.signed_up' });
        await startLifecycle(tenant.id, signup.businessName);
        started = tenant.id;
        return { tenantId: tenant.id, apiKey: key.key };
      })
      .catch(async (err: unknown) => {
        // Nothing was kept, so nothing is counted; a workflow whose rows never committed is stopped.
        await giveBackAll(counted).catch((e: unknown) => log.warn({ err: e }, 'could not give back sign-up limit points'));
        if (started) {
          const orphan = started;
          await lifecycle(orphan)
            .terminate('sign-up did not commit')
            .catch((e: unknown) => log.error({ err: e, tenantId: orphan }, 'could not stop the lifecycle of a sign-up that did not commit'));
        }
        throw err;
      });
    res
      .status(202)
      .location(`/v1/tenants/${tenantId}`)
      .json({ tenant: { id: tenantId, businessName: signup.businessName, step: 'kyc' }, apiKey, note: 'The API key is shown once: keep it safe.' });
  });

  router.get('/v1/tenants/:id', tenantKey, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    try {
      res.json(await withLiveRegistration(temporal, await stateOf(tenantId)));
    } catch (err) {
      // A finished onboarding outlives its closed run, which Temporal drops after its retention.
      const recorded = err instanceof HttpProblem && err.status === 404 ? await recordedOnboarding(db, tenantId) : undefined;
      if (!recorded) throw err;
      res.json({ ...recorded, fromRecord: true });
    }
  });

  router.get('/v1/tenants/:id/settings', tenantKey, async (req, res) => {
    res.json(await sendingSettingsOf(db, ownTenantId(req, res)));
  });

  /** Cadence and time zone: campaigns started from now on use them; running ones keep theirs. */
  router.patch('/v1/tenants/:id/settings', settingsAdmin, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const changes = tenantSettingsSchema.parse(req.body);
    // The HELP answer goes out on the tenant's behalf with nobody to review it.
    if (changes.helpText) await refuseHeldAutoReply(db, tenantId, changes.helpText, 'helpText', 'help text');
    await db.transaction(async (trx) => {
      const before = await sendingSettingsOf(trx, tenantId);
      const named = Object.keys(changes) as Array<keyof typeof changes>;
      await trx('tenants')
        .where({ id: tenantId })
        .update({ ...Object.fromEntries(named.map((k) => [SETTING_COLUMNS[k], changes[k]])), updated_at: trx.fn.now() });
      const from = Object.fromEntries(named.map((k) => [k, before[k]]));
      await recordAudit(trx, { actor: `tenant:${tenantId}`, actorKind: 'tenant', tenantId, action: 'tenant.settings_changed', details: { from, to: changes } });
    });
    res.json(await sendingSettingsOf(db, tenantId));
  });

  /**
   * The tenant's users (admins only): where their reply emails go (contacts name them as
   * assignedUser), their role, whether they see only their assigned contacts, and their live keys.
   */
  router.get('/v1/tenants/:id/users', usersAdmin, async (req, res) => {
    res.json({ users: await usersOf(ownTenantId(req, res)) });
  });

  /** Creates or changes a user (fields left out keep their value); audited with what changed. */
  router.put('/v1/tenants/:id/users/:name', usersAdmin, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const name = tenantUserName.parse(req.params.name);
    const change = tenantUserSchema.parse(req.body ?? {});
    const columns = {
      ...(change.email !== undefined ? { email: change.email } : {}),
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.restrictedToAssigned !== undefined ? { restricted_to_assigned: change.restrictedToAssigned } : {}),
    };
    await db.transaction(async (trx) => {
      // One user change per tenant at a time, so two demotions cannot each leave the other as the last admin.
      await trx('tenants').where({ id: tenantId }).forNoKeyUpdate().first('id');
      const before = await trx('tenant_users').where({ tenant_id: tenantId, name }).forUpdate().first<UserRow | undefined>(USER_COLUMNS);
      await trx('tenant_users')
        .insert({ tenant_id: tenantId, name, ...columns })
        .onConflict(['tenant_id', 'name'])
        .merge({ ...columns, updated_at: trx.fn.now() });
      const after = await trx('tenant_users').where({ tenant_id: tenantId, name }).first<UserRow>(USER_COLUMNS);
      // Demoting the user whose keys are the tenant's last admin keys would leave nobody to manage users and keys.
      if (before?.role === 'admin' && after.role !== 'admin' && !(await liveAdminKeyIds(trx, tenantId)).length)
        throw new HttpProblem(409, 'Last admin', `${name} holds the last live keys that act as admin; make another admin first.`);
      // The email itself stays out of the audit log; that it changed is enough.
      const seen = (u: UserRow | undefined) => u && { role: u.role, restrictedToAssigned: u.restrictedToAssigned, hasEmail: u.email !== null };
      await recordAudit(trx, {
        actor: `tenant:${tenantId}`,
        actorKind: 'tenant',
        tenantId,
        action: before ? 'user.updated' : 'user.created',
        details: {
          name,
          from: seen(before) ?? null,
          to: seen(after),
          emailChanged: before ? before.email !== after.email : after.email !== null,
          ...byKey(res),
        },
      });
    });
    const [user] = await usersOf(tenantId, name);
    res.status(200).json(user);
  });

  /** A key for one user, acting with the user's role (as it stands at each request); shown once. */
  router.post('/v1/tenants/:id/users/:name/api-keys', usersAdmin, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const name = tenantUserName.parse(req.params.name);
    const request = userKeySchema.parse(req.body ?? {});
    const { key, view } = await createTenantKey(
      db,
      tenantId,
      { ...request, user: name },
      {
        actor: `tenant:${tenantId}`,
        actorKind: 'tenant',
        byKeyId: principalOf(res).keyId,
      },
    );
    res.status(201).location(`/v1/tenants/${tenantId}/api-keys`).json({ apiKey: key, key: view, note: 'The API key is shown once: keep it safe.' });
  });

  router.post('/v1/tenants/:id/verification', onboarding, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const { code } = verificationCodeSchema.parse(req.body);
    const answer = await onWorkflow(`tenant ${tenantId}`, () => lifecycle(tenantId).executeUpdate(submitVerificationCodeUpdate, { args: [{ code }] }));
    res.status(answer.status === 'approved' ? 200 : 422).json(answer);
  });

  router.post('/v1/tenants/:id/verification/resend', onboarding, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const allowed = await limits.resendPerAddress.take(clientAddressKey(req.ip));
    if (!allowed.allowed) throw tooManyRequests('Too many requests for a new code from this address; try again later.', allowed.retryAfterMs);
    res.json(await onWorkflow(`tenant ${tenantId}`, () => lifecycle(tenantId).executeUpdate(resendVerificationCodeUpdate)));
  });

  router.post('/v1/tenants/:id/kyc', onboarding, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const fields = kycFields.parse(req.body);
    const state = await stateOf(tenantId);
    if (state.step !== 'rejected') throw new HttpProblem(409, 'NotInStep', 'KYC can be resubmitted only after a rejection.');
    await db.transaction(async (trx) => {
      await trx('kyc_submissions').insert({ tenant_id: tenantId, submission: JSON.stringify(kycSubmissionOf(fields)) });
      await trx('tenants')
        .where({ id: tenantId })
        .update({
          business_name: fields.businessName,
          website: fields.website ?? null,
          contact_name: fields.contact.name,
          contact_email: fields.contact.email,
          destination_countries: fields.destinationCountries,
          updated_at: trx.fn.now(),
        });
      await recordAudit(trx, { actor: `tenant:${tenantId}`, actorKind: 'tenant', tenantId, action: 'kyc.resubmitted' });
    });
    await onWorkflow(`tenant ${tenantId}`, () => lifecycle(tenantId).signal(kycResubmittedSignal));
    res.status(202).location(`/v1/tenants/${tenantId}`).json({ accepted: true });
  });

  router.post('/v1/tenants/:id/number-preference', onboarding, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const { areaCode } = areaCodeSchema.parse(req.body);
    await db('tenants').where({ id: tenantId }).update({ area_code_preference: areaCode });
    await onWorkflow(`tenant ${tenantId}`, () => lifecycle(tenantId).signal(areaCodeChosenSignal, { areaCode }));
    res.status(202).location(`/v1/tenants/${tenantId}`).json({ accepted: true });
  });

  /** Magic-number test sends during onboarding: Twilio's answer comes back as is. */
  router.post('/v1/sandbox/messages', tenantKey, requireTenant('campaigns.write'), async (req, res) => {
    const tenantId = callerTenantId(res);
    const message = sandboxMessageSchema.parse(req.body);
    // A tenant without a lifecycle is a 404 before anything is written (sealing makes its data key).
    await onWorkflow(`tenant ${tenantId}`, () => lifecycle(tenantId).describe());
    // Sealed: the Update's argument is kept in the workflow's history, which holds no message text.
    const sealedBody = await keys.seal(tenantId, 'workflow.sandbox_send_body', message.body);
    const result = await onWorkflow(`tenant ${tenantId}`, () =>
      lifecycle(tenantId).executeUpdate(sandboxSendUpdate, { args: [{ to: message.to, sealedBody, from: message.from ?? MAGIC_FROM_SUCCESS }] }),
    );
    res.status(result.ok ? 201 : 422).json(result);
  });

  return router;
}
