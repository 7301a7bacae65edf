import {
  assignedScope,
  STAFF_PERMISSIONS,
  staffRoleMay,
  TENANT_PERMISSIONS,
  tenantRoleChanges,
  tenantRoleMay,
  type StaffAction,
  type StaffRole,
  type TenantAction,
  type TenantRole,
} from '../../../src/domain/permissions';

describe('tenant roles', () => {
  // Written out by hand from the issue: admin = settings, users, keys and all below; sender =
  // contacts, campaigns, consents, opt-out requests; viewer = reports only (no contact, reply or message text).
  const expected: Array<[TenantAction, admin: boolean, sender: boolean, viewer: boolean]> = [
    ['read', true, true, true],
    ['contacts.read', true, true, false],
    ['contacts.write', true, true, false],
    ['consents.write', true, true, false],
    ['campaigns.write', true, true, false],
    ['opt_out_requests.decide', true, true, false],
    ['settings.write', true, false, false],
    ['users.manage', true, false, false],
    ['keys.manage', true, false, false],
    ['contacts.erase', true, false, false],
    ['onboarding', true, false, false],
  ];

  it('has a row here for every action', () => {
    expect(expected.map(([action]) => action).sort()).toEqual(Object.keys(TENANT_PERMISSIONS).sort());
  });

  it.each([
    ['admin', true],
    ['sender', true],
    ['viewer', false],
  ] as const)('%s may change something: %s', (role, changes) => {
    expect(tenantRoleChanges(role)).toBe(changes);
  });

  it.each(expected)('%s: admin %s, sender %s, viewer %s', (action, admin, sender, viewer) => {
    const may = (role: TenantRole) => tenantRoleMay(role, action);
    expect({ admin: may('admin'), sender: may('sender'), viewer: may('viewer') }).toEqual({ admin, sender, viewer });
  });
});

describe('staff roles', () => {
  // Only staff admins change MPS, reinstate, revoke keys or start registrations; reviewers read and decide reviews.
  const expected: Array<[StaffAction, admin: boolean, reviewer: boolean]> = [
    ['reviews.read', true, true],
    ['reviews.decide', true, true],
    ['tenants.reinstate', true, false],
    ['senders.limits', true, false],
    ['keys.revoke', true, false],
    ['registrations.start', true, false],
    ['tenants.offboard', true, false],
  ];

  it('has a row here for every action', () => {
    expect(expected.map(([action]) => action).sort()).toEqual(Object.keys(STAFF_PERMISSIONS).sort());
  });

  it.each(expected)('%s: admin %s, reviewer %s', (action, admin, reviewer) => {
    const may = (role: StaffRole) => staffRoleMay(role, action);
    expect({ admin: may('admin'), reviewer: may('reviewer') }).toEqual({ admin, reviewer });
  });
});

describe('assigned scope', () => {
  it.each([
    [{ user: null, restrictedToAssigned: false }, null],
    [{ user: 'dana', restrictedToAssigned: false }, null],
    [{ user: 'dana', restrictedToAssigned: true }, 'dana'],
  ])('%j sees %j', (key, scope) => {
    expect(assignedScope(key)).toBe(scope);
  });
});
