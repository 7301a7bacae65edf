import type { LexiconRule } from './rule';

/**
 * `lead_generation`: third-party lead generation and affiliate marketing (policy and sources:
 * ../policy/financial.ts).
 */

export const LEAD_GENERATION_LEXICON: LexiconRule[] = [
  {
    category: 'lead_generation',
    strong: [
      'compare quotes|rates|offers from',
      // a request forwarded to several businesses that will now call
      'info|information|details|request|profile has|have been * sent|shared|passed|forwarded to #',
      'info|information|details|request|profile was|were sent|shared|passed|forwarded to #',
      // "we've shared your project details w/ 4 installers": the reader's request handed on to several businesses
      'shared|sent|passed|forwarded your * details|info|information|request|project|quote * with|w|to #',
      // one form that many buyers see: the form itself is the product being sold
      'one|1|single * application|form|request * all|every|# carriers|lenders|insurers|employers|companies|schools|providers|agencies',
      'got|received|have # bids|quotes|offers|matches',
      'movers|contractors|pros|providers|lenders|communities|dealers|installers will * call|text|contact|reach',
      'quotes|rates|offers|plans from # * companies|insurers|carriers|providers|movers|agents|agencies',
      'quotes|rates|offers|plans|coverage from top|leading|multiple|several * insurers|carriers|providers|companies|agents',
      'quotes from top|leading|multiple',
      'up to # * insurers|agents|agencies|providers|companies|carriers|movers|pros|contractors|buyers|dentists|attorneys|lawyers',
      'cash offer|offers from * buyers|investors',
      'match|matched|matches|matching|pair|paired|connect|connects ** pros|attorney|attorneys|lawyer|lawyers|dentist|dentists|schools|contractor|contractors|insurers|advocates|buyers',
      'connect you with * lawyers|attorneys|contractors|insurers',
      'from our partners|affiliates|sponsors',
      'our partner|partners will|may contact|call',
      'marketing partner|partners',
      'partner agent|agents|agency|agencies|insurer|insurers|companies|attorney|attorneys|firm|firms',
      'legal partner|partners',
      'partnered with * pros|contractors|companies',
      'third party offers|partners|marketers',
      'share|sell|pass|send|forward your info|information|details|data|number|needs|case|request with|to',
      'pass along * your number|info|information|details',
      'compete for your job|business',
      'senior living advisor|advisors|referral|referrals|placement',
      'provider|providers at|in your address',
      'selected to receive * quote|quotes|estimate|estimates|consultation|inspection',
      'top rated * near you * free quote',
      'see if you qualify * settlement',
      'you may be entitled to compensation',
      'entitled|eligible to|for * compensation|settlement',
      'lawsuits are being filed',
      'licensed agents standing by',
      'click to see offers',
      'exclusive offers from',
      'sponsored offer',
      'leads delivered',
      'exclusive * leads',
      'per lead',
      'for every lead',
      'consumer list|lists',
      'lists for sale',
      'affiliate program|network|marketing|offers|link|links',
      'per signup|signups|lead|leads',
      // a request handed to several nearby businesses, who will call or quote
      '# local|nearby|top agents|contractors|pros|providers|buyers|dealers|insurers|movers|plumbers|roofers',
      'dealers|investors|buyers|movers|agents near you * offer|offers|quote|quotes|bid|bids',
      'dealers|investors|buyers|movers|agents nearby * offer|offers|quote|quotes|bid|bids',
      'investors|buyers in our network',
      '# cash offers',
      'instant cash offer|offers',
      '# quotes # form',
      'conectamos con * contratistas|agentes|aseguradoras|proveedores|abogados',
      'mejores aseguradoras',
    ],
    unless: [
      'never|not|wont|dont * share|sell|pass|rent|shared|sold',
      'never|not|wont|dont ** partner|partners|party|parties|affiliates|marketers',
      'your quote is ready',
      'quote we discussed',
    ],
  },
  {
    // Matched with an advisor or agent: a bank's own advisor or a brokerage's own agent is first party.
    category: 'lead_generation',
    weak: ['match|matched|matches|matching|pair|paired|connect|connects ** advisor|advisors|agent|agents'],
    context: ['in your area', 'near you', 'top local', 'local', 'quiz', 'no obligation', 'pre screened'],
    window: 10,
  },
  {
    // Comparison shopping: "compare" alone is a utility's usage chart or a carrier's own plans.
    category: 'lead_generation',
    weak: ['compar%'],
    context: ['quotes|quote|providers|insurers|carriers|companies', 'seguro%|cotizacion%|aseguradora%'],
    window: 10,
    unless: ['compared to|with', 'compare our', 'compare your usage'],
  },
  {
    // Quotes and policies: an insurer's own quote is first party; quotes from several carriers are a lead being sold.
    category: 'lead_generation',
    weak: ['final expense', 'car|extended warranty', 'personalized quotes'],
    context: ['compare|compar%', 'top|leading|multiple|several', 'carriers|companies|providers', 'plans from', 'in one place', 'step away'],
    window: 10,
  },
  {
    // Partners and referrals: the lead is passed on to someone who will call.
    category: 'lead_generation',
    weak: ['partner|partners|partnered', 'medicare|aca|obamacare', 'see if you qualify'],
    context: [
      'contact you',
      'call you',
      'will call',
      'shared',
      'agreed',
      'free quote|quotes|estimates',
      'match%|matched|paired',
      'pros',
      'extra|additional benefits',
      'licensed agent|agents',
      'subsidized',
      'call you to review',
      'homeowners',
      'paid by insurance',
      'compensation|settlement',
    ],
    window: 10,
    unless: ['partners at', 'your claim', 'claim #', 'never|not|wont|dont ** partner|partners'],
  },
  {
    // "Hurt at work? Text HURT": workers' comp intake for lawyers.
    category: 'lead_generation',
    weak: ['hurt|injured at work', 'hurt|injured on the job'],
    context: ['text|txt', 'attorney|attorneys|lawyer|lawyers', 'compensation|claim|claims', 'free'],
    window: 10,
  },
  {
    // Injury and mass-tort intake: the question, then compensation or a lawyer.
    category: 'lead_generation',
    weak: ['injured|hurt * car|auto|truck accident', 'mesothelioma'],
    context: ['attorney|attorneys|lawyer|lawyers', 'no fee', 'compensation|settlement|lawsuit|lawsuits', 'entitled|eligible'],
    window: 10,
  },
];
