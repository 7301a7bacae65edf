import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../app';
import { ownTenantId, principalOf, requireStaff, staffActorOf, tenantAccess } from '../auth';
import { createTenantKey, listTenantKeys, revokeAnyKey, revokeTenantKey, rotateTenantKey, type KeyActor } from '../api-key-lifecycle';
import { staffActionSchema } from './tenant-schemas';

/** The longest a rotated key keeps working beside its replacement: long enough to roll out a deployment. */
export const MAX_ROTATION_GRACE_SECONDS = 3600;

const keyParams = z.object({ keyId: z.uuid({ error: 'must be an API key id (UUID)' }) });
const tenantIdParams = z.object({ id: z.uuid({ error: 'must be a tenant id (UUID)' }) });
const expiresAt = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, such as 2027-01-31T00:00:00Z' })
  .transform((at) => new Date(at))
  .refine((at) => at.getTime() > Date.now(), 'must be in the future');
const createKeySchema = z.object({ label: z.string().trim().min(1).max(100).optional(), expiresAt: expiresAt.optional() }).strict();
const rotateKeySchema = z
  .object({ expiresAt: expiresAt.optional(), graceSeconds: z.number().int().min(0).max(MAX_ROTATION_GRACE_SECONDS).default(0) })
  .strict();
const tenantRevokeSchema = z.object({ reason: z.string().trim().min(3).max(2000).optional() }).strict();

const SHOWN_ONCE = 'The API key is shown once: keep it safe.';

/** A tenant's own API keys: list (never the secret), create, rotate, revoke. Another tenant's id or key answers 404. */
export function apiKeyRoutes({ db }: Pick<ApiDeps, 'db'>): Router {
  const router = Router();
  const tenantKey = tenantAccess(db, 'keys.manage');
  const tenantActor = (tenantId: string, res: { locals: Record<string, unknown> }): KeyActor => ({
    actor: `tenant:${tenantId}`,
    actorKind: 'tenant',
    byKeyId: principalOf(res).keyId,
  });

  router.get('/v1/tenants/:id/api-keys', tenantKey, async (req, res) => {
    res.json({ keys: await listTenantKeys(db, ownTenantId(req, res)) });
  });

  router.post('/v1/tenants/:id/api-keys', tenantKey, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const request = createKeySchema.parse(req.body ?? {});
    const { key, view } = await createTenantKey(db, tenantId, request, tenantActor(tenantId, res));
    res.status(201).location(`/v1/tenants/${tenantId}/api-keys`).json({ apiKey: key, key: view, note: SHOWN_ONCE });
  });

  router.post('/v1/tenants/:id/api-keys/:keyId/rotate', tenantKey, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const { keyId } = keyParams.parse(req.params);
    const request = rotateKeySchema.parse(req.body ?? {});
    const { key, view, replaced } = await rotateTenantKey(db, tenantId, keyId, request, tenantActor(tenantId, res));
    res.status(201).location(`/v1/tenants/${tenantId}/api-keys`).json({ apiKey: key, key: view, replaced, note: SHOWN_ONCE });
  });

  router.post('/v1/tenants/:id/api-keys/:keyId/revoke', tenantKey, async (req, res) => {
    const tenantId = ownTenantId(req, res);
    const { keyId } = keyParams.parse(req.params);
    const { reason } = tenantRevokeSchema.parse(req.body ?? {});
    res.json({ key: await revokeTenantKey(db, tenantId, keyId, reason, tenantActor(tenantId, res)) });
  });

  return router;
}

/** Staff see any tenant's keys and revoke any key (a tenant's or a staff member's), audited. Mounted behind the staff key check. */
export function staffApiKeyRoutes({ db }: Pick<ApiDeps, 'db'>): Router {
  const router = Router();

  router.get('/v1/compliance/tenants/:id/api-keys', async (req, res) => {
    res.json({ keys: await listTenantKeys(db, tenantIdParams.parse(req.params).id) });
  });

  router.post('/v1/compliance/api-keys/:keyId/revoke', requireStaff('keys.revoke'), async (req, res) => {
    const { keyId } = keyParams.parse(req.params);
    const { reason } = staffActionSchema.parse(req.body);
    res.json({ key: await revokeAnyKey(db, keyId, reason, { actor: staffActorOf(res), actorKind: 'staff', byKeyId: principalOf(res).keyId }) });
  });

  return router;
}
