/**
 * Who may do what (issue 15). A tenant's users have one role each; compliance staff have one of
 * their own. Each action names the roles that may take it, and nothing else grants it: a role
 * not listed for an action is refused (403), whatever the request names.
 */
export const TENANT_ROLES = ['admin', 'sender', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];
export const STAFF_ROLES = ['reviewer', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const EVERY_TENANT_ROLE: readonly TenantRole[] = TENANT_ROLES;
const SENDERS: readonly TenantRole[] = ['admin', 'sender'];
const ADMINS: readonly TenantRole[] = ['admin'];

export const TENANT_PERMISSIONS = {
  /**
   * Reports and the tenant's own state: campaign status and figures (no message text), the daily
   * report (deliveries, opt-outs), monitor notices, retention reports, settings, onboarding state.
   * No personal data: that is `contacts.read`.
   */
  read: EVERY_TENANT_ROLE,
  /**
   * Personal data: contacts (list and export) and their consent, a campaign's recipient CSV and
   * message text, replies (notifications), opt-out requests and the opt-out list, erasures.
   * A viewer reads reports only (issue 15: "viewer (reports)").
   */
  'contacts.read': SENDERS,
  /** Upload contacts (and the consent they come with). */
  'contacts.write': SENDERS,
  /** Record a contact's consent or its withdrawal. */
  'consents.write': SENDERS,
  /** Create, preview, start and cancel campaigns; sandbox test sends. */
  'campaigns.write': SENDERS,
  /** Confirm or dismiss a reply read as a request to stop. */
  'opt_out_requests.decide': SENDERS,
  /** Sending settings, the HELP answer, opt-in keywords (text sent on the tenant's behalf). */
  'settings.write': ADMINS,
  /** The tenant's users: list, create, change role or restriction, issue a user's key. */
  'users.manage': ADMINS,
  /** The tenant's API keys: list, create, rotate, revoke. */
  'keys.manage': ADMINS,
  /** Erase a contact and everything of theirs, for good (a data subject's request). */
  'contacts.erase': ADMINS,
  /** Onboarding answers: verification code, KYC, number preference, carrier registration. */
  onboarding: ADMINS,
} as const satisfies Record<string, readonly TenantRole[]>;
export type TenantAction = keyof typeof TENANT_PERMISSIONS;

const EVERY_STAFF_ROLE: readonly StaffRole[] = STAFF_ROLES;
const STAFF_ADMINS: readonly StaffRole[] = ['admin'];

export const STAFF_PERMISSIONS = {
  /** Review queues, cases, registrations, the audit log, a tenant's monitor, sending and keys. */
  'reviews.read': EVERY_STAFF_ROLE,
  /** Approve, reject or suspend a tenant; approve or reject campaign content. */
  'reviews.decide': EVERY_STAFF_ROLE,
  /** Lift a suspension: the tenant sends again. */
  'tenants.reinstate': STAFF_ADMINS,
  /** A sender's messages per second and daily cap. */
  'senders.limits': STAFF_ADMINS,
  /** Revoke any key, a tenant's or staff's. */
  'keys.revoke': STAFF_ADMINS,
  /** Offboard a tenant: sending stops, numbers released, data purged. */
  'tenants.offboard': STAFF_ADMINS,
  /** Start or restart a tenant's carrier registration. */
  'registrations.start': STAFF_ADMINS,
} as const satisfies Record<string, readonly StaffRole[]>;
export type StaffAction = keyof typeof STAFF_PERMISSIONS;

export const tenantRoleMay = (role: TenantRole, action: TenantAction): boolean => TENANT_PERMISSIONS[action].includes(role);
/** The actions that only read. */
const READ_ACTIONS: readonly TenantAction[] = ['read', 'contacts.read'];
/** Whether a role may change anything at all (a viewer may not): requests other than reads need it. */
export const tenantRoleChanges = (role: TenantRole): boolean =>
  Object.entries(TENANT_PERMISSIONS).some(([action, roles]) => !READ_ACTIONS.includes(action as TenantAction) && roles.includes(role));
export const staffRoleMay = (role: StaffRole, action: StaffAction): boolean => STAFF_PERMISSIONS[action].includes(role);

/**
 * The contacts a tenant key sees: every contact of the tenant, or, for a user restricted to
 * their assigned contacts, only those whose assigned user is that user. The owner's key (no
 * user) is never restricted.
 */
export function assignedScope(key: { user: string | null; restrictedToAssigned: boolean }): string | null {
  return key.user !== null && key.restrictedToAssigned ? key.user : null;
}
