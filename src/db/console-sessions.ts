import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Console sessions (migration 024). The session id lives only in the browser's cookie; the
 * table keeps its SHA-256. Times are the database's clock, like API keys' states.
 */
export interface ConsoleSessionRow {
  apiKeyId: string;
}

/** The id's digest, as stored. */
export const sessionIdHash = (sessionId: string): Buffer => createHash('sha256').update(sessionId).digest();

/** A new session for `apiKeyId`, ending at the latest `lifetimeSeconds` from now; returns the id for the cookie. */
export async function createConsoleSession(db: Knex, apiKeyId: string, lifetimeSeconds: number): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  await db('console_sessions').insert({
    id_hash: sessionIdHash(sessionId),
    api_key_id: apiKeyId,
    expires_at: db.raw(`now() + make_interval(secs => ?)`, [lifetimeSeconds]),
  });
  return sessionId;
}

/** The session, unless it is unknown, past its lifetime, or idle longer than `idleSeconds`. */
export async function findLiveConsoleSession(db: Knex, sessionId: string, idleSeconds: number): Promise<ConsoleSessionRow | undefined> {
  const row = await db('console_sessions')
    .where({ id_hash: sessionIdHash(sessionId) })
    .where('expires_at', '>', db.fn.now())
    .where('last_seen_at', '>', db.raw(`now() - make_interval(secs => ?)`, [idleSeconds]))
    .first<{ api_key_id: string } | undefined>('api_key_id');
  return row && { apiKeyId: row.api_key_id };
}

/**
 * Keeps a session from going idle. Written at most every `staleSeconds` (a page's burst of
 * requests is one write), so idleness is measured to within that.
 */
export async function touchConsoleSession(db: Knex, sessionId: string, staleSeconds: number): Promise<void> {
  await db('console_sessions')
    .where({ id_hash: sessionIdHash(sessionId) })
    .where('last_seen_at', '<', db.raw(`now() - make_interval(secs => ?)`, [staleSeconds]))
    .update({ last_seen_at: db.fn.now() });
}

export async function deleteConsoleSession(db: Knex, sessionId: string): Promise<void> {
  await db('console_sessions')
    .where({ id_hash: sessionIdHash(sessionId) })
    .delete();
}

/** Every session of a key (the key was revoked or expired). */
export async function deleteConsoleSessionsOfKey(db: Knex, apiKeyId: string): Promise<number> {
  return db('console_sessions').where({ api_key_id: apiKeyId }).delete();
}

/** Sessions that can no longer be used; done on each sign-in so the table stays small without a job. */
export async function deleteEndedConsoleSessions(db: Knex, idleSeconds: number): Promise<number> {
  return db('console_sessions')
    .where('expires_at', '<=', db.fn.now())
    .orWhere('last_seen_at', '<=', db.raw(`now() - make_interval(secs => ?)`, [idleSeconds]))
    .delete();
}
