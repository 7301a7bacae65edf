import { session } from './session';

/** An RFC 9457 problem as the API answers it. */
export interface Problem {
  title?: string;
  detail?: string;
  [extension: string]: unknown;
}

/** A non-2xx answer from the API, with its problem body (or a stand-in when it had none). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export type UnsafeMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** GET a JSON resource of the API (same origin, the session cookie goes with it). */
export function apiGet<T>(path: string): Promise<T> {
  return request<T>('GET', path);
}

/** A change: JSON body, the session's CSRF token in `X-CSRF-Token`. */
export function apiSend<T>(method: UnsafeMethod, path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body === undefined ? undefined : { text: JSON.stringify(body), contentType: 'application/json' });
}

/** A change whose body is text as it is (a CSV upload), with its content type and the CSRF token. */
export function apiSendText<T>(method: UnsafeMethod, path: string, text: string, contentType: string): Promise<T> {
  return request<T>(method, path, { text, contentType });
}

async function request<T>(method: 'GET' | UnsafeMethod, path: string, body?: { text: string; contentType: string }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (body) headers['content-type'] = body.contentType;
  const csrfToken = session.value?.csrfToken;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body?.text,
    });
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'The console could not reach the API. Check that clearsend is running, then try again.' });
  }
  const parsed = await bodyOf(response);
  if (!response.ok) {
    // The session ended (idle, signed out elsewhere, key revoked): back to the sign-in page.
    if (response.status === 401 && session.value) session.value = null;
    throw new ApiError(response.status, isProblem(parsed) ? parsed : { title: `HTTP ${response.status}`, detail: response.statusText || undefined });
  }
  return parsed as T;
}

async function bodyOf(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) return response.json().catch(() => undefined);
  return response.text();
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null;
}
