import { z } from 'zod';
import { registrationCorrectionProblem } from '../../domain/registration-correction';
import type { BrandType, RegistrationDetails, RegistrationKind } from '../../workflows/carrier-registration/definitions';
import { e164 } from './phone-schema';

/**
 * What carrier registration needs beyond KYC (issue 14): at sign-up (`registration`) or with
 * `PUT /v1/tenants/:id/registration-details` until the registration starts. The EIN and the
 * sole proprietor's mobile follow the same rule as a correction of them (one domain rule).
 */

const text = (max: number) => z.string().trim().min(1).max(max);
/** A business fact the correction rule judges (EIN digits, a US mobile). */
const checkedBy = (field: 'ein' | 'mobile') =>
  z.string().superRefine((value, ctx) => {
    const problem = registrationCorrectionProblem({ business: { [field]: value } }, 'brand');
    if (problem) ctx.addIssue({ code: 'custom', message: problem.replace(`business.${field} `, '') });
  });

const address = z
  .object({
    street: text(200),
    city: text(100),
    region: text(100),
    postalCode: text(20),
    isoCountry: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as US'),
  })
  .strict();

const representative = z.object({ firstName: text(100), lastName: text(100), email: z.email().max(200), phone: e164, title: text(100) }).strict();

const business = z
  .object({
    ein: checkedBy('ein').optional(),
    legalName: text(200).optional(),
    /** Trust Hub's business_type, e.g. `Limited Liability Corporation`. */
    businessType: text(100).optional(),
    /** Trust Hub's business_industry, e.g. `HEALTHCARE`. */
    industry: z
      .string()
      .regex(/^[A-Z_]{2,40}$/, 'must be a Trust Hub industry such as HEALTHCARE')
      .optional(),
    companyType: z.enum(['private', 'public', 'non-profit', 'government']).optional(),
    address,
    representative,
    mobile: checkedBy('mobile').optional(),
  })
  .strict();

export const registrationDetailsSchema = z
  .object({
    /** `local`: a local number registered through A2P 10DLC; `tollfree`: a toll-free number and its verification. */
    numberType: z.enum(['local', 'tollfree']).default('local'),
    brandType: z.enum(['STANDARD', 'LOW_VOLUME_STANDARD', 'SOLE_PROPRIETOR']).default('STANDARD'),
    business,
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.numberType !== 'local') return;
    if (d.brandType === 'SOLE_PROPRIETOR' && !d.business.mobile)
      ctx.addIssue({ code: 'custom', path: ['business', 'mobile'], message: 'a sole proprietor brand needs the owner’s mobile (it gets the OTP text)' });
    if (d.brandType !== 'SOLE_PROPRIETOR' && !d.business.ein)
      ctx.addIssue({ code: 'custom', path: ['business', 'ein'], message: `a ${d.brandType} brand needs the EIN` });
  });

export type RegistrationDetailsRequest = z.infer<typeof registrationDetailsSchema>;

/** As saveRegistrationDetails stores it: 10DLC with its brand type, or toll-free (no brand). */
export function registrationToStore(request: RegistrationDetailsRequest): { kind: RegistrationKind; brandType?: BrandType; details: RegistrationDetails } {
  const details: RegistrationDetails = { business: request.business };
  return request.numberType === 'tollfree' ? { kind: 'tollfree', details } : { kind: '10dlc', brandType: request.brandType, details };
}
