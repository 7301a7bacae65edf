import { SegmentedMessage } from 'sms-segments-calculator';
import type { SandboxContext } from './context';
import type { SandboxAccount, SandboxMessage } from './store';

/**
 * The messages a webhook's TwiML answer sends, as Twilio reads it: each `<Message>` verb of a
 * `<Response>` (its text, or its `<Body>`'s), to the sender of the inbound message unless the
 * verb names `to`, from the number texted unless it names `from`.
 */
export function twimlMessages(xml: string): Array<{ body: string; to?: string; from?: string }> {
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
      .replace(/&amp;/g, '&');
  if (!/<Response[\s>/]/.test(xml)) return [];
  const out: Array<{ body: string; to?: string; from?: string }> = [];
  for (const m of xml.matchAll(/<Message(\s[^>]*)?(?:\/>|>([\s\S]*?)<\/Message>)/g)) {
    const attrs = m[1] ?? '';
    const inner = m[2] ?? '';
    const attr = (name: string) => {
      const a = new RegExp(`\\s${name}="([^"]*)"`).exec(attrs);
      return a ? unescape(a[1]) : undefined;
    };
    const bodyTag = /<Body>([\s\S]*?)<\/Body>/.exec(inner);
    const body = unescape(bodyTag ? bodyTag[1] : inner.replace(/<[^>]+>[\s\S]*?<\/[^>]+>|<[^>]+\/>/g, '')).trim();
    if (!body) continue;
    out.push({ body, to: attr('to'), from: attr('from') });
  }
  return out;
}

/**
 * Twilio sends each TwiML `<Message>` as a message of the account (`outbound-reply`), with a
 * SID of its own that the webhook's answer never learns: listed by the Messages list, fetched,
 * redacted like any other. It is sent at once and delivered shortly after.
 */
export function sendTwimlReplies(ctx: SandboxContext, input: { account: SandboxAccount; inbound: { from: string; to: string }; twiml: string }): string[] {
  const sids: string[] = [];
  for (const verb of twimlMessages(input.twiml)) {
    const now = new Date();
    const message: SandboxMessage = {
      sid: ctx.store.messages.mintSid(),
      accountSid: input.account.sid,
      from: verb.from ?? input.inbound.to,
      to: verb.to ?? input.inbound.from,
      body: verb.body,
      direction: 'outbound-reply',
      status: 'sent',
      numSegments: new SegmentedMessage(verb.body).segmentsCount,
      errorCode: null,
      errorMessage: null,
      validityPeriodS: 14_400,
      dateCreated: now,
      dateUpdated: now,
      dateSent: now,
    };
    ctx.store.messages.set(message.sid, message);
    sids.push(message.sid);
    ctx.later(ctx.timings.finalDelayMs, () => {
      if (message.status !== 'sent') return;
      message.status = 'delivered';
      message.dateUpdated = new Date();
      ctx.store.changed();
    });
  }
  if (sids.length) ctx.store.changed();
  return sids;
}
