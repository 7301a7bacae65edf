import { ApplicationFailure } from '@temporalio/common';
import type { Twilio } from 'twilio';
import type { ActivityDeps } from '../deps';
import { tenantSubaccount } from '../../db/tenant-credentials';
import { senderProfile } from '../../db/tenant-sending';
import { DEFAULT_TWILIO_REQUEST_TIMEOUT_MS } from '../../twilio/client-factory';

export interface TenantSender {
  tenantId: string;
  /** The tenant's business name: the brand the relay puts in front of a body that lacks it. */
  brandName: string;
  timeZone: string;
  client: Twilio;
  /** Creates messages: its requests time out within the claim's send fence (`SendFence.requestTimeoutMs`). */
  sendClient: Twilio;
  from: string;
  mps: number;
  /** Segments the sender may send per Pacific day; null: no cap. */
  dailyCap: number | null;
  /** The tenant's approved 10DLC registration's Messaging Service: sends go through it (from the same number). */
  messagingServiceSid?: string;
}

/** The tenant as a sender: its subaccount's clients and its newest number; one without either fails the activity for good. */
export async function senderOf(
  { db, twilio }: Pick<ActivityDeps, 'db' | 'twilio'>,
  tenantId: string,
  sendTimeoutMs = DEFAULT_TWILIO_REQUEST_TIMEOUT_MS,
): Promise<TenantSender> {
  const profile = await senderProfile(db, tenantId);
  const subaccount = profile && (await tenantSubaccount(db, twilio, tenantId));
  if (!profile || !subaccount) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} has no subaccount or sending number`, 'NoSender');
  return {
    tenantId,
    brandName: profile.business_name,
    timeZone: profile.time_zone,
    client: subaccount.client(),
    sendClient: subaccount.client({ requestTimeoutMs: sendTimeoutMs }),
    from: profile.phone_number,
    mps: profile.mps,
    dailyCap: profile.daily_cap,
    ...(profile.messaging_service_sid ? { messagingServiceSid: profile.messaging_service_sid } : {}),
  };
}
