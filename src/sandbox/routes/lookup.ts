import { createHash } from 'node:crypto';
import { Router } from 'express';
import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js';
import type { SandboxContext } from '../context';
import { authenticatedAccount } from '../context';

export const LINE_TYPES = [
  'mobile',
  'landline',
  'fixedVoip',
  'nonFixedVoip',
  'tollFree',
  'personal',
  'pager',
  'voicemail',
  'sharedCost',
  'uan',
  'unknown',
] as const;

/**
 * A number's line type is stable: set by an override, else toll-free by its range, else
 * drawn from a hash of the number (about 80 % mobile, 12 % landline, 4 % each VoIP kind).
 */
export function lineTypeOf(ctx: SandboxContext, e164: string, tollFree: boolean): string {
  const override = ctx.lineTypeOverrides.get(e164);
  if (override) return override;
  if (tollFree) return 'tollFree';
  const bucket = createHash('sha256').update(e164).digest()[0] / 256;
  if (bucket < 0.8) return 'mobile';
  if (bucket < 0.92) return 'landline';
  if (bucket < 0.96) return 'fixedVoip';
  return 'nonFixedVoip';
}

export function lookupRoutes(ctx: SandboxContext): Router {
  const router = Router();
  router.get('/v2/PhoneNumbers/:phoneNumber', (req, res) => {
    const account = authenticatedAccount(res);
    const raw = req.params.phoneNumber;
    const q = req.query as Record<string, string | undefined>;
    const fields = (q.Fields ?? '').split(',').map((f) => f.trim());
    const parsed = parsePhoneNumberFromString(raw, (q.CountryCode as never) ?? undefined);
    ctx.store.lookups.push({ phoneNumber: parsed?.number ?? raw, accountSid: account.sid, at: new Date().toISOString() });
    const valid = parsed?.isValid() ?? false;
    const lengthProblem = validatePhoneNumberLength(raw, (q.CountryCode as never) ?? undefined);
    const validationErrors = valid
      ? []
      : [
          lengthProblem === 'TOO_SHORT' || lengthProblem === 'TOO_LONG' || lengthProblem === 'INVALID_COUNTRY'
            ? lengthProblem === 'INVALID_COUNTRY'
              ? 'INVALID_COUNTRY_CODE'
              : lengthProblem
            : parsed
              ? 'INVALID_BUT_POSSIBLE'
              : 'NOT_A_NUMBER',
        ];
    const tollFree = parsed?.getType() === 'TOLL_FREE' || /^\+18(00|33|44|55|66|77|88)/.test(parsed?.number ?? '');
    res.json({
      calling_country_code: parsed?.countryCallingCode ?? null,
      country_code: parsed?.country ?? null,
      phone_number: parsed?.number ?? raw,
      national_format: parsed?.formatNational() ?? null,
      valid,
      validation_errors: validationErrors,
      // Only the data packages asked for (Fields=…) appear; the sandbox implements line type intelligence.
      ...(fields.includes('line_type_intelligence') && valid
        ? {
            line_type_intelligence: {
              mobile_country_code: '310',
              mobile_network_code: '456',
              carrier_name: 'Sandbox Wireless',
              type: lineTypeOf(ctx, parsed!.number, tollFree),
            },
          }
        : {}),
      url: `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(parsed?.number ?? raw)}`,
    });
  });
  return router;
}
