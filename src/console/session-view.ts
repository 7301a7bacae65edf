// Shared by the API (src/api/console-session.ts) and the browser code (src/console/web/session.ts):
// it imports nothing, so the browser's tsconfig (DOM types, no node types) can take it type-only.

/** Who is signed in, as `GET /console/session` answers it. */
export interface ConsoleSessionView {
  kind: 'tenant' | 'staff';
  /** Set for a tenant session: the tenant the key belongs to. */
  tenantId?: string;
  role: string;
  /** Staff: the key's label. Tenant: the business name, with the user's name when the key is a user's. */
  name: string;
  /** Sent back as `X-CSRF-Token` on every change (the console's api.ts does it). */
  csrfToken: string;
  /**
   * The Temporal UI for the platform's namespace (`<ui>/namespaces/<namespace>`); a run is at
   * `${temporalUiUrl}/workflows/<workflowId>`. Absent when the UI's address is not configured.
   */
  temporalUiUrl?: string;
  /**
   * Set only when Twilio is clearsend's local sandbox (TWILIO_API_BASE): the console links the
   * Verify code the sandbox holds, since no SMS reaches a real phone. Absent with real Twilio.
   */
  sandboxUrl?: string;
  /** With sandboxUrl, for a tenant session: the owner's phone the sandbox's code is filed under. */
  ownerPhone?: string;
}
