import type { CategoryId } from './category-ids';
import { forbidden } from './category-entry';
import type { PolicyCategory } from './types';

/** What a message does to its recipient: sexual content, hate, phishing and scams. All forbidden. */
export const CONDUCT_POLICY = {
  sexual_content: forbidden({
    id: 'sexual_content',
    label: 'sexual and adult content',
    covers: ['sex-related businesses and content', 'adult content', 'adult solicitation'],
    sources: {
      err30441: 'Toll-free verification is rejected for sex-related use cases (SHAFT: sex).',
      err30873: 'Sex-related use cases are forbidden for SMS and MMS in the US and Canada.',
      twilioShortCodeProhibited: 'Carriers and Twilio reject adult or otherwise inappropriate content on short codes.',
      twilioShortCodeGuidelines: 'Short code campaigns with sexual or adult content are not supported; the AUP prohibits them.',
      tmobileFinesGenxtra: 'T-Mobile’s unlawful-content rule (as relayed) includes adult solicitation.',
    },
    reason: 'Sexual or explicit content, adult chat and escort services are forbidden on US and Canadian SMS; an age gate does not make them allowed.',
    fix: 'This cannot be sent by text.',
    judgement: 'Sex is the S of SHAFT but, unlike alcohol, no source allows it behind an age gate, so it is forbidden rather than age-gated.',
  }),
  hate: forbidden({
    id: 'hate',
    label: 'hate speech and threats of violence',
    covers: ['hate speech', 'harassment and abusive communications', 'communications from a hate group', 'depictions or endorsements of violence', 'profanity'],
    sources: {
      err30874: 'Hate speech, abusive communications and messages connected to a hate group are forbidden for SMS and MMS.',
      err30441: 'Twilio does not allow hate speech, harassment, exploitative or abusive communications.',
      twilioShortCodeProhibited: 'Carriers and Twilio reject depictions or endorsements of violence, profanity and hate speech.',
      tmobileFinesPlivo: 'Carrier rules (as relayed) ban profanity, hate speech and depictions of violence.',
    },
    reason: 'Hate speech, messages demeaning a protected group and calls to violence are forbidden on every route.',
    fix: 'This cannot be sent.',
  }),
  'fraud.phishing_impersonation': forbidden({
    id: 'fraud.phishing_impersonation',
    label: 'phishing, impersonation and scams',
    covers: [
      'phishing and smishing',
      'social engineering',
      'fraud and scams',
      'deceptive marketing',
      'attempts to trick users into revealing personal information or logins',
    ],
    sources: {
      twilioForbiddenTollFreeOld: 'Forbids attempts to trick users into revealing personal information or website logins.',
      err30444: 'Toll-free verification is rejected for fraud, scams or deceptive messaging.',
      err30470: 'Toll-free verification is rejected for deceptive marketing; not eligible for resubmission.',
      err30885: '10DLC campaigns considered fraud or deceptive marketing are rejected as high risk and cannot be resubmitted.',
      tmobileFinesPlivo: 'T-Mobile fines phishing, smishing and social engineering at its highest tier ($2,000 per violation).',
      ctiaPrinciples: 'CTIA’s section 5.3.1 asks senders to prevent unlawful, deceptive or fraudulent content.',
    },
    reason:
      'Messages that impersonate banks, carriers, government or shippers, or trick people into giving logins or payment details, are fraud and are forbidden on every route.',
    fix: 'Send only messages that clearly name your own business, link to your own domain and never ask for passwords or card numbers by text.',
  }),
} satisfies Partial<Record<CategoryId, PolicyCategory>>;
