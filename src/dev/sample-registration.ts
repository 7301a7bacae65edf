import type { RegistrationDetailsRequest } from '../api/routes/registration-details-schema';

/**
 * Carrier registration details the local sandbox approves (a standard 10DLC brand; its EIN is
 * none of the sandbox's magic failures, so brand score 80), for the demo and the tests.
 */
export function sampleRegistrationDetails(representative: { firstName: string; lastName: string; email: string }): RegistrationDetailsRequest {
  return {
    numberType: 'local',
    brandType: 'STANDARD',
    business: {
      ein: '12-3456789',
      businessType: 'Limited Liability Corporation',
      industry: 'HEALTHCARE',
      companyType: 'private',
      address: { street: '1 Main St', city: 'San Francisco', region: 'CA', postalCode: '94103', isoCountry: 'US' },
      representative: { ...representative, phone: '+14155550100', title: 'Owner' },
    },
  };
}
