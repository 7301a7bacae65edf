import { z } from 'zod';
import { campaignTextProblem } from '../../domain/a2p-campaign';
import { registrationCorrectionProblem } from '../../domain/registration-correction';
import type { RegistrationPhase } from '../../workflows/carrier-registration/definitions';

/**
 * What the registration routes accept. A correction's fields are checked here with the same
 * domain rules the workflow's Update validator runs, field by field, so a malformed one is a
 * 400 naming the field before any workflow is asked; whether the correction fits the step that
 * failed is the validator's to say (it alone knows the phase).
 */

const REGISTRATION_PHASES = [
  'starting',
  'profile_review',
  'brand_review',
  'brand_otp',
  'campaign_review',
  'tollfree_review',
  'profile_failed',
  'brand_failed',
  'campaign_failed',
  'tollfree_failed',
  'approved',
  'rejected',
  'timed_out',
] as const satisfies readonly RegistrationPhase[];

const businessCorrection = z
  .object({ ein: z.string(), legalName: z.string(), businessType: z.string(), mobile: z.string() })
  .partial()
  .strict()
  .superRefine((business, ctx) => {
    if (!Object.keys(business).length) ctx.addIssue({ code: 'custom', message: 'name at least one of ein, legalName, businessType, mobile' });
    for (const [field, value] of Object.entries(business)) {
      // The step is only there to let the business part through: the field's own rule is what is read.
      const problem = registrationCorrectionProblem({ business: { [field]: value } }, 'brand');
      if (problem) ctx.addIssue({ code: 'custom', path: [field], message: problem });
    }
  });

const campaignCorrection = z
  .object({ description: z.string(), messageFlow: z.string(), samples: z.array(z.string()) })
  .partial()
  .strict()
  .superRefine((campaign, ctx) => {
    if (!Object.keys(campaign).length) ctx.addIssue({ code: 'custom', message: 'name at least one of description, messageFlow, samples' });
    for (const [field, value] of Object.entries(campaign)) {
      const problem = campaignTextProblem({ [field]: value });
      if (problem) ctx.addIssue({ code: 'custom', path: [field], message: problem });
    }
  });

/** `POST /v1/tenants/:id/registration/corrections`: the resubmitRegistration Update's argument. */
export const registrationCorrectionSchema = z
  .object({ business: businessCorrection, campaign: campaignCorrection })
  .partial()
  .strict()
  .refine((c) => c.business !== undefined || c.campaign !== undefined, {
    message: 'send business (profile or brand failures) or campaign (campaign or toll-free)',
  });

/** The parts of a correction (`business`, `campaign`) the validator may name as not fitting the failed step. */
export const CORRECTION_PARTS = ['business', 'campaign'] as const;

/** `POST …/registration/otp-answered` and `…/otp-resend` carry nothing. */
export const emptyBodySchema = z.object({}).strict();

export const registrationListQuery = z
  .object({
    /** One phase or several, comma-separated. */
    phase: z
      .string()
      .transform((value, ctx) => {
        const phases = value.split(',');
        const unknown = phases.filter((phase) => !(REGISTRATION_PHASES as readonly string[]).includes(phase));
        if (unknown.length) ctx.addIssue({ code: 'custom', message: `no phase ${unknown.join(', ')}; phases: ${REGISTRATION_PHASES.join(', ')}` });
        return phases as RegistrationPhase[];
      })
      .optional(),
    kind: z.enum(['10dlc', 'tollfree']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const registrationTenantId = z.uuid({ error: 'must be a tenant id (UUID)' });
