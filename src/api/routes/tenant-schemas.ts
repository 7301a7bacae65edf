import { z } from 'zod';
import { CAMPAIGN_LIMITS } from '../../domain/a2p-campaign';
import { OPT_IN_METHODS, USE_CASES } from '../../domain/kyc-risk';
import { normalizePhoneNumber } from '../../domain/phone';
import { beginsLikeFormula } from '../../domain/spreadsheet-cell';
import { e164 } from './phone-schema';
import { registrationDetailsSchema } from './registration-details-schema';

export { e164 } from './phone-schema';

/**
 * A name that lands in CSV reports others open in spreadsheets (the business name in staff's
 * usage export): refused when it begins like a formula, though every CSV also neutralises it.
 */
const NOT_A_FORMULA = { error: 'must not begin with =, +, -, @, a tab or a carriage return (a spreadsheet would read it as a formula)' };

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/Chicago');

/** What KYC vetting looks at; sent at sign-up and again on resubmission. */
export const kycFields = z
  .object({
    businessName: z
      .string()
      .trim()
      .min(2)
      .max(120)
      .refine((name) => !beginsLikeFormula(name), NOT_A_FORMULA),
    website: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .max(200)
      .nullish(),
    contact: z.object({ name: z.string().trim().min(1).max(120), email: z.email().max(200) }).strict(),
    useCase: z.enum(USE_CASES),
    useCaseDescription: z.string().trim().min(10).max(1000),
    sampleMessages: z.array(z.string().trim().min(1).max(1600)).min(1).max(5),
    optInMethod: z.enum(OPT_IN_METHODS),
    expectedMonthlyVolume: z.number().int().min(1).max(100_000_000),
    destinationCountries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as US'))
      .min(1)
      .max(50),
    /** The tenant verifies recipients' age at opt-in: alcohol, tobacco and firearms content depends on it. */
    ageGate: z.boolean().default(false),
  })
  .strict();

/** How often a campaign relays a batch: every 15 minutes to once a day. */
const relayCadenceMinutes = z.number().int().min(15, 'must be at least 15 (minutes)').max(1440, 'must be at most 1440 (once a day)');

export const signupSchema = kycFields
  .extend({
    ownerPhone: e164,
    relayCadenceMinutes: relayCadenceMinutes.default(60),
    timeZone: timeZone.default('America/New_York'),
    areaCodePreference: z
      .string()
      .regex(/^\d{3}$/, 'must be three digits')
      .optional(),
    /** What carrier registration needs; optional here, the lifecycle asks for it when it gets there. */
    registration: registrationDetailsSchema.optional(),
  })
  .strict();

/**
 * Sign-up as this platform takes it: Verify texts the owner's phone, so it must be a number of
 * one of the countries the ISV allows (OWNER_PHONE_COUNTRIES); SMS pumping lives on the rest.
 */
export function signupSchemaFor(ownerPhoneCountries: readonly string[]) {
  return signupSchema.superRefine((signup, ctx) => {
    // A 10DLC campaign or toll-free verification is submitted with the KYC's samples: Twilio wants at least two.
    if (signup.registration && signup.sampleMessages.length < CAMPAIGN_LIMITS.minSamples)
      ctx.addIssue({ code: 'custom', path: ['sampleMessages'], message: `carrier registration needs at least ${CAMPAIGN_LIMITS.minSamples} sample messages` });
    const phone = normalizePhoneNumber(signup.ownerPhone);
    const country = phone.ok ? phone.country : undefined;
    if (country && ownerPhoneCountries.includes(country)) return;
    const where = country ? ` (this one is in ${country})` : '';
    ctx.addIssue({
      code: 'custom',
      path: ['ownerPhone'],
      message: `must be a number in ${ownerPhoneCountries.join(', ')}${where}: verification codes are texted only there`,
    });
  });
}

export type SignupRequest = z.infer<typeof signupSchema>;
export type KycFields = z.infer<typeof kycFields>;

/** The KYC submission as stored and as the risk rules read it. */
export function kycSubmissionOf(fields: KycFields) {
  return {
    businessName: fields.businessName,
    website: fields.website ?? null,
    contactEmail: fields.contact.email,
    contactName: fields.contact.name,
    useCase: fields.useCase,
    useCaseDescription: fields.useCaseDescription,
    sampleMessages: fields.sampleMessages,
    optInMethod: fields.optInMethod,
    expectedMonthlyVolume: fields.expectedMonthlyVolume,
    destinationCountries: fields.destinationCountries,
    ageGate: fields.ageGate,
  };
}

export const verificationCodeSchema = z.object({ code: z.string().regex(/^\d{4,10}$/, 'must be the 4 to 10 digit code') }).strict();
export const sandboxMessageSchema = z
  .object({
    to: e164,
    body: z.string().min(1).max(1600),
    from: e164.optional(),
  })
  .strict();
export const areaCodeSchema = z.object({ areaCode: z.string().regex(/^\d{3}$/, 'must be three digits') }).strict();
/** What a tenant may change on its own after sign-up; campaigns started afterwards use it. */
const userName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => !beginsLikeFormula(name), NOT_A_FORMULA);
export const tenantSettingsSchema = z
  .object({
    relayCadenceMinutes,
    timeZone,
    /** Carriers expect the business name, a contact and opt-out words in a HELP answer. */
    helpText: z.string().trim().min(10).max(320).nullable(),
    defaultUser: userName,
    replyEmails: z.boolean(),
    /** Days until message and reply bodies are purged (and redacted at Twilio). */
    retentionDays: z.number().int().min(7).max(730),
  })
  .partial()
  .strict()
  .refine((s) => Object.keys(s).length > 0, 'name at least one setting: relayCadenceMinutes, timeZone, helpText, defaultUser, replyEmails, retentionDays');

/** Where a tenant's user gets reply emails (PUT /v1/tenants/:id/users/:name). */
export const tenantUserSchema = z.object({ email: z.email() }).strict();
/** Parsed from the URL path (`:name`): the wrapping makes every issue name the `name` parameter. */
export const tenantUserName = z
  .string()
  .transform((name) => ({ name }))
  .pipe(z.object({ name: userName }))
  .transform(({ name }) => name);

/** A sender's messages per second, set by staff from its registration's throughput tier. */
export const senderThroughputSchema = z.object({ mps: z.number().int().min(1).max(10_000), reason: z.string().trim().min(3).max(2000) }).strict();

export const staffActionSchema = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
