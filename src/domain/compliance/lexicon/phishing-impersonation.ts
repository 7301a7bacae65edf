import { near } from './near';
import type { LexiconRule } from './rule';

/**
 * `fraud.phishing_impersonation`: phishing, impersonation and scams (policy and sources:
 * ../policy/conduct.ts): brands, banks, carriers, shippers and agencies impersonated to get a
 * click, a code, a login or a payment.
 */

/** Brands and agencies phishing texts claim to be; innocent alone. */
const IMPERSONATED_BRANDS = [
  // "Citi" is left out: it stems like "city" ("city alerts"). Carriers, shops, payment apps,
  // social networks and agencies are listed apart: their names are everyday words in real
  // shipping notices, giveaways and payment requests.
  // "Chase", "Norton" and "Outlook" are also names and words: listed only with what follows them.
  'coinbase|binance|netflix|spotify|hulu|disneyplus|icloud|microsoft|gmail|verizon|att|xfinity|comcast|usaa|citibank|pnc|wellsfargo|sunpass|ezpass|fastrak|mcafee|docusign',
  'chase bank|alert|alerts|fraud|card|account|online|debit|credit|sapphire|freedom',
  'norton antivirus|security|360|lifelock',
  'apple id',
  'geek squad',
  'wells fargo',
  'bank of america',
  'capital one',
  'navy federal',
  't mobile',
  'e zpass',
  'duke energy',
];

/** Carriers and shops phishing texts claim to be; real shipping notices name them too ("ships via FedEx"). */
const CARRIERS_AND_SHOPS = ['usps|fedex|dhl|amazon|costco|walmart|samsung', 'postal service'];

/** Payment apps: also how illicit sellers ask to be paid ("Venmo only"), so only a disowned payment counts. */
const PAYMENT_APPS = ['paypal|venmo|zelle|cashapp', 'cash app'];

/** Social networks: their names turn up in every giveaway ("photos on our Facebook page"), so only account threats count. */
const SOCIAL_BRANDS = ['facebook|instagram|whatsapp|tiktok|snapchat|meta'];

/** Tax, court and benefit agencies impersonated with threats ("IRS", "county sheriff", "Medicare"). */
const AGENCIES = ['irs|treasury|sheriff|medicare|ssa|police|court', 'social security'];

/** Top-level domains that do not double as everyday words ("info", "shop", "live" and "link" do). */
const LINK_ENDINGS = 'com|net|org|top|xyz|vip|icu|cc|biz|click';

/** Words that dress up a look-alike domain ("chase.secure-verify-login.com", "usaa.member-safety.org"). */
const LOOKALIKE_DOMAIN_WORDS =
  'pay|payment|payments|residentpay|secure|security|verify|verification|verifyid|login|signin|logon|auth|authentication|validate|validation|restore|reactivate|unlock|support|help|portal|refund|refunds|claim|claims|reward|rewards|renewal|tracking|parcel|redelivery|delivery|customs|citation|toll|tolls|appeal|appeals|safety|alert|alerts|update|acct|account|user|users|points|loyalty|member|members|center|centre';

/**
 * Service words that look-alike domains are made of ("navyfed-memberservice.com",
 * "mychart-billpay.org", "toyota-recall-check.net", "binance-airdrop-claim.io"): one word each in
 * the message, so they cannot be everyday phrases before a link ending.
 */
const SERVICE_DOMAIN_WORDS =
  'billpay|memberservice|memberservices|cardcare|cardservices|brokerage|airdrop|sharedocs|recall|employee|results|docs|label|labels|refundcenter|accountcheck';

/** What follows a brand inside a look-alike domain ("amaz0n-accountcheck", "fedex-parcelcare", "netflix-billingupdate"). */
const BRAND_DOMAIN_WORDS =
  'account%|acct|bill%|custom%|parcel%|secur%|verif%|support%|refund%|claim%|reward%|renew%|login%|signin|help%|redeliv%|appeal%|copyright%|loyalti%|giveaway%|prize%|member%|safeti%|alert%|restor%|unlock%|tax%|citat%|toll%|protect%|auth%|fraud%';

/** What a call-back scam says the reader did not do ("if you did not place this order"). */
const DISOWNED = "didn't|didnt|not place|make|request|authorize|authorise|recognize|recognise|initiate";

/** The desk a call-back scam sends the reader to ("call Microsoft Billing Support at"). */
const SUPPORT_DESK = 'support|billing|fraud|security|helpdesk';

/** Banks, payment apps, carriers and services whose name on a disowned charge is the call-back scam. */
const CALLBACK_BRANDS = [...PAYMENT_APPS, ...IMPERSONATED_BRANDS, ...CARRIERS_AND_SHOPS];

export const PHISHING_IMPERSONATION_LEXICON: LexiconRule[] = [
  {
    category: 'fraud.phishing_impersonation',
    strong: [
      // job offers whose interview moves to a chat app: employers interview by phone, video or in person
      'interview|interviews|interviewed|onboarding * on|via|through|over telegram|whatsapp|signal',
      // a caller who will want the reader's secret: no bank or support desk asks it to be ready
      'have|keep your * passcode|password|pin|login ready|handy|nearby',
      // ... or the card in hand for a call the "bank" makes, or the code read back to its "agent"
      'will call ** have|keep your * card ready|handy|nearby',
      'read|reading|reads * back|out * code|codes|passcode',
      // look-alike links: security words dressed up as a domain
      `${LOOKALIKE_DOMAIN_WORDS} ${LINK_ENDINGS}`,
      'secure|security|verify|verification|login|copyright|help help|top',
      'secure|security|verify|verification|login|restore|renewal|acct|account co',
      ...[...IMPERSONATED_BRANDS, ...CARRIERS_AND_SHOPS, ...PAYMENT_APPS].map((brand) => `${brand} ${BRAND_DOMAIN_WORDS} * ${LINK_ENDINGS}|co|help|shop|info`),
      'gov % com|net|org|info|co|top|xyz|site|click|link',
      `${SERVICE_DOMAIN_WORDS} ${LINK_ENDINGS}|info|help|io|online|site`,
      // credentials
      'verify|confirm|validate|reenter|provide|send your * ssn|pin|passcode|credentials',
      'bank login|logins',
      'date of birth * bank|ssn|social',
      'dob|birthdate * ssn|social|bank|card',
      'reply|respond|text|send * last 4|four of your ssn|social',
      'reply|respond|text * with * ssn|pin|password',
      'reply|respond|text * with * card number',
      // one-time codes
      'reply|respond with * code|codes',
      'reply|respond with ** verification|verify|otp code|codes|passcode',
      'reply|respond with ** passcode|otp',
      'share * code|codes|passcode * sent to you',
      // card details confirmed to a caller or by text
      'confirm|verify|provide|give * card number|expiry|expiration|cvv|cvc',
      'send|text|reply|provide ** your ssn|social',
      'send|forward|give|tell|read * me|us * the|that|this * code|codes',
      'code|codes * we|i * just sent|texted',
      'accidentally sent|send|texted * code|codes',
      'google voice * code|codes|verification',
      // gift cards as payment ("pay with gift cards"): the FTC's "only scammers" rule
      'pay|paying|payment by|in|with gift card|cards',
      // (not "buy $50 in gift cards", a shop's own promotion)
      'return|send|repay|refund|back * # * in * gift card|cards',
      'deposit|cash * check|cheque|it ** gift card|cards',
      // a fee that must be paid before a prize, refund or transfer is "released"
      'release|claim|collect|receive|unlock * winnings|funds|prize|reward|payout|transfer ** fee|fees|deposit',
      'activation|processing|release|clearance|handling fee|fees ** release|claim|collect|receive|unlock * winnings|funds|prize|reward|payout|transfer',
      'para cobrar|reclamar ** deposite|deposita|pague|paga',
      // a payment "waiting" until the recipient links a bank account on a link
      'accept|receive|claim|release * link|connect|verify your bank|card',
      // mailbox and storage lures
      'mailbox|inbox|storage|email * full|exceeded|limit ** log|login|sign|click|tap|verify|upgrade|increase',
      'pay|paying|payment by|in|with * apple|google|itunes|steam|amazon|target|walmart|ebay|vanilla gift card|cards',
      'pics|pictures|photos|photo|picture of the|those * code|codes',
      // accounts, services and documents threatened
      'account|acct|access|id|banking|card|page|profile|membership|license|service|services * will be|has been|is|was|have been * suspended|locked|frozen|disabled|restricted|deactivated|terminated|deleted|removed|flagged|blocked|compromised|disconnected ** verify|confirm|restore|reactivate|activate|re|validate|update|appeal|here|immediately|login|unless|click|tap',
      'copyright complaint|complaints|infringement|violation',
      'to avoid deactivation|arrest|prosecution|jail',
      'unusual|suspicious|irregular|unauthorized activity|charge|charges|login|sign|transaction|transactions ** click|login|tap|restore',
      'lock it here',
      // tech-support scams: a "detected" infection and a number to call
      'detected|found * virus|viruses|malware|spyware|hacker|hackers ** your computer|device|pc|laptop|phone',
      'technician * remove|fix * virus|viruses|malware',
      // shipping
      'redelivery|rescheduling fee',
      // tolls, taxes, fines, agencies
      'unpaid|outstanding toll|tolls|traffic',
      'tax refund * claim|eligible|submit',
      'bench warrant',
      'warrant * issued|arrest',
      'missed jury duty|service',
      'lien will be placed|filed',
      'social security number|ssn * suspended|blocked|frozen|compromised',
      // prizes
      'your phone|mobile number won',
      'your phone|mobile number has|was * won|selected|chosen',
      'claim your * iphone|ipad|galaxy|macbook|airpods|package|parcel',
      // services cut off
      'will be shut|cut off * minutes|immediately',
      'will be disconnected * minutes|immediately',
      // family emergencies and the boss who needs gift cards
      'bail money',
      ...near(
        ['hi|hey mom|mum|dad|grandma|grandpa|nana|granny'],
        ['new number', 'phone fell|broke|died|dropped|broken', 'in trouble', 'send|need money', 'police station'],
      ),
      ...near(['your manager|boss|ceo|supervisor', 'in a meeting'], ['gift card|cards']),
      // utilities that threaten a shut-off and want a payment app, a gift card or crypto
      ...near(
        ['nonpayment|shutoff|disconnection|disconnected|disconnect', 'shut off', 'pull your meter'],
        ['cash app', 'cashapp|zelle|venmo|bitcoin|btc|crypto', 'gift card|cards'],
      ),
      // A charge, order or withdrawal the reader "did not make", in a big brand's name or a
      // "support"/"fraud unit" desk's, with a number in the text to call: the FTC's fake fraud
      // alert and refund scam (call-back phishing). A real alert sends the reader to the number on
      // the card or in the app, or says to ignore the message; a small bank's own alert that
      // gives its number ("call us at") is not counted.
      ...[DISOWNED, 'not authorized|authorised|recognized|recognised'].map((disowned) => `${disowned} ** call|contact|dial * ${SUPPORT_DESK} ** # # #`),
      // (not payment apps: a bank's own Zelle notice names Zelle and gives the bank's number)
      ...near(
        [...IMPERSONATED_BRANDS, ...CARRIERS_AND_SHOPS, `${SUPPORT_DESK} team|department|dept|desk|unit|support`],
        [`${DISOWNED} ** call|contact|dial ** # # #`, `${DISOWNED} ** i'll|ill|we'll|well|will * call|contact you|u`],
      ),
      ...near(['agent|rep|representative|specialist|team * will * call|contact'], ['verify|secure your|ur account|acct|identity']),
      // utilities: a shut-off "today" and a number to call instead of the bill's own channels
      'disconnection|shutoff|disconnect|disconnected ** today|tonight ** call|contact|dial ** # # #',
      // a disowned charge, then a number to call to cancel or secure it
      `${DISOWNED}|unauthorized|unauthorised ** call|contact|dial ** # # # * to|and * secure|cancel|stop|block|protect|reverse`,
      'not you|u ** call|contact|dial ** # # # * to|and * secure|cancel|stop|block|protect|reverse',
      // shut-offs within the hour (utilities give days of notice), in English and Spanish
      'disconnection|disconnected|disconnect|shutoff|desconectado|desconexion|corte ** in|en # min|mins|minutes|minutos|hour|hora',
      'desconectado|desconexion|corte|cortado ** hoy ** llame|llamar ** # # #',
      // agencies that freeze benefits or open "fraud cases" by text
      ...near(
        [...AGENCIES, 'inspector general'],
        ['will be frozen|suspended|cancelled|canceled|terminated|stopped', 'fraud case|investigation * opened|filed'],
      ),
      // wrong-number and "we met" openers: the FTC's and FBI's start of romance and
      // pig-butchering investment scams; a business introduces itself, it does not guess a name
      ...near(['is this'], ['we met', 'supposed to meet', 'found your number', 'gave me your|this number', 'you|u said to text']),
      'assistant|secretary gave me your|this number',
      'found your number in my',
      ...near(['eres', 'es usted'], ['nos conocimos']),
      // rental scams: the landlord is abroad and wants a fee or deposit before a viewing
      ...near(
        ["can't|cant|cannot show|meet * in person", 'working|living|stationed abroad|overseas', 'out of the country'],
        ['fee|deposit|keys|apply|application'],
      ),
      // task scams: paid to like, rate or review, or the job's HR sits on a chat app
      'like|likes|liking|rate|rating|review|reviewing * videos|video|apps|app|hotels|hotel|products|ratings|posts ** paid|earn|day|task|tasks|commission',
      'dando|dar me gusta ** videos',
      'boost|improve * app|apps|product|products|merchant|merchants * ratings|rankings|reviews',
      'hr|recruiter|recruiters|talent * on|via|por whatsapp|telegram|signal',
      // payroll diversion: bank details asked for by text
      'text|send|reply * me|us * your * routing|account number|numbers',
      'routing and * account number|numbers',
      // insurance "verification" by text: date of birth with a member or policy number
      'reply|respond|text * with * date of birth',
      'reply|respond|text * with * dob|birthdate',
      'responda|responder|envie * con * su fecha de nacimiento',
      // grants and disbursements that cost a fee or a call to an "agent"
      ...near(['grant|grants|disbursement'], ['processing|release|application|clearance fee|fees', 'call agent|officer']),
      // student-loan "forgiveness" in the Department of Education's name (the FTC's student-loan scams)
      ...near(
        ['dept|department of education|ed', 'federal student loan|loans|aid', 'studentaid %'],
        ['forgiveness|discharge|discharged|forgiven|cancellation', 'qualify|qualifies|eligible ** call|enroll|apply|reply'],
      ),
      // disaster charities on a look-alike domain ("unicef-emergency-aid.org")
      'emergency|disaster|relief|victims aid|fund|relief|donate|donation|donations org|com|net|info|site',
      // payment only a scam asks for: a crypto ATM, a "bond voucher", a "safe account"
      'bitcoin|btc|crypto atm|atms',
      'bond voucher|vouchers',
      'safe|secure|protected account|accounts * we|i * provide|give|open|set',
      'move|transfer|withdraw ** to a * safe account',
      'money laundering case|investigation',
      'missed * jury summons|duty',
      // pet and delivery "fees" (the FTC's puppy scams)
      'pet passport|nanny',
      'crate|crating fee|fees',
      'vaccination|travel|shipping insurance * refundable',
      // sextortion: a hacked camera and a payment in crypto
      'hacked your * camera|phone|webcam|device|account',
      'send|pay * # * in * bitcoin|btc|crypto ** or',
      // crypto "airdrops" and recovery services
      'connect|link|sync your * wallet ** claim|airdrop|receive|unlock',
      'recover|recovery ** lost|stolen * crypto|funds|bitcoin|money ** fee',
      // consulate and embassy parcel scams (often in Mandarin)
      ...near(['consulate|embassy'], ['package|parcel|baoguo|detained|arrest', 'call back|hui dian']),
      // a dating match that wants the reader "verified" elsewhere
      'verify|prove * not a catfish|fake|bot|scammer',
      'confirm your * extended warranty',
      // one-time codes "sent by mistake"
      'code|codes * to you * by mistake|accident',
      ...near(['wrong number'], ['you seem|sound nice|sweet|friendly|kind', 'where are you|u from', 'can we be friends']),
      'my uncle|aunt|cousin|mentor|friend * showed|taught|introduced me * trading|invest%|crypto%|bitcoin|gold|forex',
      // task and job scams: the offer moves to a chat app, or the "recruiter" found a resume
      ...near(
        ['add|message|contact|text|reach me|us * on|via whatsapp|telegram|signal'],
        ['recruiter|hiring|hr|role|position|job|salary|daily|commission', 'per day'],
      ),
      'resume|cv was|is * recommended|selected',
      // fake-check and overpayment scams: deposit our check, send the rest on
      'deposit * and send|wire|zelle|transfer|forward ** the|any balance|remainder|difference|rest|overpayment|vendor',
      // a "quick favour" from someone who cannot talk: the boss and church-leader gift-card scam
      ...near(['are you|u available', 'text|reply back asap'], ['quick favor|favour', 'a favor|favour for']),
      // Spanish toll smishing ("aviso de peaje ... saldo pendiente ... evite multas")
      'peaje|peajes ** saldo|multa|multas|pendiente',
      'saldo pendiente ** evite|evitar|multa|multas|recargo|recargos',
      // a payment portal only a domain would spell as one word ("hoa-payportal.site")
      'payportal|paymentportal|paynow|payonline|paymybill %',
      // a real brand's name on a charge the message then disowns, with a number to call
      ...near(CALLBACK_BRANDS, [
        'not you',
        "wasn't|wasnt you",
        "didn't|didnt|not authorize|authorise|recognize|recognise",
        'fraud unit|department',
        'specialist|agent|representative will call',
      ]),
      // fake renewal invoices in the name of tech-support and antivirus brands
      ...near(['mcafee|lifelock', 'geek squad', 'norton antivirus|security|360|lifelock'], ['renew|renewed|renewal|charged|refund']),
    ],
    // the real service's own warnings: "never share this code", "we will never ask for your PIN"
    unless: [
      "don't|dont|do not|never share * code|codes",
      'never|not ask|share ** pin|password|passcode|code|codes|login|logins|ssn|details|credentials',
      // "If this wasn't you, ignore this message": a real sign-in or reset notice
      ...CALLBACK_BRANDS.map((brand) => `${brand} ** ** ignore|disregard`),
      "not|wasn't|wasnt|didn't|didnt * you|request|this ** ignore|disregard",
    ],
  },
  {
    // Payment, delivery and account trouble next to a deadline, a threat or a look-alike link. Real
    // services send dunning and delivery notices too, so what is everyday in them ("could not be
    // delivered", "will be suspended", a .com link) is only context here.
    category: 'fraud.phishing_impersonation',
    weak: [
      'payment|renewal|subscription|membership * declined|failed|unsuccessful',
      'payment|renewal|subscription|membership * on hold',
      "couldn't|couldnt|unable to process your * payment",
      'could not process your * payment',
      'trouble with your * billing|payment',
      'community standards|guidelines',
      'secure your account',
      'verify|confirm|validate your card|bank|billing|banking details|info|information|number',
      'incomplete|invalid|insufficient|incorrect address',
      '2nd|second|third|final|delivery attempt * failed|unsuccessful',
      'held at customs',
      'unpaid|outstanding shipping|delivery|postage|customs fee|fees|charge|charges',
      'customs fee|duty|duties|charge|charges|clearance',
      'import duty|duties|fee|fees',
      'toll invoice|balance|violation|violations|notice|bill|charges',
      'shut|cut off * today|tonight|hours',
      'disconnected|suspended * today|tonight|hours|hrs|minutes|mins',
    ],
    context: [
      'click|tap|link|here|login|restore|reactivate|immediately|urgent',
      'log|sign in',
      'within # hours|hrs|minutes|min',
      'in the next # hours|hrs|h',
      '24h|24hrs|48h',
      '24|48 hrs|hours',
      'gift card|cards',
      'top|xyz|vip|icu|cc|biz|click|info|site|live|shop|help|support',
      `${LOOKALIKE_DOMAIN_WORDS} ${LINK_ENDINGS}`,
      'could not be delivered',
      'unable to deliver',
      'package|parcel|shipment|delivery * on hold',
      'confirm|verify your identity',
      'undeliverable',
      'will be deleted|removed|suspended|terminated|disconnected|returned',
      'permanently deleted|disabled|removed|banned|suspended',
      'lose * benefits|access|membership|account',
      'billing error',
      ...SOCIAL_BRANDS,
    ],
    window: 14,
  },
  {
    // Prize and reward lures next to what they ask for.
    category: 'fraud.phishing_impersonation',
    weak: [
      "you've won",
      'you have won',
      "you've been chosen",
      'you have been chosen',
      'reward points * expire|expiring',
      'stimulus payment|payments|check|checks',
    ],
    context: [
      'deadline|submit',
      'gift card|cards',
      'answer|complete * questions|survey',
      'eligible for a|your * refund|stimulus',
      LINK_ENDINGS,
      'info|site|link|shop|here',
    ],
    window: 14,
  },
  {
    // Family-emergency and boss scams: a stranger claims to be kin or the boss and needs money or gift cards.
    category: 'fraud.phishing_impersonation',
    weak: ["i'm|im in trouble", 'i am in trouble', "don't|dont tell mom|dad|mum", 'do not tell mom|dad|mum'],
    context: [
      'hi|hey mom|mum|dad|grandma|grandpa|nana|granny',
      'new number',
      'phone fell|broke|died|dropped|broken',
      'police station',
      'send|wire money',
      'accident|jail|hospital|bail|wire|money',
    ],
    window: 14,
  },
  {
    // Tax, court and benefit agencies next to threats or claims they do not make by text.
    category: 'fraud.phishing_impersonation',
    weak: ['warrant|warrants', 'avoid arrest'],
    context: [...AGENCIES, 'gift card|cards', 'within # hours|hrs', 'bond|bail'],
    window: 16,
  },
];
