import type { LexiconRule } from './rule';

/**
 * `debt.third_party_collection`: third-party debt collection (policy and sources:
 * ../policy/financial.ts).
 */

export const DEBT_COLLECTION_LEXICON: LexiconRule[] = [
  {
    category: 'debt.third_party_collection',
    strong: [
      'collection agency|agencies|notice|notices|activity|activities|dept|department|efforts|letter|attorney|attorneys',
      'debt collector|collectors|collection|collections|collecting|buyer|buyers',
      'attempt to collect',
      'collecting on behalf',
      'been placed|referred|transferred|assigned|sent|forwarded|turned * to|for collection',
      'sent|referred to collection',
      'turned over to collection',
      'in collection',
      'placed * with * for collection',
      'account * referred * to * collections',
      'on behalf of * creditor|original',
      'original creditor',
      'current owner of your ** account|debt|balance|loan',
      'credit|asset|debt|billing|revenue recovery',
      'adjustment bureau|co|company|group',
      'validation notice|notices|letter|letters',
      'debt validation',
      'unless you dispute',
      'cobranza|cobranzas',
      'cobrar una deuda',
      'we bought|purchased|acquired your * account|debt|balance',
      'promise to pay',
      'assigned|retained|hired to recover',
      // a receivables or adjusting firm writing about another business's account
      'receivables|adjusters * for|of|on the * account|accounts|balance|bill',
      'receivables|adjusters * acct|account * past due|overdue|delinquent',
      'for|on the account of',
    ],
    unless: [
      'trash|recycling|garbage|waste|bulk|item|yard|leaf|brush|curbside|coat|toy|food|book|donation|blood|specimen|sample|fall|spring|summer|winter|holiday|new collection',
      'credit recovery class|classes|course|courses|program',
      'avoid|prevent ** collection|collections',
    ],
  },
  {
    // An agency's name, or a creditor named as someone else's, next to what is owed.
    category: 'debt.third_party_collection',
    weak: [
      'recovery',
      'collect',
      'collecting for',
      'owed to',
      'placed with us',
      'transferred|assigned|referred * to our office|agency|firm',
      // a balance handed to a firm with an agency's name
      'transferred|forwarded|referred|assigned|sold to',
      'is now with',
      'outsourcing',
      'account resolution',
      'credit management',
    ],
    context: [
      'balance|balances',
      'charges|acct|account',
      'owe|owed|owes|owing',
      'unpaid|unresolved|outstanding',
      'past due',
      'overdue|delinquent',
      'debt|debts',
      'settle|settled|settlement',
      'creditor',
      'charge off|offs',
      'chargeoff',
      'deficiency',
      'installment|installments',
      'payment plan',
      'promised|promise',
      'drafted',
      'legal action',
      'lawsuit|court|judgment',
      'credit report|reporting|bureau|bureaus',
      'hurt your credit',
      'orig',
      'acct',
      'default|defaulted',
      'about your ** account',
    ],
    window: 14,
    unless: [
      'trash|recycling|garbage|waste|bulk|item|yard|leaf|brush|curbside|coat|toy|food|book|donation|blood|specimen|sample|fall|spring|summer|winter|holiday|new collection',
      'collection day|schedule|schedules|just|drops|dropped|route',
      'the * collection',
      'collect * dividends|points|rewards|stamps',
      'collect the|your balance|payment|payments|remaining|rest|deposit|copay|fee',
      'collect payment|payments',
      'speedy|quick|full|smooth|fast|your recovery',
      'muscle|injury|surgery|storm|disaster|password|account recovery',
      'recovery code|time|room|day',
      'avoid|prevent ** collection|collections',
      'referred ** by',
    ],
  },
  {
    // An account "in default" is a lender's own word too, until a lawsuit or an agency comes with it.
    category: 'debt.third_party_collection',
    weak: ['in default', 'default * loan|account|balance|debt'],
    context: ['legal action', 'lawsuit|court|judgment', 'collection|collections', 'recovery', 'transferred|assigned|referred|placed', 'our office'],
    window: 14,
  },
  {
    // "On behalf of" whom: a right-party-contact text names an account, not a clinic visit.
    category: 'debt.third_party_collection',
    weak: ['on behalf of'],
    context: ['account matter', 'balance|debt|owed|unpaid', 'past due', 'credit management'],
    window: 12,
  },
];
