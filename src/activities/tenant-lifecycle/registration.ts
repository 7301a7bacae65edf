import type { ActivityDeps } from '../deps';
import { registrationOf } from '../../db/carrier-registrations';
import type { BrandType, RegistrationKind, RegistrationPhase, RegistrationReason } from '../../workflows/carrier-registration/definitions';

/** What the lifecycle's registration step reads of the tenant's stored registration. */
export function createRegistrationStepActivities({ db }: ActivityDeps) {
  return {
    /** How the tenant registers (kind, brand type), or null while it has given no registration details. */
    async registrationPlan(tenantId: string): Promise<{ kind: RegistrationKind; brandType?: BrandType } | null> {
      const registration = await registrationOf(db, tenantId);
      if (!registration) return null;
      return { kind: registration.kind, ...(registration.brandType ? { brandType: registration.brandType } : {}) };
    },

    /** The phase a registration records (for one this lifecycle did not start itself). */
    async registrationStanding(tenantId: string): Promise<{ kind: RegistrationKind; phase: RegistrationPhase; reasons: RegistrationReason[] } | null> {
      const registration = await registrationOf(db, tenantId);
      return registration ? { kind: registration.kind, phase: registration.state, reasons: registration.reasons } : null;
    },
  };
}
