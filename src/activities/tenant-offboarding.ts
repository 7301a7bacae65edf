import type { ActivityDeps } from './deps';
import { notRedacted, pendingRedactionCount, purgeTenantPersonalData, revokeTenantKeys } from '../db/offboarding';

/**
 * Offboarding's own activities (the steps it shares with retention and erasure live in
 * data-protection.ts): revoking every key of the tenant, telling whether Twilio still has
 * messages to redact, listing what it would not redact, and the purge after the retention
 * period. Each is safe to repeat.
 */
export function createTenantOffboardingActivities({ db, log }: ActivityDeps) {
  return {
    /** Every API key of the tenant (its own and its users') revoked now, each audited. */
    async revokeOffboardedTenantKeys(input: { tenantId: string }): Promise<{ revoked: number }> {
      return revokeTenantKeys(db, input.tenantId);
    },

    /** How many of the tenant's Twilio redactions are still to try (refused so far, not given up). */
    async offboardingRedactionsPending(input: { tenantId: string }): Promise<{ pending: number }> {
      return { pending: await pendingRedactionCount(db, input.tenantId) };
    },

    /** The tenant's messages Twilio could not be made to redact, for the report (SIDs and error codes). */
    async offboardingNotRedacted(input: { tenantId: string }): Promise<{ count: number; messages: Array<{ messageSid: string; error: string }> }> {
      return notRedacted(db, input.tenantId);
    },

    /** After the retention period: all the tenant's personal data, data keys last (src/db/offboarding.ts). */
    async purgeOffboardedTenantData(input: { tenantId: string }): Promise<Record<string, number>> {
      const purged = await purgeTenantPersonalData(db, input.tenantId);
      log.info({ tenantId: input.tenantId, purged }, 'offboarded tenant purged');
      return purged;
    },
  };
}

export type TenantOffboardingActivities = ReturnType<typeof createTenantOffboardingActivities>;
