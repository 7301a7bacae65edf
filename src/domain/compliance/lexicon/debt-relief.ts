import type { LexiconRule } from './rule';

/**
 * `debt.relief`: debt consolidation, reduction, relief and forgiveness (policy and sources:
 * ../policy/financial.ts).
 */

export const DEBT_RELIEF_LEXICON: LexiconRule[] = [
  {
    category: 'debt.relief',
    strong: [
      'debt relief|consolidation|settlement|forgiveness|reduction|resolution|negotiation|negotiators|advocates|hardship',
      'debt management plan|program',
      'debt solutions',
      'consolidate ** debt|debts|cards|balances',
      'combine ** debts',
      'consolidation program|plan',
      'reduce|cut|slash|eliminate|erase|halve your * debt|debts',
      'reduce|cut|slash * what you owe',
      'wipe out * balance|debt|debts|loans',
      'less than you owe',
      'settle|settling|resolve|resolving * for less',
      'settle|settling|negotiate|negotiating|negotiates ** creditors',
      'creditors * accept|take #',
      'creditors * settle for #',
      'negotiate|negotiating|negotiates ** lender|lenders|banks ** lower|less|reduce|down',
      'pennies on the dollar',
      'student loan forgiveness|relief|discharge|cancellation',
      'forgive your student loans',
      'irs debt|collections|settlement|levy|levies',
      'back taxes',
      'tax debt|debts|resolution|settlement|levy|levies',
      'penalty abatement',
      'offer in compromise',
      'fresh start program|initiative',
      'settle your * debt|irs|taxes',
      'lower your monthly payment * debt',
      'bankruptcy alternative|alternatives',
      'without|avoid * bankruptcy',
      'settlement program|plan',
      'hardship relief',
      'alivio de deudas',
      // several debts rolled into one payment, what is owed cut by a share, balances erased
      'consolidate|combine|roll|merge * bills|loans|payday|cards * into one|1',
      'consolidate|combine|roll|merge * bills|loans|payday|cards * into a single',
      'consolidate your bills',
      'reduce|cut|slash|lower * what you pay by',
      'balance|balances|debt|debts * erased|wiped|forgiven|cancelled|canceled|discharged',
      'borrower defense',
      'pay $% on a|your $% balance',
      'restructure|restructuring ** merchant cash advance|advances',
      'mca relief|payments|debt|restructuring',
      'baja|reduce|reducimos lo que debe|debes',
      'lo que debe|debes * la mitad',
      'settlement de $%',
    ],
    weak: ['debt|debts', 'collectors', 'harassing', 'deuda|deudas'],
    context: [
      'relief|reduce|reduction|settl%|eliminate|forgiv%|slash|erase|wipe|negoti%|resolve',
      'qualify|qualified|elig%',
      'save up to',
      'free consult%|review|estimate|analysis|quiz',
      'creditors',
      'bigger than',
      'without bankruptcy',
      'stop the calls',
      'reduc%|debes|consulta|alivio',
    ],
    window: 10,
    unless: ['avoid * debt', 'debt trap|traps', 'debt to income', 'meeting of creditors', 'counseling course|certificate'],
  },
  {
    // Forgiveness and repayment programs sold by someone who will "enroll" the borrower.
    category: 'debt.relief',
    weak: ['forgiveness|forgive|forgiven', 'income driven repayment'],
    context: ['student|loan|loans', 'elig%|qualify', 'wipe', 'application', 'enroll|enrolled|enrollment', '$0', 'balance'],
    window: 10,
  },

  {
    // "One low monthly payment" is an insurer's or a gym's slogan too; it is relief when it replaces debts.
    category: 'debt.relief',
    weak: ['one|single low|lower * payment|payments', 'single|one * payment'],
    context: ['debt|debts|cards|balances|creditors', 'consolid%'],
    window: 10,
  },
];
