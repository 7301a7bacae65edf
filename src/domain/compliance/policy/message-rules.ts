import { cite, citing } from './sources';
import type { PolicySource, Verdict } from './types';

/** Shared public link shorteners. Carriers filter them because spammers share the same domains. */
export const LINK_POLICY: {
  publicShorteners: string[];
  /** The subset a source names outright; the others are included because they are the same kind of service. */
  namedBySources: string[];
  source: PolicySource;
  otherSources: PolicySource[];
  verdict: Verdict;
} = {
  // The sources name bit.ly, tinyurl.com and goo.gl. The rest are free shared shorteners of the same
  // kind; no source we found names them, so they are listed on the conservative side.
  publicShorteners: [
    'bit.ly',
    'tinyurl.com',
    'goo.gl',
    'ow.ly',
    't.co',
    'is.gd',
    'buff.ly',
    'rebrand.ly',
    'cutt.ly',
    'shorturl.at',
    'tiny.cc',
    'rb.gy',
    'bl.ink',
    'short.io',
    's.id',
    'v.gd',
    't.ly',
    'lnkd.in',
  ],
  namedBySources: ['bit.ly', 'tinyurl.com', 'goo.gl'],
  source: cite(
    'twilioShortenedUrls',
    'US carrier policies forbid shared public URL shorteners such as free TinyURL or Bitly links; use a short domain your business owns.',
  ),
  otherSources: citing({
    twilioForbidden: 'Shared public URL shorteners are not allowed by US carriers and lead to filtering, even when the use case itself is allowed.',
    twilioForbiddenAllRoutes: 'Shared or free public URL shorteners are not permitted; a shortened link must be company-branded.',
    ctiaPrinciples: 'CTIA’s section 5.3.2 sets expectations for links embedded in messages.',
  }),
  verdict: 'block',
};

/** Published rules every message program must meet, whatever its content; kept with their sources. */
export const MESSAGE_RULES: Record<'optOut' | 'senderIdentification', { rule: string; sources: PolicySource[] }> = {
  optOut: {
    rule: 'Recipients must be told how to opt out and opt-outs must be honoured; Twilio does not require the instructions in every message when the same recipients are contacted several times a month.',
    sources: citing({
      twilioMessagingPolicy: 'Applies to every number type and sets rules for consent, revocation of consent (opt-out) and sender identification.',
      twilioFiltering:
        'Messages should say who is sending and how to opt out; recipients contacted several times a month need not see opt-out instructions in every message.',
      ctiaPrinciples: 'CTIA’s section 5.1.3 covers consumer opt-out for non-consumer (A2P) senders.',
      ctiaLanding:
        'CTIA publishes the Messaging Principles and Best Practices as voluntary industry recommendations that protect consumers from unwanted messages.',
    }),
  },
  senderIdentification: {
    rule: 'Every message must make clear which business is sending it.',
    sources: citing({
      twilioMessagingPolicy: 'Sender identification is one of the requirements of Twilio’s Messaging Policy.',
      twilioFiltering: 'Messages should clearly identify who is sending them.',
      twilioAup: 'Twilio’s services may not be used for illegal, abusive or improper purposes or to harm anyone.',
    }),
  },
};
