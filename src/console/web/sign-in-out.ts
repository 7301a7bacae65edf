import { ApiError, apiGet, apiSend } from './api';
import { session, sessionChecked, type ConsoleSession } from './session';

/** Reads who is signed in (a 401 means nobody); the page waits on this before it shows anything. */
export async function loadSession(): Promise<void> {
  try {
    session.value = await apiGet<ConsoleSession>('/console/session');
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
    session.value = null;
  } finally {
    sessionChecked.value = true;
  }
}

/** Exchanges an API key for a session cookie; throws the ApiError (401 for a refused key). */
export async function signIn(key: string): Promise<void> {
  session.value = await apiSend<ConsoleSession>('POST', '/console/session', { key });
}

export async function signOut(): Promise<void> {
  await apiSend<void>('POST', '/console/session/sign-out');
  session.value = null;
}
