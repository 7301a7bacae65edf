import type { Knex } from 'knex';
import { issueApiKey, KEY_STATE_SQL, type KeyState } from './api-keys';
import { HttpProblem } from './problem';
import { recordAudit, type ActorKind } from '../db/audit';

/** Live keys a tenant may hold at once (rotation replaces one and is not counted against it). */
export const MAX_LIVE_KEYS_PER_TENANT = 10;

/** Who changes a key, as the audit log and `revoked_by` name them. */
export interface KeyActor {
  actor: string;
  actorKind: Extract<ActorKind, 'tenant' | 'staff'>;
  /** The key that authenticated the request, so the audit says which credential acted. */
  byKeyId: string;
}

/** What a key looks like to its owner and to staff: never the secret nor its hash. */
export interface KeyView {
  id: string;
  prefix: string;
  role: 'tenant' | 'staff';
  tenantId: string | null;
  /** The tenant user the key belongs to (it acts with their role); null: the owner's key (admin). */
  user: string | null;
  /** A staff key's role. */
  staffRole: string | null;
  label: string | null;
  state: KeyState;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  rotatedFrom: string | null;
}

const keyViews = (db: Knex | Knex.Transaction) =>
  db('api_keys').select(
    'id',
    db.raw(`'cs_' || role || '_' || key_prefix AS prefix`),
    'role',
    'tenant_id as tenantId',
    'user_name as user',
    'staff_role as staffRole',
    'label',
    db.raw(`${KEY_STATE_SQL} AS state`),
    'created_at as createdAt',
    'last_used_at as lastUsedAt',
    'expires_at as expiresAt',
    'revoked_at as revokedAt',
    'revoked_by as revokedBy',
    'rotated_from as rotatedFrom',
  );

export async function listTenantKeys(db: Knex, tenantId: string): Promise<KeyView[]> {
  return (await keyViews(db)
    .where({ tenant_id: tenantId })
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])) as KeyView[];
}

async function keyView(db: Knex | Knex.Transaction, keyId: string): Promise<KeyView> {
  return (await keyViews(db).where({ id: keyId }).first()) as KeyView;
}

/**
 * Key changes for one tenant take the tenant row's lock, so the live-key cap and "not the
 * last key" hold under concurrent requests. NO KEY UPDATE: rows that merely reference the
 * tenant (contacts, campaigns) are not held up by it.
 */
async function lockTenant(trx: Knex.Transaction, tenantId: string): Promise<void> {
  await trx('tenants').where({ id: tenantId }).forNoKeyUpdate().first('id');
}

/** Keys that will keep working: not revoked (nor revoking after a grace), not expired. */
async function liveKeyIds(trx: Knex.Transaction, tenantId: string): Promise<string[]> {
  return trx('api_keys').where({ tenant_id: tenantId }).whereNull('revoked_at').whereRaw(`${KEY_STATE_SQL} = 'active'`).pluck<string[]>('id');
}

/** Live keys that act as admin: the owner's (no user) and admin users'. */
export async function liveAdminKeyIds(trx: Knex.Transaction, tenantId: string): Promise<string[]> {
  return trx('api_keys as k')
    .leftJoin('tenant_users as u', (j) => j.on('u.tenant_id', 'k.tenant_id').andOn('u.name', 'k.user_name'))
    .where('k.tenant_id', tenantId)
    .whereNull('k.revoked_at')
    .whereRaw(`${KEY_STATE_SQL} = 'active'`)
    .where((q) => void q.whereNull('k.user_name').orWhere('u.role', 'admin'))
    .pluck<string[]>('k.id');
}

async function tenantKey(trx: Knex.Transaction, tenantId: string, keyId: string) {
  const key = await trx('api_keys')
    .where({ id: keyId, tenant_id: tenantId })
    .first<{ id: string; label: string | null; revoked_at: Date | null; user_name: string | null } | undefined>('id', 'label', 'revoked_at', 'user_name');
  if (!key) throw new HttpProblem(404, 'Not found', `No API key ${keyId}.`);
  return key;
}

const audit = (
  trx: Knex.Transaction,
  actor: KeyActor,
  entry: { tenantId: string | null; action: string; reason?: string | null; details: Record<string, unknown> },
) => recordAudit(trx, { actor: actor.actor, actorKind: actor.actorKind, ...entry, details: { ...entry.details, byKeyId: actor.byKeyId } });

export async function createTenantKey(
  db: Knex,
  tenantId: string,
  request: { label?: string; expiresAt?: Date; user?: string },
  actor: KeyActor,
): Promise<{ key: string; view: KeyView }> {
  return db.transaction(async (trx) => {
    await lockTenant(trx, tenantId);
    if ((await liveKeyIds(trx, tenantId)).length >= MAX_LIVE_KEYS_PER_TENANT) {
      throw new HttpProblem(409, 'Too many keys', `A tenant holds at most ${MAX_LIVE_KEYS_PER_TENANT} live API keys; revoke one first.`);
    }
    if (request.user && !(await trx('tenant_users').where({ tenant_id: tenantId, name: request.user }).first('name')))
      throw new HttpProblem(404, 'Not found', `No user ${request.user}.`);
    const issued = await issueApiKey(trx, { role: 'tenant', tenantId, label: request.label, user: request.user }, { expiresAt: request.expiresAt });
    await audit(trx, actor, {
      tenantId,
      action: 'api_key.created',
      details: { keyId: issued.id, prefix: issued.prefix, expiresAt: request.expiresAt ?? null, user: request.user ?? null },
    });
    return { key: issued.key, view: await keyView(trx, issued.id) };
  });
}

/**
 * A new key in the old one's place (same label), shown once; the old key stops working now,
 * or after `graceSeconds` so a deployment can switch over. An expired key may be rotated; a
 * revoked one (or one already rotated) may not.
 */
export async function rotateTenantKey(
  db: Knex,
  tenantId: string,
  keyId: string,
  request: { expiresAt?: Date; graceSeconds: number },
  actor: KeyActor,
): Promise<{ key: string; view: KeyView; replaced: KeyView }> {
  return db.transaction(async (trx) => {
    await lockTenant(trx, tenantId);
    const old = await tenantKey(trx, tenantId, keyId);
    if (old.revoked_at) throw new HttpProblem(409, 'NotInStep', `API key ${keyId} was revoked or rotated already.`);
    // The new key belongs to the old one's user, so rotation never changes what the key may do.
    const issued = await issueApiKey(
      trx,
      { role: 'tenant', tenantId, label: old.label, user: old.user_name },
      { expiresAt: request.expiresAt, rotatedFrom: keyId },
    );
    await trx('api_keys')
      .where({ id: keyId })
      .update({ revoked_at: trx.raw(`now() + make_interval(secs => ?)`, [request.graceSeconds]), revoked_by: actor.actor });
    await audit(trx, actor, {
      tenantId,
      action: 'api_key.rotated',
      details: { keyId, newKeyId: issued.id, prefix: issued.prefix, graceSeconds: request.graceSeconds, expiresAt: request.expiresAt ?? null },
    });
    return { key: issued.key, view: await keyView(trx, issued.id), replaced: await keyView(trx, keyId) };
  });
}

/** A tenant revokes one of its keys at once; never its last live one (that would lock it out for good: rotate instead). */
export async function revokeTenantKey(db: Knex, tenantId: string, keyId: string, reason: string | undefined, actor: KeyActor): Promise<KeyView> {
  return db.transaction(async (trx) => {
    await lockTenant(trx, tenantId);
    const key = await tenantKey(trx, tenantId, keyId);
    await refuseIfRevoked(trx, key.id);
    const live = await liveKeyIds(trx, tenantId);
    if (live.length === 1 && live[0] === keyId)
      throw new HttpProblem(409, 'Last key', 'This is your last live API key; rotate it instead, so you keep a working one.');
    const admins = await liveAdminKeyIds(trx, tenantId);
    if (admins.length === 1 && admins[0] === keyId)
      throw new HttpProblem(
        409,
        'Last admin key',
        'This is your last live key that acts as admin; rotate it instead, so someone can still manage users and keys.',
      );
    return revoke(trx, key.id, tenantId, reason, actor);
  });
}

/** Staff revoke any key, tenant or staff, at once and with a reason; audited with their name. */
export async function revokeAnyKey(db: Knex, keyId: string, reason: string, actor: KeyActor): Promise<KeyView> {
  return db.transaction(async (trx) => {
    const key = await trx('api_keys').where({ id: keyId }).forUpdate().first<{ id: string; tenant_id: string | null } | undefined>('id', 'tenant_id');
    if (!key) throw new HttpProblem(404, 'Not found', `No API key ${keyId}.`);
    await refuseIfRevoked(trx, key.id);
    return revoke(trx, key.id, key.tenant_id, reason, actor);
  });
}

async function refuseIfRevoked(trx: Knex.Transaction, keyId: string): Promise<void> {
  const { state } = await keyView(trx, keyId);
  if (state === 'revoked') throw new HttpProblem(409, 'NotInStep', `API key ${keyId} is revoked already.`);
}

/** Now, even for a key still in a rotation's grace. */
async function revoke(trx: Knex.Transaction, keyId: string, tenantId: string | null, reason: string | undefined, actor: KeyActor): Promise<KeyView> {
  await trx('api_keys').where({ id: keyId }).update({ revoked_at: trx.fn.now(), revoked_by: actor.actor });
  const view = await keyView(trx, keyId);
  await audit(trx, actor, { tenantId, action: 'api_key.revoked', reason: reason ?? null, details: { keyId, prefix: view.prefix, role: view.role } });
  return view;
}
