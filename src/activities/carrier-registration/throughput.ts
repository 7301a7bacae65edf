import type { ActivityDeps } from '../deps';
import { registrationOf } from '../../db/carrier-registrations';
import { applyRegisteredThroughput } from '../../db/sender-limits';
import { registeredThroughput, type RegisteredThroughput } from '../../domain/registered-throughput';
import { registrationWorkflowId } from '../../workflows/carrier-registration/definitions';

/** An approved registration's throughput class as the tenant's sending limits. */
export function createThroughputActivities({ db }: Pick<ActivityDeps, 'db'>) {
  return {
    /**
     * Sets every current number's MPS and daily cap (and their ceiling) from the class the
     * registration was approved with: the campaign's `rate_limits` for 10DLC, Twilio's
     * verified toll-free default otherwise. Idempotent: a retry changes nothing more.
     */
    async applyRegistrationThroughput(input: {
      tenantId: string;
      rateLimits?: Record<string, unknown>;
    }): Promise<RegisteredThroughput & { senders: string[] }> {
      const registration = await registrationOf(db, input.tenantId);
      if (!registration) throw new Error(`tenant ${input.tenantId} has no carrier registration`);
      const throughput = registeredThroughput({ kind: registration.kind, brandType: registration.brandType, rateLimits: input.rateLimits });
      const senders = await applyRegisteredThroughput(db, input.tenantId, throughput, registrationWorkflowId(input.tenantId));
      return { ...throughput, senders };
    },
  };
}
