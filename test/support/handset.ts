import type { PlatformHarness } from './platform';

/** What the sandbox says of a handset's text: its MessageSid and clearsend's webhook answer (TwiML). */
export interface HandsetText {
  messageSid: string;
  webhook: { delivered: boolean; status: number; body: string };
  /** The messages Twilio sent from clearsend's TwiML answer (HELP text, confirmations): SIDs clearsend never learns. */
  replySids: string[];
}

/**
 * A handset texts `to` through the sandbox's inbound simulation, which signs and posts it to the
 * number's SmsUrl as Twilio does; fails unless clearsend answered 200.
 */
export async function handsetSays(p: PlatformHarness, text: { from: string; to: string; body: string }): Promise<HandsetText> {
  const res = await p.sandbox.control('/__sandbox/inbound', { body: text });
  const answer = res.body as HandsetText;
  if (!answer.webhook?.delivered || answer.webhook.status !== 200) throw new Error(`the inbound webhook was not answered 200: ${JSON.stringify(res.body)}`);
  return answer;
}
