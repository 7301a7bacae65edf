import { CONDUCT_LEXICON } from './conduct';
import { FINANCIAL_LEXICON } from './financial';
import type { LexiconRule } from './rule';
import { SUBSTANCES_LEXICON } from './substances';

export type { LexiconRule } from './rule';

/** Every category's terms; one file per family of categories. */
export const LEXICON: LexiconRule[] = [...FINANCIAL_LEXICON, ...SUBSTANCES_LEXICON, ...CONDUCT_LEXICON];
