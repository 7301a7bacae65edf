import type { Config } from '../config';
import type { Db } from './knex';
import { postgresLimit, type Limit } from './rate-limits';

/**
 * What sign-up and Verify count against, so nobody can make the ISV's account text numbers
 * at will (SMS pumping): sign-ups per client address and per owner phone, requests for a new
 * code per client address (the API's side), and codes texted per tenant and per number in a
 * day (the lifecycle's side, whichever path asked for the code).
 */
export function onboardingLimits(db: Db, config: Config) {
  return {
    signupPerAddress: postgresLimit(db, 'signup-address', config.SIGNUP_LIMIT_PER_ADDRESS, config.SIGNUP_LIMIT_WINDOW_SECONDS),
    signupPerPhone: postgresLimit(db, 'signup-phone', config.SIGNUP_LIMIT_PER_PHONE, config.SIGNUP_LIMIT_WINDOW_SECONDS),
    resendPerAddress: postgresLimit(db, 'verify-resend-address', config.VERIFY_RESEND_LIMIT_PER_ADDRESS, config.VERIFY_RESEND_LIMIT_WINDOW_SECONDS),
    verifyPerTenant: postgresLimit(db, 'verify-tenant', config.VERIFY_CAP_PER_TENANT, config.VERIFY_CAP_WINDOW_SECONDS),
    verifyPerPhone: postgresLimit(db, 'verify-phone', config.VERIFY_CAP_PER_PHONE, config.VERIFY_CAP_WINDOW_SECONDS),
  } satisfies Record<string, Limit>;
}

export type OnboardingLimits = ReturnType<typeof onboardingLimits>;
