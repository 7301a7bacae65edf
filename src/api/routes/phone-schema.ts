import { z } from 'zod';
import { normalizePhoneNumber } from '../../domain/phone';

/** A phone number as the API takes it: normalised to E.164, or an issue saying why not. */
export const e164 = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const normalized = normalizePhoneNumber(raw);
    if (!normalized.ok) {
      ctx.addIssue({ code: 'custom', message: `must be a valid phone number, preferably in E.164 (+14155552671): ${normalized.reason.replace('_', ' ')}` });
      return z.NEVER;
    }
    return normalized.e164;
  });
