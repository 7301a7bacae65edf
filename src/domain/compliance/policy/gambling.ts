import type { CategoryId } from './category-ids';
import { forbidden } from './category-entry';
import type { PolicyCategory } from './types';

/** Gambling, betting and sweepstakes: forbidden on every route. */
export const GAMBLING_POLICY = {
  gambling: forbidden({
    id: 'gambling',
    label: 'gambling, betting and sweepstakes',
    covers: ['casino apps', 'gambling websites', 'sweepstakes', '50/50 raffles', 'betting and sports picks'],
    sources: {
      err30461: 'Gambling (casino apps, gambling sites, sweepstakes, 50/50 raffles, betting and picks) is prohibited on toll-free, short code and long code.',
      twilioShortCodeUnsupported: 'Gambling is not supported on short codes.',
      woosenderCopy: 'A copy of Twilio’s table: gambling is prohibited in the US and Canada on every number type.',
      twilioShortCodeSweepstakes: 'An older article: sweepstakes on a short code needed an extra carrier form and published rules.',
    },
    reason: 'Gambling, betting, casino, lottery and sweepstakes promotions are forbidden on US and Canadian SMS on every kind of sender number.',
    fix: 'Do not promote betting or prize draws by text. Email or an app notification may be allowed where gambling is legal.',
    judgement:
      'The older short-code sweepstakes article is the only source allowing anything here; the newer 30461 page names sweepstakes as forbidden on short codes too, so short code blocks as well. categories.md also lists fantasy sports for money, bingo and poker buy-ins: no source names them, blocked as gambling.',
  }),
} satisfies Partial<Record<CategoryId, PolicyCategory>>;
