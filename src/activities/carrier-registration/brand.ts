import type { ActivityDeps } from '../deps';
import { callRegistration, recordRegistrationMade, registrationContext, required } from './shared';

/** The tenant's A2P brand at The Campaign Registry, from its two submitted bundles. */
export function createBrandActivities(deps: ActivityDeps) {
  return {
    /**
     * One brand per tenant. Twilio lists brands whole (no filter), so an earlier attempt's
     * brand is the one made from this tenant's customer profile.
     */
    async ensureBrandRegistration(tenantId: string): Promise<{ sid: string; status: string }> {
      const { client, registration } = await registrationContext(deps, tenantId);
      const brands = client.messaging.v1.brandRegistrations;
      const stored = registration.sids.brand;
      if (stored) return { sid: stored, status: (await callRegistration('fetch brand', () => brands(stored).fetch())).status };
      const customerProfileBundleSid = required(registration.sids.customerProfile, 'a customer profile first');
      const a2PProfileBundleSid = required(registration.sids.trustProduct, 'a trust product first');
      const found = (await callRegistration('list brands', () => brands.list({ limit: 1000 }))).find(
        (b) => b.customerProfileBundleSid === customerProfileBundleSid,
      );
      const brand =
        found ??
        (await callRegistration('register brand', () =>
          brands.create({ customerProfileBundleSid, a2PProfileBundleSid, brandType: registration.brandType ?? 'STANDARD' }),
        ));
      await recordRegistrationMade(deps.db, tenantId, 'brand', brand.sid, { adopted: !!found, status: brand.status, details: { brandType: brand.brandType } });
      return { sid: brand.sid, status: brand.status };
    },

    /** A sole proprietor's OTP text again (a new code, a new 24 hours). */
    async resendBrandOtp(tenantId: string): Promise<void> {
      const { client, registration } = await registrationContext(deps, tenantId);
      const sid = required(registration.sids.brand, 'a brand first');
      await callRegistration('resend the OTP', () => client.messaging.v1.brandRegistrations(sid).brandRegistrationOtps.create());
    },
  };
}
