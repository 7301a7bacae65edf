import { randomBytes } from 'node:crypto';
import { saveRegistrationDetails } from '../../src/db/carrier-registrations';
import { createDb, type Db } from '../../src/db/knex';
import { activeTenantsWithoutRegistration, unregisteredTenantsReport } from '../../src/ops/unregistered-tenants';
import { testServices } from '../support/test-env';

/** Tenants active before the lifecycle registered tenants are what `npm start` reports (issue 14 item 4). */
describe('active tenants without a carrier registration', () => {
  let db: Db;
  beforeAll(() => {
    db = createDb(testServices().databaseUrl);
  });
  afterAll(() => db.destroy());

  const details = {
    business: {
      ein: '12-3456789',
      address: { street: '1 Main St', city: 'San Francisco', region: 'CA', postalCode: '94103', isoCountry: 'US' },
      representative: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+14155550100', title: 'CEO' },
    },
  };

  it('lists active tenants with no registration, or only details nothing was submitted with; not registered or onboarding ones', async () => {
    const slug = () => `ur-${randomBytes(4).toString('hex')}`;
    const [legacy, detailsOnly, registered, onboarding] = await db('tenants')
      .insert([
        { slug: slug(), business_name: 'Old Active Co', lifecycle_step: 'active', status: 'active' },
        { slug: slug(), business_name: 'Details Only Co', lifecycle_step: 'active', status: 'active' },
        { slug: slug(), business_name: 'Registered Co', lifecycle_step: 'active', status: 'active' },
        { slug: slug(), business_name: 'Still Onboarding', lifecycle_step: 'review' },
      ])
      .returning<{ id: string }[]>('id');
    for (const t of [detailsOnly, registered]) await saveRegistrationDetails(db, { tenantId: t.id, kind: '10dlc', brandType: 'STANDARD', details });
    await db('carrier_registrations')
      .where({ tenant_id: registered.id })
      .update({ state: 'approved', customer_profile_sid: `BU${'1'.repeat(32)}` });

    // Only these: other test files share the database.
    const found = await activeTenantsWithoutRegistration(db, { only: [legacy, detailsOnly, registered, onboarding].map((t) => t.id) });
    // Both were inserted in one statement (the same created_at), so their order is not defined.
    expect([...found].sort((a, b) => a.businessName.localeCompare(b.businessName))).toEqual([
      { id: detailsOnly.id, businessName: 'Details Only Co' },
      { id: legacy.id, businessName: 'Old Active Co' },
    ]);
    const report = unregisteredTenantsReport(found, 1);
    expect(report[0]).toMatch(/^2 active tenant\(s\) have no carrier registration.*POST \/v1\/compliance\/tenants\/<id>\/registration/);
    expect(report.slice(1)).toEqual([`  ${legacy.id}  Old Active Co`, '  … and 1 more']);
    expect(unregisteredTenantsReport([])).toEqual([]);
  });
});
