import { z } from 'zod';
import { TENANT_ROLES } from '../../domain/permissions';

/**
 * A tenant's user as an admin creates or changes it (PUT /v1/tenants/:id/users/:name): where
 * reply emails go, the role, and whether the user sees only the contacts assigned to them.
 * Fields left out keep their value (a new user: no email, sender, unrestricted).
 */
export const tenantUserSchema = z
  .object({
    email: z.email().nullable(),
    role: z.enum(TENANT_ROLES, { error: `must be one of ${TENANT_ROLES.join(', ')}` }),
    restrictedToAssigned: z.boolean(),
  })
  .partial()
  .strict();
export type TenantUserChange = z.infer<typeof tenantUserSchema>;
