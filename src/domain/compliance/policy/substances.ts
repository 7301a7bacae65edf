import type { CategoryId } from './category-ids';
import { forbidden } from './category-entry';
import type { PolicyCategory } from './types';

/**
 * Illegal substances and articles, as Twilio's rejection pages group them (30469, 30861):
 * cannabis, CBD and kratom, illegal drugs, prescription drugs without a prescription, fireworks.
 * All forbidden.
 */
export const SUBSTANCES_POLICY = {
  'substances.cannabis_cbd_kratom': forbidden({
    id: 'substances.cannabis_cbd_kratom',
    label: 'cannabis, CBD, kratom and paraphernalia',
    // delta-8, hemp flower, edibles and dispensaries (categories.md) are cannabis products: same rule.
    covers: ['cannabis', 'CBD', 'kratom', 'drug paraphernalia'],
    sources: {
      twilioForbidden: 'Cannabis and CBD are forbidden in the US; cannabis businesses may not use SMS at all, whatever the content.',
      twilioCannabis:
        'Any message about marketing or selling cannabis or CBD is forbidden in the US; in Canada cannabis, CBD and paraphernalia are barred on all channels, even for 2FA.',
      err30459: 'Toll-free verification is rejected for cannabis or CBD businesses.',
      err30860: 'Number verification is rejected for cannabis or CBD businesses regardless of message content.',
      err30469: 'Toll-free: businesses tied to cannabis, CBD, kratom, drug paraphernalia, vape products or fireworks cannot use SMS.',
      err30861: 'Any verification: businesses tied to cannabis, CBD, kratom or paraphernalia cannot use Twilio SMS or MMS in the US and Canada.',
    },
    reason: 'Cannabis, CBD, kratom and paraphernalia are forbidden on US and Canadian SMS, even where a state allows their sale.',
    fix: 'Do not send these messages by text. Cannabis businesses cannot use SMS for any purpose, including reminders or codes.',
  }),
  'substances.illegal_drugs': forbidden({
    id: 'substances.illegal_drugs',
    label: 'illegal drugs',
    covers: ['endorsement of illegal or illicit drugs', 'anything illegal where the recipient lives'],
    sources: {
      twilioShortCodeProhibited: 'Carriers and Twilio reject campaigns that endorse illegal or illicit drugs.',
      twilioCannabis: 'Twilio’s Messaging Policy forbids messages about anything illegal where the recipient lives.',
      tmobileFinesPlivo: 'T-Mobile’s rules (as relayed) ban endorsement of illegal drugs; content must be legal in all 50 states.',
      tmobileFinesGenxtra: 'T-Mobile fines illegal content (not legal federally and in all 50 states) at its second tier.',
    },
    reason: 'Offering or promoting illegal drugs is forbidden on every route and may be reported.',
    fix: 'This cannot be sent.',
  }),
  'substances.prescription_without_rx': forbidden({
    id: 'substances.prescription_without_rx',
    label: 'prescription drugs without a prescription',
    covers: ['prescription drugs offered without a prescription'],
    sources: {
      twilioForbidden: 'Lists prescription drugs under forbidden illegal substances.',
      woosenderCopy: 'A copy of Twilio’s table: offers of drugs that cannot be sold over the counter in the US or Canada are forbidden.',
      tmobileFinesGenxtra: 'T-Mobile’s unlawful-content rule (as relayed) includes prescriptions.',
    },
    reason: 'Offering prescription-only drugs without a prescription is forbidden on US and Canadian SMS.',
    fix: 'Pharmacies and clinics may send refill and appointment notices to their own patients; do not offer prescription drugs for sale by text.',
  }),
  'restricted_articles.fireworks': forbidden({
    id: 'restricted_articles.fireworks',
    label: 'fireworks',
    covers: ['fireworks'],
    sources: {
      err30469: 'Toll-free verification is rejected for businesses associated with fireworks.',
      err30861: 'Businesses associated with fireworks cannot use Twilio SMS or MMS in the US and Canada.',
      avochatoCopy: 'A provider’s copy of the carrier rules: fireworks are regulated goods that US and Canadian carriers forbid.',
    },
    reason: 'Selling or promoting fireworks is forbidden on US and Canadian SMS.',
    fix: 'Do not promote fireworks by text; use email or your website.',
  }),
} satisfies Partial<Record<CategoryId, PolicyCategory>>;
