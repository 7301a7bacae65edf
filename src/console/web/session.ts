import { signal } from '@preact/signals';

/** Who is signed in, as `GET /console/session` answers it. */
export interface ConsoleSession {
  kind: 'tenant' | 'staff';
  /** Set for a tenant session: the tenant the key belongs to. */
  tenantId?: string;
  role: string;
  /** Staff: the key's label. Tenant: the business name, with the user's name when the key is a user's. */
  name: string;
  /** Sent back as `X-CSRF-Token` on every change (api.ts does it). */
  csrfToken: string;
  /**
   * The Temporal UI for the platform's namespace (`<ui>/namespaces/<namespace>`); a run is at
   * `${temporalUiUrl}/workflows/<workflowId>`. Absent when the UI's address is not configured.
   */
  temporalUiUrl?: string;
  /** Set when Twilio is clearsend's local sandbox: where its control routes (the Verify code) are. */
  sandboxUrl?: string;
  /** With sandboxUrl, for a tenant: the owner's phone, which the sandbox files the Verify code under. */
  ownerPhone?: string;
}

/** The current session; null when signed out. */
export const session = signal<ConsoleSession | null>(null);

/** False until the first `GET /console/session` has answered (the page shows Loading until then). */
export const sessionChecked = signal(false);
