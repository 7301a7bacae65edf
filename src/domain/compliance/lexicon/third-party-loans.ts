import type { LexiconRule } from './rule';

/**
 * `high_risk_financial.third_party_loans`: loan offers from anyone other than the lender (policy
 * and sources: ../policy/financial.ts).
 */

export const THIRD_PARTY_LOANS_LEXICON: LexiconRule[] = [
  {
    category: 'high_risk_financial.third_party_loans',
    strong: [
      'match|matched|matching|connect|connects|connecting|pair|paired ** lender|lenders',
      'lender|lenders * our|the network|marketplace',
      'lender|lending network|networks|marketplace',
      'network|marketplace|panel of * lenders',
      '# * lenders',
      'multiple|many|several|top|trusted|competing|participating|wholesale|private lenders',
      'partner|partnered|participating|affiliated lender|lenders|dealer|dealers|dealership|dealerships',
      'lender|lending|loan|funding partner|partners',
      // a lender's offer handed over by someone else ("the bank's offer via LoanFinder", "provided by a marketing partner")
      'bank|banks|lender|lenders|lending|funder|funders offer|offers * via|through',
      'offer|offers * provided|made|brought|presented by|from * marketing|advertising|lending partner|partners',
      'dealer|dealers * lenders',
      'compare ** loan|loans|lender|lenders|mortgage|mortgages|refinance|refi|heloc|apr|aprs',
      'loan|mortgage|refinance|refi offer|offers|match|matches',
      'lender quote|quotes|offer|offers|match|matches',
      'personal loan offer',
      'pre approved|qualified ** loan|loans|lender|lenders',
      'preapproved|prequalified ** loan|loans|lender|lenders',
      'pre approved|qualified for * #',
      'preapproved|prequalified for * #',
      'lender|lenders * pre approved|qualified',
      'lender|lenders * preapproved|prequalified|compete',
      'mortgage|loan|funding|finance|lending broker|brokers',
      'one application * many|multiple|several offers|lenders',
      'refinance your student loans',
      'student loan offer',
      'prestamistas',
      // brokers and networks that name banks, funders or dealers instead of lenders
      'work|works|partner|partnered with * # * banks|funders|dealers|dealerships',
      '# funders',
      'funder|funders network|marketplace',
      'dealer network',
      'partner bank|banks|funder|funders',
      'banks|lenders|funders * bidding|compete|competing',
      // several banks lined up for one borrower
      '# banks|funders * want|wants|compete|competing|ready to fund|lend|finance',
      'place|places|placing * with the right|best * bank|lender|funder',
      'conectamos con * banco|bancos|prestamista',
    ],
    weak: ['loan', 'mortgage', 'refinance', 'refi', 'heloc', 'prestamo'],
    context: [
      'lenders',
      'partner|partners',
      'network|marketplace',
      'broker|brokers',
      'compare|compared',
      'many|multiple|several offers',
      'your offers',
      '# offers',
      'shopping',
      'pre approved|qualified',
      'preapproved|prequalified',
      'conect%|compar%|aprueb%',
    ],
    window: 16,
    unless: [
      'your mortgage|loan|heloc payment|payments|statement|balance|escrow|draw|quote|rate|application|applications|closing|documents',
      'cu|union ** loan|loans',
      'cu|union ** approved|qualified',
      'your * loan payment|payments',
      'your * loan is|was|has',
      'your heloc',
      'loan officer will',
      'this|that loan',
      'home loan|loans',
      'loan period',
      'loaner',
      'paid in full',
      'direct loan|loans',
      'compare our',
    ],
  },
];
