/**
 * The prohibited and restricted content rules, one row each. Why patterns and not a model:
 * the rules must be explainable to a tenant ("this phrase, for this reason"), reviewable
 * by compliance staff, and deterministic. Naive substring traps are avoided three ways:
 * word boundaries (no "Scunthorpe" hits), phrases instead of lone words where a word is
 * innocent on its own ("loan officer" is fine, "payday loan" is not), and masks: innocent
 * phrases ("alcohol-free", "weed the garden", "glue gun") are blanked out before a rule's
 * patterns run, so they cannot match inside them.
 */
export type Severity = 'block' | 'warn';

export interface ContentRule {
  code: string;
  category: string;
  severity: Severity;
  reason: string;
  suggestedFix: string;
  patterns: RegExp[];
  masks?: RegExp[];
}

const PROHIBITED_FIX = 'Remove this content: carriers do not allow it on shared ISV traffic, whatever the wording.';

export const CONTENT_RULES: ContentRule[] = [
  {
    code: 'prohibited.high_risk_financial',
    category: 'high-risk financial',
    severity: 'block',
    reason: 'Payday and short-term loans, cash advances and crypto offers are high-risk financial services that carriers prohibit.',
    suggestedFix: PROHIBITED_FIX,
    patterns: [
      /\bpayday\s+(loans?|lenders?|advances?)\b/i,
      /\b(cash|paycheck|title)\s+(advances?|loans?)\b/i,
      /\bshort[\s-]term\s+loans?\b/i,
      /\b(no|bad)\s+credit\s+(check|needed|required|ok|okay|history)\b/i,
      /\bguaranteed\s+(loan|approval)\b/i,
      /\b(crypto(currency|currencies)?|bitcoin|btc|ethereum|dogecoin|nfts?)\b/i,
      /\binstant\s+loans?\b/i,
    ],
  },
  {
    code: 'prohibited.debt',
    category: 'debt collection, forgiveness or credit repair',
    severity: 'block',
    reason: 'Debt collection, debt relief or forgiveness and credit repair offers are prohibited content.',
    suggestedFix: PROHIBITED_FIX,
    patterns: [
      /\bdebt\s+(relief|consolidation|forgiveness|settlement|collectors?|collection|reduction)\b/i,
      /\b(erase|eliminate|wipe\s+out|reduce)\s+(all\s+)?(of\s+)?(your\s+)?debts?\b/i,
      /\bcredit\s+(repair|score\s+fix|restoration)\b/i,
      /\b(fix|repair|boost)\s+your\s+credit(\s+score)?\b/i,
      /\bstudent\s+loan\s+forgiveness\b/i,
      /\bpast[\s-]due\s+(balance|debt|account)\b.*\b(pay|call)\s+(now|today|immediately)\b/i,
    ],
  },
  {
    code: 'prohibited.get_rich_quick',
    category: 'get-rich-quick',
    severity: 'block',
    reason: 'Get-rich-quick, work-from-home income and guaranteed-return schemes are prohibited content.',
    suggestedFix: PROHIBITED_FIX,
    patterns: [
      /\bget\s+rich\b/i,
      /\bmake\s+\$?\d[\d,]*k?\s+(a|per|every)\s+(day|week|month)\b/i,
      /\b(earn|make)\s+(money|cash)\s+(fast|from\s+home|while\s+you\s+sleep)\b/i,
      /\bguaranteed\s+(income|returns?|profits?|earnings)\b/i,
      /\b(be\s+your\s+own\s+boss|passive\s+income|financial\s+freedom|double\s+your\s+money)\b/i,
      /\b(mlm|multi[\s-]level\s+marketing|pyramid)\b/i,
    ],
  },
  {
    code: 'prohibited.lead_generation',
    category: 'third-party lead generation',
    severity: 'block',
    reason: 'Collecting or sharing numbers for third parties (lead generation, affiliate offers) is prohibited.',
    suggestedFix: PROHIBITED_FIX,
    patterns: [
      /\b(sell|share|pass|give)\s+your\s+(info|information|details|data|number)\s+(to|with)\s+(our\s+)?(partners|third\s+parties|others)\b/i,
      /\b(offers?|deals?|quotes?)\s+from\s+(our\s+)?(partners|affiliates|third\s+parties)\b/i,
      /\bthird[\s-]party\s+(offers?|partners|marketers)\b/i,
      /\bget\s+matched\s+with\s+(lenders|agents|providers|insurers)\b/i,
    ],
  },
  {
    code: 'prohibited.gambling',
    category: 'gambling',
    severity: 'block',
    reason: 'Gambling (casinos, sports betting, lotteries, sweepstakes for money) is prohibited content.',
    suggestedFix: PROHIBITED_FIX,
    patterns: [
      /\b(casinos?|sportsbooks?|sports\s+betting|online\s+poker|slot\s+machines?|free\s+spins|roulette|blackjack|lottery|lotto|bingo\s+jackpot)\b/i,
      /\b(place|make)\s+(a|your)\s+bets?\b/i,
      /\b(bet|wager)\s+\$?\d+/i,
      /\bodds\s+(boost|on)\b/i,
      /\bdeposit\s+bonus\b/i,
    ],
  },
  {
    code: 'prohibited.cannabis_drugs',
    category: 'cannabis, CBD or illegal drugs',
    severity: 'block',
    reason: 'Cannabis, CBD, kratom and illegal drugs are prohibited content, even where legal locally.',
    suggestedFix: PROHIBITED_FIX,
    patterns: [
      /\b(cannabis|marijuana|marihuana|thc|cbd|delta[\s-]?8|dispensar(y|ies)|edibles|pre[\s-]?rolls?|kratom|psilocybin|magic\s+mushrooms|cocaine|mdma|ecstasy|ketamine)\b/i,
      /\bweed\b/i,
      /\b420\s+(deals?|specials?|friendly|sale)\b/i,
    ],
    masks: [/\bweed(s|ing)?\s+(the|your|out|whack\w*|killer|control|eater|barrier)\b/gi, /\b(garden|lawn|yard|pull(ing)?)\s+weeds?\b/gi, /\bweed\s+and\s+feed\b/gi],
  },
  {
    code: 'prohibited.sex',
    category: 'sexual content',
    severity: 'block',
    reason: 'Sexual or adult content is prohibited.',
    suggestedFix: PROHIBITED_FIX,
    patterns: [/\b(xxx|porn\w*|escorts?|nudes?|nude\s+pics|adult\s+(content|videos?|chat|entertainment)|hook[\s-]?ups?|sexy\s+singles|onlyfans|camgirls?|sexting)\b/i],
  },
  {
    code: 'prohibited.hate',
    category: 'hate speech',
    severity: 'block',
    reason: 'Hate speech and content that promotes violence against a group is prohibited.',
    suggestedFix: PROHIBITED_FIX,
    patterns: [/\b(white\s+power|race\s+war|ethnic\s+cleansing|heil\s+hitler|sieg\s+heil|1488|go\s+back\s+to\s+your\s+country)\b/i],
  },
  {
    code: 'age_gated.alcohol',
    category: 'alcohol (age-gated)',
    severity: 'warn',
    reason: 'Alcohol promotions may only go to recipients whose age (21+ in the US) was verified at opt-in.',
    suggestedFix: 'Confirm your opt-in flow verifies age (21+), and say so in the campaign description.',
    patterns: [/\b(beers?|wines?|vodka|whiske?y|bourbon|tequila|rum|gin|cocktails?|margaritas?|mimosas?|happy\s+hour|liquor|spirits|brewery|brews|alcohol(ic)?|sangria|prosecco|champagne)\b/i],
    masks: [/\bnon[\s-]?alcoholic(\s+\w+)?/gi, /\balcohol[\s-]free(\s+\w+)?/gi, /\b(zero|0%?)[\s-]proof\s+\w+/gi, /\bmocktails?\b/gi, /\bginger\b/gi, /\bhand\s+sanitizer\b/gi, /\bwine\s+(red|color|colour)\b/gi, /\bteam\s+spirit\b/gi, /\bholiday\s+spirit\b/gi],
  },
  {
    code: 'age_gated.firearms',
    category: 'firearms (age-gated)',
    severity: 'warn',
    reason: 'Firearms and ammunition promotions may only go to recipients whose age was verified at opt-in.',
    suggestedFix: 'Confirm your opt-in flow verifies age (18+/21+ as the law requires), and say so in the campaign description.',
    patterns: [/\b(guns?|firearms?|rifles?|pistols?|handguns?|shotguns?|ammo|ammunition|gun\s+show|concealed\s+carry|ar[\s-]?15)\b/i],
    masks: [/\b(glue|nail|staple|heat|spray|water|massage|caulk(ing)?|grease|squirt|nerf|top|smoking|radar|temperature|paint)\s+guns?\b/gi, /\bguns?\s+n'?\s*roses\b/gi],
  },
  {
    code: 'age_gated.tobacco',
    category: 'tobacco or vaping (age-gated)',
    severity: 'warn',
    reason: 'Tobacco and vaping promotions may only go to recipients whose age (21+ in the US) was verified at opt-in.',
    suggestedFix: 'Confirm your opt-in flow verifies age (21+), and say so in the campaign description.',
    patterns: [/\b(cigarettes?|cigars?|cigarillos?|vapes?|vaping|e-?cigs?|e-?cigarettes?|juul|nicotine|tobacco|hookah|e-?liquids?|smoke\s+shop)\b/i],
    masks: [/\b(quit(ting)?|stop(ping)?)\s+(smoking|vaping|tobacco)\b/gi, /\banti[\s-](smoking|vaping|tobacco)\b/gi, /\btobacco[\s-]free\b/gi, /\bsmoke[\s-]free\b/gi],
  },
];

/** Shared public link shorteners: carriers filter them, because spammers share them too. */
export const PUBLIC_SHORTENERS = ['bit.ly', 'tinyurl.com', 'goo.gl', 'ow.ly', 't.co', 'is.gd', 'buff.ly', 'rebrand.ly', 'cutt.ly', 'shorturl.at', 'tiny.cc', 'rb.gy', 'bl.ink', 'short.io', 's.id', 'v.gd', 't.ly', 'lnkd.in'];

/** "Reply STOP to opt out" and its usual equivalents. */
export const OPT_OUT_LANGUAGE = [
  /\b(reply|text|txt|send|respond(\s+with)?)\s+["'“]?(stop|end|cancel|unsubscribe|quit|stopall)["'”]?\b/i,
  /\b(stop|end|cancel|quit)\s+(to|2)\s+(opt[\s-]?out|unsubscribe|cancel|end|stop|quit|opt\s+out)\b/i,
  /\bopt[\s-]?out\s*:?\s*(reply\s+)?["'“]?stop\b/i,
  /\bunsubscribe\s*:?\s*https?:\/\//i,
];

/** "Reply HELP for help" and equivalents. */
export const HELP_LANGUAGE = [/\b(reply|text|txt|send)\s+["'“]?help["'”]?\b/i, /\bhelp\s+(for|4)\s+(help|info|assistance|support)\b/i];

/** Words that are part of a legal name, not of the brand a person recognises. */
export const LEGAL_SUFFIXES = new Set(['llc', 'inc', 'ltd', 'co', 'corp', 'corporation', 'company', 'the', 'l.l.c', 'gmbh', 'plc', 'pllc', 'pc', 'lp', 'llp']);
