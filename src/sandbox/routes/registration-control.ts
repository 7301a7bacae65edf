import { Router } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { throughputClass } from '../registration-magic';
import type { Vetting } from '../vetting';
import { parseControlInput, problem } from './control';

const accountSid = z.string().regex(/^AC[0-9a-f]{32}$/);
const ledgerQuery = z.object({ accountSid: accountSid.optional() }).strict();
const timingSchema = z
  .object({
    vettingMs: z.number().int().min(0).max(86_400_000).optional(),
    otpTtlMs: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400_000)
      .optional(),
  })
  .strict();
const otpReplySchema = z.object({ brandRegistrationSid: z.string().regex(/^BN[0-9a-f]{32}$/), reply: z.string().min(1).max(160) }).strict();

/**
 * Sandbox-only view and steering of carrier registration, under /__sandbox/registrations:
 * how many of each resource exist (tests assert "exactly one of each" after retries), each
 * brand's throughput class, the review timing, and the sole proprietor's answer to the OTP text.
 */
export function registrationControlRoutes(ctx: SandboxContext, vetting: Vetting): Router {
  const router = Router();
  const state = ctx.store.registrations;

  router.get('/__sandbox/registrations', (req, res) => {
    const q = parseControlInput(ledgerQuery, req.query, res);
    if (!q) return;
    const mine = <T extends { accountSid: string }>(items: Iterable<T>) => [...items].filter((i) => !q.accountSid || i.accountSid === q.accountSid);
    const bundles = mine(state.bundles.values());
    const brands = mine(state.brands.values());
    res.json({
      timing: vetting.timings,
      counts: {
        customerProfiles: bundles.filter((b) => b.kind === 'customer-profile').length,
        trustProducts: bundles.filter((b) => b.kind === 'trust-product').length,
        endUsers: mine(state.endUsers.values()).length,
        supportingDocuments: mine(state.documents.values()).length,
        addresses: mine(state.addresses.values()).length,
        brands: brands.length,
        messagingServices: mine(ctx.store.messagingServices.values()).length,
        campaigns: mine(state.campaigns.values()).length,
        tollfreeVerifications: mine(state.tollfree.values()).length,
      },
      brands: brands.map((b) => ({
        sid: b.sid,
        accountSid: b.accountSid,
        brandType: b.brandType,
        status: b.status,
        identityStatus: b.identityStatus ?? null,
        brandScore: b.brandScore,
        throughput: b.status === 'APPROVED' ? throughputClass(b.brandType, b.brandScore) : null,
        otp: b.otp ? { mobile: b.otp.mobile, sentAt: b.otp.sentAt, expiresAt: new Date(b.otp.expiresAt).toISOString() } : null,
      })),
    });
  });

  /** How long reviews take from now on (and how long an OTP stays valid); reviews under way keep their time. */
  router.post('/__sandbox/registrations/timing', (req, res) => {
    const input = parseControlInput(timingSchema, req.body, res);
    if (!input) return;
    Object.assign(vetting.timings, input);
    res.json(vetting.timings);
  });

  /** The sole proprietor's handset answers Twilio's OTP text: YES in time verifies the brand. */
  router.post('/__sandbox/registrations/otp-reply', (req, res) => {
    const input = parseControlInput(otpReplySchema, req.body, res);
    if (!input) return;
    const brand = state.brands.get(input.brandRegistrationSid);
    if (!brand) return problem(res, 404, `No brand ${input.brandRegistrationSid}`);
    if (!brand.otp) return problem(res, 409, `Brand ${brand.sid} awaits no OTP (status ${brand.status}, identity ${brand.identityStatus ?? 'none'})`);
    const outcome = vetting.answerOtp(brand, input.reply);
    if (outcome === 'expired') return problem(res, 409, 'The OTP expired (30752): request a new one through BrandRegistrations/{sid}/SmsOtp');
    if (outcome === 'ignored') return problem(res, 422, 'Only YES verifies the brand');
    res.json({ brandRegistrationSid: brand.sid, identityStatus: brand.identityStatus });
  });

  return router;
}
