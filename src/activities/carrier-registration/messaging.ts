import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';
import { a2pUsecaseFor, embeddedFlags } from '../../domain/a2p-campaign';
import { RegistrationRefusal } from '../../workflows/carrier-registration/definitions';
import { judgedCampaignText } from './campaign-text';
import { callRegistration, recordRegistrationMade, registrationContext, required, resourceName } from './shared';

/** The tenant's sending number (the one not released). */
export async function tenantNumber(deps: ActivityDeps, tenantId: string) {
  const row = await deps
    .db('tenant_phone_numbers')
    .where({ tenant_id: tenantId })
    .whereNull('released_at')
    .first<{ phone_number: string; phone_number_sid: string } | undefined>();
  if (!row)
    throw ApplicationFailure.nonRetryable('the tenant has no number yet', RegistrationRefusal.NumberUnfit, {
      description: 'The tenant has no number to register.',
    });
  return { phoneNumber: row.phone_number, phoneNumberSid: row.phone_number_sid };
}

/** A Messaging Service per tenant holding its number, and the A2P campaign on it. */
export function createMessagingActivities(deps: ActivityDeps) {
  const { config } = deps;
  return {
    /**
     * The tenant's Service by its stored SID or its name, with the webhooks the number has
     * today (inbound to clearsend, delivery statuses to clearsend) and the number in its pool.
     */
    async ensureMessagingService(tenantId: string): Promise<{ sid: string }> {
      const { client, registration } = await registrationContext(deps, tenantId);
      const services = client.messaging.v1.services;
      const friendlyName = resourceName(tenantId, 'messaging-service');
      const settings = {
        inboundRequestUrl: `${config.PUBLIC_BASE_URL}/webhooks/twilio/inbound`,
        inboundMethod: 'POST',
        statusCallback: `${config.PUBLIC_BASE_URL}/webhooks/twilio/status`,
        useInboundWebhookOnNumber: false,
        usecase: 'notifications',
      };
      let sid =
        registration.sids.messagingService ??
        (await callRegistration('list services', () => services.list({ limit: 1000 }))).find((s) => s.friendlyName === friendlyName)?.sid;
      if (!sid) sid = (await callRegistration('create service', () => services.create({ friendlyName, ...settings }))).sid;
      else await callRegistration('set service webhooks', () => services(sid!).update(settings));
      const serviceSid = sid;
      if (!registration.sids.messagingService) {
        await recordRegistrationMade(deps.db, tenantId, 'messagingService', serviceSid);
      }
      const { phoneNumberSid } = await tenantNumber(deps, tenantId);
      const pool = await callRegistration('list the sender pool', () => services(serviceSid).phoneNumbers.list({ limit: 100 }));
      if (!pool.some((n) => n.sid === phoneNumberSid))
        await callRegistration('add the number to the sender pool', () => services(serviceSid).phoneNumbers.create({ phoneNumberSid }));
      return { sid: serviceSid };
    },

    /** The A2P campaign on the tenant's Service, its samples judged first; one per Service. */
    async ensureA2pCampaign(tenantId: string): Promise<{ sid: string; status: string }> {
      const ctx = await registrationContext(deps, tenantId);
      const { client, registration } = ctx;
      const serviceSid = required(registration.sids.messagingService, 'a Messaging Service first');
      const campaigns = client.messaging.v1.services(serviceSid).usAppToPerson;
      const text = judgedCampaignText(ctx);
      const stored = registration.sids.campaign;
      if (stored) return { sid: stored, status: (await callRegistration('fetch campaign', () => campaigns(stored).fetch())).campaignStatus };
      const found = (await callRegistration('list campaigns', () => campaigns.list({ limit: 20 })))[0];
      const website = ctx.tenant.website ?? ctx.kyc?.website;
      const campaign =
        found ??
        (await callRegistration('create campaign', () =>
          campaigns.create({
            brandRegistrationSid: required(registration.sids.brand, 'a brand first'),
            usAppToPersonUsecase: a2pUsecaseFor(required(ctx.kyc, 'a KYC submission').useCase, registration.brandType),
            description: text.description,
            messageFlow: text.messageFlow,
            messageSamples: text.samples,
            ...embeddedFlags(text.samples),
            optInKeywords: ['START'],
            optInMessage: `${ctx.tenant.business_name}: you are subscribed to messages. Reply HELP for help, STOP to stop.`,
            optOutKeywords: ['STOP'],
            optOutMessage: `${ctx.tenant.business_name}: you are unsubscribed and will get no more messages.`,
            helpKeywords: ['HELP'],
            helpMessage: `${ctx.tenant.business_name}: for help reply to this message or write to ${ctx.tenant.contact_email}. Reply STOP to stop.`,
            ...(website ? { privacyPolicyUrl: `${website.replace(/\/$/, '')}/privacy` } : {}),
          }),
        ));
      await recordRegistrationMade(deps.db, tenantId, 'campaign', campaign.sid, { adopted: !!found, status: campaign.campaignStatus });
      return { sid: campaign.sid, status: campaign.campaignStatus };
    },
  };
}
