import type { CategoryId } from './category-ids';
import { ageGated, ageGatedVerdicts } from './category-entry';
import type { PolicyCategory } from './types';

/**
 * Alcohol, firearms, tobacco and vapes: sendable on some routes behind an age gate the tenant
 * declares (how the verdicts were chosen: index.ts); `judgement` on each entry says why a route
 * differs.
 */
export const AGE_GATED_POLICY = {
  'age_gated.alcohol': ageGated({
    id: 'age_gated.alcohol',
    label: 'alcohol',
    covers: ['alcohol-related businesses and promotions'],
    sources: {
      err30456:
        'Toll-free alcohol programs pass verification only with a 21+ age gate that collects the full date of birth; age-gated traffic to Canada needs a carrier exemption.',
      err30529: 'Alcohol promotions on toll-free need a robust date-of-birth age gate before opt-in; a yes/no prompt is not enough.',
      err30875: 'Number verification for alcohol programs requires a 21+ date-of-birth age gate.',
      err30448: 'Toll-free verification is rejected when the website or opt-in has no acceptable age gate.',
      err30888: '10DLC campaigns that declare age-gated content are rejected if the opt-in flow lacks an acceptable age gate.',
      captivationCopy: 'A copy of Twilio’s table: alcohol is allowed on toll-free (US only), short code and long code with proper age gating.',
      woosenderCopy: 'An earlier copy of Twilio’s table said alcohol was prohibited on toll-free but allowed on short and long code with age gating.',
      ctiaShortCodeHandbookSummary:
        'Summary of CTIA’s short code handbook: content must be age-gated appropriately for controlled substances and adult content.',
      listrakShaft: 'A provider’s SHAFT guide: alcohol programs must use a 21+ age gate collecting the birth date.',
    },
    verdicts: ageGatedVerdicts({ ageGated: 'warn', notAgeGated: 'review' }),
    reason: 'Alcohol promotions may only go to recipients who proved they are 21 or older (full date of birth) before opting in.',
    fix: 'Add a 21+ date-of-birth age gate to your opt-in and declare it in your settings. Do not send alcohol promotions to Canadian numbers unless a carrier has granted an exemption.',
    judgement:
      'Toll-free: the earlier table said alcohol was prohibited there; the newer Twilio error pages (30456, 30529) describe the age gate that makes it pass, so toll-free is treated like the other routes.',
  }),
  'age_gated.firearms': ageGated({
    id: 'age_gated.firearms',
    label: 'firearms and ammunition',
    covers: ['firearms', 'ammunition', 'firearm accessories'],
    sources: {
      err30441: 'An earlier version of this toll-free rejection page listed SHAFT, including firearms, as prohibited categories on toll-free.',
      captivationCopy: 'A copy of Twilio’s table: firearms traffic is prohibited.',
      tmobileFirearmsOtter: 'T-Mobile rejects firearm campaigns that link to a store selling ammunition, even with an age gate.',
      vonageShortCode: 'Another provider relays that SHAFT content is prohibited on all US sender types.',
      ageTexting: 'A texting provider sends firearms content only from registered, age-gated 10DLC numbers.',
      listrakShaft: 'A provider’s SHAFT guide: firearms programs must use a 21+ date-of-birth age gate, and carriers may still decline them.',
      tmobileFinesPlivo: 'T-Mobile fines SHAFT violations ($500 tier); SHAFT content needs a functional date-of-birth age gate.',
    },
    verdicts: ageGatedVerdicts({ ageGated: 'review', notAgeGated: 'block' }, { blockedOn: ['toll_free'] }),
    reason:
      'Firearm and ammunition promotions are refused by toll-free verification and by T-Mobile, and are allowed elsewhere only behind a 21+ age gate, if at all.',
    fix: 'Do not send firearm promotions from a toll-free number. On other numbers, add a 21+ date-of-birth age gate and expect a compliance review; sales that skip background checks can never be sent.',
    judgement:
      'Sources conflict: Twilio’s current table (as copied) and T-Mobile refuse firearms, CTIA-based guides allow them behind an age gate. Toll-free blocks (Twilio’s toll-free pages); 10DLC and short code go to a person when a gate is declared, and block without one because no source allows ungated firearms content.',
  }),
  'age_gated.tobacco_vape': ageGated({
    id: 'age_gated.tobacco_vape',
    label: 'tobacco, vapes and nicotine',
    covers: ['tobacco', 'vape products', 'e-cigarettes'],
    sources: {
      err30458: 'Tobacco, vape and e-cigarette traffic is not allowed on toll-free regardless of age gating.',
      err30878: 'Number verification rejects tobacco, vape and e-cigarette programs; Twilio says these are not supported on SMS or MMS even with age gating.',
      err30469: 'Toll-free: businesses associated with vape or e-cig products cannot use SMS.',
      err30861: 'Businesses associated with vape or e-cig products cannot use Twilio SMS or MMS in the US and Canada.',
      captivationCopy: 'A copy of Twilio’s table: tobacco is prohibited on toll-free but allowed on short and long code with age gating; vaping is prohibited.',
      woosenderCopy: 'An earlier copy of Twilio’s table: tobacco is prohibited on toll-free, allowed on short and long code with proper age gating.',
      vonageShortCode: 'Another provider relays that vaping content falls under prohibited SHAFT content.',
    },
    verdicts: ageGatedVerdicts({ ageGated: 'review', notAgeGated: 'block' }, { blockedOn: ['toll_free'] }),
    reason:
      'Vape and e-cigarette promotions are forbidden on US and Canadian SMS, and tobacco promotions are refused on toll-free numbers and allowed elsewhere only behind a 21+ age gate, if at all.',
    fix: 'Do not promote vapes or e-liquids by text, and do not send tobacco promotions from a toll-free number. On other numbers, tobacco needs a 21+ date-of-birth age gate and a compliance review.',
    judgement:
      'Toll-free blocks (30458). On 10DLC and short code the older table allowed age-gated tobacco while the newer 30878 page says not even with a gate and vape is forbidden outright (30861); so a person decides when a gate is declared, and it blocks without one.',
  }),
} satisfies Partial<Record<CategoryId, PolicyCategory>>;
