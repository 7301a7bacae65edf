import type { LexiconRule } from './rule';

/**
 * Sexual content, hate, phishing and impersonation, firearms (policy and sources: ../policy.ts).
 *
 * A category may have several rules: each pairs its own `weak` terms with its own `context`, so
 * an innocent word only counts next to the words that make it mean the category ("Mexicans"
 * next to "vermin", not next to "tacos"). A `weak` term is also what the model may attribute
 * the category to when nothing listed is enough, so `weak` holds the terms that lean towards the
 * category and everyday words stay in `context`.
 */

// ---------------------------------------------------------------------------------------------
// Hate: a protected group named next to dehumanising, exclusionary or threatening language.

/** Protected groups as hate messages name them; innocent alone ("Mexican restaurant", "Catholic school"). */
const PROTECTED_GROUPS = [
  // national origin, immigration status
  'immigrant|immigrants|immigration|migrant|migrants|refugee|refugees|foreigner|foreigners',
  'illegals are|should|will|commit|bring|must|need|have',
  'asylum seeker|seekers',
  'illegal alien|aliens',
  'third world',
  // race and ethnicity
  'black people|folks|family|families|man|men|woman|women|kid|kids|child|children|student|students|neighbor|neighbors|neighbour|neighbours|community|person|voter|voters|driver|drivers|americans|buyer|buyers',
  'black|blacks are|commit|should|ruin|destroy|belong|breed',
  'white people|folks',
  'african|africans|asian|asians|chinese|korean|koreans|vietnamese|filipino|filipinos|japanese',
  'indian|indians|pakistani|pakistanis|arab|arabs|somali|somalis|haitian|haitians|palestinian|palestinians|israeli|israelis',
  'mexican|mexicans|latino|latinos|latina|latinas|latinx|hispanic|hispanics',
  'gypsy|gypsies|romani',
  'native american|americans|tribe|tribes',
  'indigenous',
  // religion
  'muslim|muslims|islam|islamic|mosque|mosques|hijab|hijabs|quran|koran|imam',
  'jew|jews|jewish|synagogue|synagogues|zionist|zionists|goyim|rabbi',
  'catholic|catholics|christian|christians|mormon|mormons|sikh|sikhs|turban|turbans|hindu|hindus|buddhist|buddhists|atheist|atheists',
  // sexual orientation, gender identity, sex
  'gay|gays|lesbian|lesbians|homosexual|homosexuals|homosexuality|queer|queers|bisexual|bisexuals|lgbt|lgbtq|transgender|transgenders|tranny|trannies|nonbinary',
  'trans people|person|persons|kid|kids|women|men|folks|teacher|teachers',
  'trans mentally|are|freaks|groomers|predators|perverts',
  'drag queen|queens',
  'women|woman|female|females',
  // disability
  'disabled people|folks|kids|children|persons|adults',
  'autism|autistic|handicapped|retarded|retards|cripple|cripples',
  'down syndrome',
  // in-group language of supremacist messages
  'every race',
  'you people',
];

/**
 * What hate says about a group: dehumanising words, slurs on character, calls to exclude,
 * expel, boycott or harm, threats. Many are everyday words ("ban", "control", "drain"), so
 * they only count next to a group.
 */
const HOSTILE_LANGUAGE = [
  // dehumanising
  'vermin|rat|rats|roach|roaches|cockroach|cockroaches|parasite|parasites|subhuman|subhumans|animal|animals|savage|savages|beast|beasts|mongrel|mongrels|scum|filth|filthy|trash|garbage',
  'not human',
  'disease|diseases|diseased|plague|virus|infest%|invader|invaders|invasion|invade|invading|overrun|swarm%|breed|breeding|stink%|stench',
  // slurs on character
  // "lazy" only as an insult ("lazy river"), "stealing" not as a bargain ("it's a steal")
  'are|so|too|all|dirty|drunk lazy',
  'lazy drunk|drunks|bums|criminals|thieves',
  'stealing|steal our|your|jobs',
  'drunk|drunks|criminal|criminals|crime|crimes|thief|thieves|rapist|rapists|rape|terrorist|terrorists|terror|pedophile|pedophiles|groomer|groomers|grooming|freak|freaks|pervert|perverts|degenerate|degenerates|inferior|violent|brainwashed|cult|backward|primitive|menace|cheating|leech|leeches|welfare|handouts|useless|sick|confused|traitor|traitors|treason',
  'mentally ill',
  'mental illness',
  'low iq',
  'less intelligent',
  'too emotional',
  'need|needs to be fixed|cured',
  'a drain',
  'control everything|hollywood',
  'control the media|banks',
  'run|runs the banks|media',
  'pulling the strings',
  'destroying|destroy|ruin|ruining|replace|replaced|replacing|outnumber|outnumbered',
  'take over',
  // exclusion, expulsion, boycott
  'go back',
  'send|sent them back|home',
  'send|sent back|home',
  'deport|deported|deporting|deportation',
  'kick|run|get|drive|keep|throw them out',
  'out of our|this town|neighborhood|neighbourhood|country|city|schools|classrooms|streets|block',
  'keep our neighborhood|neighbourhood|town|streets|community|block',
  'property values',
  'not welcome',
  'unwelcome',
  'nobody wants you|them',
  "don't|doesn't|dont|doesnt belong",
  'do|does not belong',
  'belong in the kitchen',
  // "barred" stems like "bar" (a pub), so only "be barred"
  'be|been|get|are|is barred',
  'ban|banned|boycott|boycotts|segregation|segregate|institutionalized|institutionalised|institutionalize|removing|remove|purge|cleanse|exterminate|eliminate|miserable',
  "don't|dont|never hire|rent|sell|serve",
  'do not hire|rent|sell|serve',
  'locked away|up',
  'close the border|borders|mosques',
  'shut down',
  'shut them',
  'torn|tear|burn down',
  'burn|burned|torch|bomb their|the|your',
  'going to|burn in hell',
  'make them leave|pay|suffer',
  'dealt with',
  'burden|burdens',
  'our tax|taxes',
  'tax money',
  "don't deserve",
  "shouldn't|shouldnt be allowed",
  'should not be allowed',
  'strip searched',
  // threats, violence
  'kill|killed|hanged|lynch|lynched|lynching',
  'wipe out',
  'watch your back|backs|kids|children|daughters',
  'keep your daughters|kids|children|women',
  'protect our|your women|kids|children|daughters|families|race',
  'lock your',
  'we are watching',
  "we're watching",
  'we know which|where',
  'before something happens',
  'answer for it',
  'day of reckoning',
  'stay ready',
  'never be safe',
  'never be like us',
  'never be real americans',
  'real americans',
  'for americans only',
  'take our * back',
  'stop the invasion',
  'conversion therapy|camp|camps',
];

// ---------------------------------------------------------------------------------------------
// Phishing: brands, banks, carriers, shippers and agencies impersonated to get a click, a code,
// a login or a payment.

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
  'secure|security|verify|verification|verifyid|login|signin|logon|auth|authentication|validate|validation|restore|reactivate|unlock|support|help|portal|refund|refunds|claim|claims|reward|rewards|renewal|tracking|parcel|redelivery|delivery|customs|citation|toll|tolls|appeal|appeals|safety|alert|alerts|update|acct|account|user|users|points|loyalty|member|members|center|centre';

/** What follows a brand inside a look-alike domain ("amaz0n-accountcheck", "fedex-parcelcare", "netflix-billingupdate"). */
const BRAND_DOMAIN_WORDS =
  'account%|acct|bill%|custom%|parcel%|secur%|verif%|support%|refund%|claim%|reward%|renew%|login%|signin|help%|redeliv%|appeal%|copyright%|loyalti%|giveaway%|prize%|member%|safeti%|alert%|restor%|unlock%|tax%|citat%|toll%|protect%|auth%|fraud%';

/**
 * Every term of `a` and of `b` in either order within about sixteen words (`**` is a gap of up
 * to eight): a pair that is as telling as one strong term, with no weak term of its own that
 * the model could attribute the category to ("Chase" alone is a bank, a name and a verb).
 */
const near = (a: string[], b: string[]): string[] => a.flatMap((x) => b.flatMap((y) => [`${x} ** ** ${y}`, `${y} ** ** ${x}`]));

/** Banks, payment apps, carriers and services whose name on a disowned charge is the call-back scam. */
const CALLBACK_BRANDS = [...PAYMENT_APPS, ...IMPERSONATED_BRANDS, ...CARRIERS_AND_SHOPS];

export const CONDUCT_LEXICON: LexiconRule[] = [
  // -------------------------------------------------------------------------------------------
  {
    category: 'sexual_content',
    strong: [
      'xxx%',
      'porn%',
      'escort service|services|agency|agencies|girl|girls|ad|ads|site|sites|model|models',
      'erot%',
      'friends with benefits',
      'booty call|calls',
      'ashley madison',
      'nude|nudes|naked pic|pics|photo|photos|picture|pictures|selfie|selfies|video|videos|vid|vids|content|stage|dancer|dancers|dancing|model|models|cam|cams|girls|chat',
      'send|sending|sent * nudes',
      'sexy|horny|naughty|kinky|slutty * singles|girls|milfs|moms|wives|housewives|babes|chat|pics|photos|videos|vids|cam|cams|texts|talk',
      'hot moms|milfs|singles|girls|babes|wives|housewives|pics|chat|chats',
      'hot local|lonely|single girls|singles|moms|milfs|wives|housewives|babes',
      'adult chat|content|video|videos|entertainment|dating|hookup|hookups|webcam|webcams|cam|cams|toy|toys|store|novelty|novelties|dvd|dvds|film|films|movie|movies|site|sites|account|personals|bookstore|superstore|massage',
      'adultfriend%',
      'sex toy|toys|chat|line|cam|cams|video|videos|tape|tapes',
      'phone sex',
      'vibrator|vibrators|dildo|dildos',
      'onlyfans|fansly|camgirl|camgirls|camboy|camboys|sexting|sext|sexts|nsfw|dtf|fwb|gfe|pse|bbbj|milf|milfs',
      'cam girl|girls|show|shows|model|models|site|sites|sex',
      'webcam model|models|girl|girls|show|shows|site|sites',
      'explicit chat|pics|photos|videos|video|content|images|talk|texts|messages|photo',
      'uncensored pics|photos|videos|video|vids|content',
      'leaked pics|photos|nudes|videos|tape',
      'premium snap|snapchat',
      'discreet * encounter|encounters|fun|affair|affairs|hookup|hookups|meetup|meetups|dating|rendezvous|liaison|liaisons',
      'private pics|nudes|vids',
      'couples toy|toys|kit|kits',
      'no strings * hookup|hookups|fun|sex|encounter|encounters',
      'strip club|clubs|joint|joints|show|shows|tease',
      'stripper|strippers',
      'exotic dancer|dancers|dancing',
      'lap dance|dances|dancing',
      'private dance|dances|dancer|dancers',
      'pole dancer|dancers',
      'gentlemen club|clubs',
      'swinger|swingers',
      'fetish%',
      'bdsm|dominatrix|domme',
      'body to body',
      'body rub|rubs',
      'nuru',
      'sensual massage|massages|rub|rubs',
      'happy ending massage|massages',
      'massage * happy ending',
      'table shower',
      'sugar daddy|daddies|baby|babies|mama|dating',
      'mutually beneficial arrangement|arrangements',
      'generous men|gentleman|gentlemen|daddy|daddies|benefactor|benefactors',
      'elite|vip|classy|upscale|discreet|independent|luxury companion|companions|companionship',
      'no law enforcement',
      'married but curious',
      'your spouse|wife|husband|partner will never know',
      'amateur couples|videos|vids|girls|wives|sex|content',
      'fantasy phone|line|lines',
      'feeling naughty|horny|frisky',
    ],
    unless: [
      'hook up your|the * router|tv|printer|internet|wifi|modem|computer|cable|washer|dryer|thermostat',
      'full hookup|hookups',
      'nude lip%|heel|heels|shade|shades|palette|tone|tones|pump|pumps|collection|polish|gloss',
      'paint|varnish|wallpaper|wire|floor stripper|strippers',
      'naughty or nice',
      'naughty list',
    ],
  },
  {
    // Hook-up and dating lures: a hook-up word next to whom and when.
    category: 'sexual_content',
    weak: ['hook up', 'hookup|hookups', 'horny|kinky', 'casual encounter|encounters|sex', 'one night stand', 'dating app|site', 'local milfs|hotties|babes|sluts'],
    context: [
      'casual fun',
      'tonight|nearby|local|locals|singles|women|men|girls|guys|moms|milf%|wives|married|discreet|anonymous|spouse|curious|affair|affairs',
      'near you',
      'in your area',
      'within # miles',
      'no strings',
      'meet|meetup|chat|pics|photos|profile|profiles|swipe|match|matches|dtf|verified|unlock|private|18|21|adult',
      'online|right now',
    ],
    window: 10,
    unless: [
      'hook up your|the * router|tv|printer|internet|wifi|modem|computer|cable|washer|dryer|thermostat',
      'full hookup|hookups',
      'amp|amps|water|sewer|electric|rv hookup|hookups',
      'hookup|hookups amp|amps|water|sewer|electric|#',
      'kinky curly|hair|twist|twists|coils|coily',
    ],
  },
  {
    // Private-picture and subscription lures.
    category: 'sexual_content',
    weak: ['private pic|album|albums|page|snap|snapchat|content|cam|video|videos', 'uncensored', "what i'm wearing", 'link in bio'],
    context: [
      'home alone',
      'unlock|unlocked|uncensored|leaked|babe|daddy|sexy|naughty%|naughti%|horny|nude|nudes|xxx|wearing|bored|lonely|subscribe|premium|midnight|she|her|girls|women|hot|pics|pic|vids|vid',
      'just for you',
      'video call',
      'plain box',
    ],
    window: 12,
  },
  {
    // Escort advertising: out-call jargon next to the usual terms.
    category: 'sexual_content',
    weak: ['incall|outcall|incalls|outcalls', 'escort|escorts', 'topless'],
    unless: ['outcall|incall massage|massages|therapy|therapist|therapists'],
    context: [
      'roses|donation|donations|petite|screening|gentlemen|gfe|upscale|discreet|classy|independent|companion|companions|sexy|girls|dancers|waitresses|incall|outcall|rates',
      'new in town',
      'open minded',
      'no rush',
      'available now',
      '24 7',
    ],
    window: 12,
  },
  // -------------------------------------------------------------------------------------------
  {
    category: 'hate',
    strong: [
      'white power|pride|supremacy|supremacist|supremacists|nationalist|nationalists|nationalism|genocide|unity|nation|race|brotherhood|identity',
      'white lives matter',
      'master race',
      'race war',
      'race mixing|mixer|mixers|traitor|traitors',
      'racial holy war',
      'rahowa',
      'ethnic cleansing',
      'heil hitler',
      'sieg heil',
      'hail victory',
      '1488',
      '14 words',
      'zog',
      'aryan%',
      'great replacement',
      'useless eaters',
      'jewish question',
      'race realism|realist|realists',
      'rapefugee|rapefugees',
      'untermensch',
      'mud people|race|races',
      'subhuman|subhumans',
      'nigger%',
      'kike|kikes',
      'wetback|wetbacks',
      'raghead|ragheads|towelhead|towelheads',
      'faggot|faggots',
      'beaner|beaners',
      'gook|gooks',
      'go back where you came from',
      'go back to where you came from',
      'go back to your country|countries',
      'go back to africa|mexico|china|india|asia|pakistan|somalia|haiti',
      'send them all back',
      'deport them all',
      'kill all|every * jews|muslims|blacks|gays|immigrants|mexicans|arabs|asians|refugees|christians|catholics',
      'your kind isnt|arent|wont|never|not|dont|doesnt|will|should|belong|are|is',
    ],
    weak: PROTECTED_GROUPS,
    context: HOSTILE_LANGUAGE,
    window: 20,
    // Where groups are named innocently: immigration lawyers and immigrant-rights groups, cuisines
    // and cultural events, congregations and their schools, women's clubs and classes.
    unless: [
      'immigration law|lawyer|lawyers|attorney|attorneys|services|office|court|appointment|firm|clinic|status|hearing',
      'immigrant|immigrants|refugee|refugees facing|rights|legal|support|resource|resources|welcome',
      'mexican|chinese|indian|asian|korean|japanese|vietnamese|filipino|arab|african|latino|latina|hispanic|pakistani|haitian|somali|israeli|palestinian food|foods|restaurant|restaurants|cuisine|buffet|grill|kitchen|takeout|fusion|bbq|market|grocery|bakery|deli|cafe|dish|dishes|style|street|dinner|lunch|brunch|night|fiesta|festival|new|heritage|history|culture|cultural|art|music|dance|film|chamber|scholarship|scholarships|studies|association|alliance|council|fund|foundation|caucus|veterans',
      'catholic|christian|jewish|muslim|islamic|sikh|hindu|buddhist|mormon charities|charity|church|churches|school|schools|academy|college|university|center|centre|temple|youth|camp|bookstore|deli|bakery|high|services|service|heritage|history|holiday|holidays|festival|prayer|mass|radio|music|singles',
      'women|woman|female health|clinic|center|centre|shelter|club|clubs|league|soccer|basketball|volleyball|softball|golf|conference|history|day|self|retreat|ministry|intro|night|circle|group|networking|business|veterans|cancer|fitness|yoga|bible|class|classes|only|team|teams|athletes|entrepreneurs|empowerment|apparel|clothing|shoes|boots|jeans|fashion|sizes|cut',
      'gay|lesbian|lgbt|lgbtq|queer|transgender pride|bar|bars|chorus|film|book|youth|history|support|center|centre',
    ],
  },
  // -------------------------------------------------------------------------------------------
  {
    category: 'fraud.phishing_impersonation',
    strong: [
      // look-alike links: security words dressed up as a domain
      `${LOOKALIKE_DOMAIN_WORDS} ${LINK_ENDINGS}`,
      'secure|security|verify|verification|login|copyright|help help|top',
      'secure|security|verify|verification|login|restore|renewal|acct|account co',
      ...[...IMPERSONATED_BRANDS, ...CARRIERS_AND_SHOPS, ...PAYMENT_APPS].map((brand) => `${brand} ${BRAND_DOMAIN_WORDS} * ${LINK_ENDINGS}|co|help|shop|info`),
      'gov % com|net|org|info|co|top|xyz|site|click|link',
      // credentials
      'verify|confirm|validate|reenter|provide|send your * ssn|pin|passcode|credentials',
      'bank login|logins',
      'date of birth * bank|ssn|social',
      'reply|respond|text|send * last 4|four of your ssn|social',
      'reply|respond|text * with * ssn|pin|password',
      'reply|respond|text * with * card number',
      // one-time codes
      'reply|respond with * code|codes',
      'send|forward|give|tell|read * me|us * the|that|this * code|codes',
      'code|codes * we|i * just sent|texted',
      'accidentally sent|send|texted * code|codes',
      'google voice * code|codes|verification',
      // gift cards as payment
      'pay|paying|payment by|in gift card|cards',
      'pay|paying|payment by|in|with * apple|google|itunes|steam|amazon|target|walmart|ebay|vanilla gift card|cards',
      'pics|pictures|photos|photo|picture of the|those * code|codes',
      // accounts, services and documents threatened
      'account|acct|access|id|banking|card|page|profile|membership|license|service|services * will be|has been|is|was|have been * suspended|locked|frozen|disabled|restricted|deactivated|terminated|deleted|removed|flagged|blocked|compromised|disconnected ** verify|confirm|restore|reactivate|activate|re|validate|update|appeal|here|immediately|login|unless|click|tap',
      'copyright complaint|complaints|infringement|violation',
      'to avoid deactivation|arrest|prosecution|jail',
      'unusual|suspicious|irregular|unauthorized activity|charge|charges|login|sign|transaction|transactions ** click|login|tap|restore',
      'lock it here',
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
      ...near(['hi|hey mom|mum|dad|grandma|grandpa|nana|granny'], ['new number', 'phone fell|broke|died|dropped|broken', 'in trouble', 'send|need money', 'police station']),
      ...near(['your manager|boss|ceo|supervisor', 'in a meeting'], ['gift card|cards']),
      // a real brand's name on a charge the message then disowns, with a number to call
      ...near(CALLBACK_BRANDS, ['not you', "wasn't|wasnt you", "didn't|didnt|not authorize|authorise|recognize|recognise", 'fraud unit|department', 'specialist will call']),
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
      'disconnected * today|tonight|hours',
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
    weak: ["you've won", 'you have won', "you've been chosen", 'you have been chosen', 'reward points * expire|expiring', 'stimulus payment|payments|check|checks'],
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
    weak: [
      "i'm|im in trouble",
      'i am in trouble',
      "don't|dont tell mom|dad|mum",
      'do not tell mom|dad|mum',
    ],
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
  // -------------------------------------------------------------------------------------------
  {
    category: 'age_gated.firearms',
    strong: [
      'gun|guns|firearm|firearms|rifle|rifles|pistol|pistols|handgun|handguns|shotgun|shotguns|ammo|ammunition|revolver|revolvers|9mm|suppressor|suppressors|silencer|silencers',
      // not "Tikka" (tikka masala) nor "Hi-Point" ("hi, point me to")
      'glock|glocks|mossberg|beretta|berettas|ruger|rugers|kimber|benelli|walther|bushmaster|hornady|creedmoor|buckshot|birdshot|centerfire|rimfire|fmj|jhp|gunsmith|gunsmithing|gunsmiths|gunworks',
      'smith wesson',
      'sig sauer',
      'heckler koch',
      'kel tec',
      'desert eagle',
      'ar|ak 15|47|10|74',
      'ak kit|kits|pattern|flats|parts|build',
      'hollow point|points',
      'sporting clays',
      'skeet|trap shooting',
      'clay shooting',
      'shooting range|ranges|club|clubs|sports|lane|lanes|bay|bays|class|classes|lesson|lessons|instructor|instructors|center|supplies|supply',
      'concealed carry|weapon|weapons',
      'ccw',
      'ffl|ffls',
      'bump stock|stocks',
      'forced reset trigger|triggers',
      'binary trigger|triggers',
      'lower|upper receiver|receivers',
      'receiver kit|kits',
      'bolt carrier',
      'high cap|capacity mag|mags|magazine|magazines',
      'drum mag|mags|magazine|magazines',
      '# round|rd drum|drums|mag|mags|magazine|magazines',
      'ghost gun|guns',
      'bore snake|snakes',
      'carbine|carbines|muzzleloader|muzzleloaders|shotshell|shotshells|sks|22lr|garand',
      'savage arms',
      'springfield armory',
      'daniel defense',
      'firing range|ranges',
      // "Remington" is also a hotel, a college and a shaver
      ...near(['remington'], ['870|700|1100|597|7600|783|model|pawn|layaway|deer|hunting|caliber|gauge']),
    ],
    unless: [
      'glue|nail|staple|heat|spray|water|massage|caulk|caulking|grease|squirt|nerf|top|smoking|radar|temperature|paint|foam|airbrush|price|label|glitter|tattoo|soldering|hot|bubble|steam|tape|rivet|hose|pressure|sealant|silicone|grout|drywall|texture|screw|impact|cap|toy|laser|thermometer|dart|confetti|snow|speed|caulk|lint|hired|big|flare gun|guns',
      'water|squirt|nerf|cap|toy|starter|starting|bubble|laser|dart pistol|pistols|rifle|rifles',
      'pistol grip * nozzle|nozzles|sprayer|sprayers|hose|hoses',
      'gun|guns n roses',
      'gun metal',
      'jump the gun',
      'stick to your guns',
      'son of a gun',
      'under the gun',
      'guns blazing',
      // "revolving" stems like "revolver"
      'revolver credit|door|doors|balance|balances|line|lines|account|accounts|debt|loan|loans|fund|funds|sushi|stage|restaurant',
      'move|moving|mover|movers|piano|pianos|heavy ** gun safe|safes',
    ],
    escalate: [
      'no background check|checks',
      'no bkgrnd|bg check|checks',
      'no serial|serials',
      'serial|serials * filed|removed|scratched|ground',
      'unregistered',
      'never registered',
      'no paperwork|papers|questions|records|id',
      'no id check|checks',
      'ghost gun|guns',
      'untraceable',
      'no ffl',
      'off the books',
      'no waiting period',
    ],
  },
  {
    // Makers' and models' names, slang, calibres and parts that are innocent alone ("Remington shaver", "12 gauge wire", "saw off the branch").
    category: 'age_gated.firearms',
    weak: [
      // Springfield, Winchester, Colt, Taurus and Hellcat are also towns, a football team and cars
      'draco|blick|glizzy',
      'snub|snubby|snubnose',
      '10|12|20|28|410 gauge|ga',
      '12ga|20ga|410ga',
      '# rd|rds',
      '1000rds|500rds|100rds|50rds',
      'holster|holsters',
      'cerakote',
    ],
    context: [
      'gun|guns|rifle|rifles|pistol|pistols|shotgun|shotguns|ammo|9mm|caliber|calibre|38|357|380|223|308|556|410|870|1911|sawed',
      'box|boxes|slugs|buck|buckshot|fmj|drum|drums|mag|mags|magazine|magazines|barrel|trigger|stock|jig|receiver|build|ffl|serial|serials',
      'background check',
      'pawn|layaway|priced|transfer|4473|scope|scopes|optic|optics|round|rounds',
      'red dot|dots',
      'hold it',
      'came in',
      'hunting|hunters|deer|dove|duck|turkey|range|lane|lanes|shooting|tactical|arms|armory|outdoors',
      'sporting goods',
      'brass|bullets|cci|hodgdon',
      'no papers|records|questions|id',
      'hmu|offload',
    ],
    window: 10,
    unless: [
      'golf rounds',
      'round|rounds of golf|drinks|interviews|applause|voting',
      'driving range',
      'price range',
      'nail|nails|brad|finish|framing|staple gun|guns|nailer|nailers',
      '# gauge|ga wire|wires|cord|cords|extension|steel|sheet|copper|cable|cables|needle|needles|nail|nails|brad|brads|staple|staples|stainless|aluminum|galvanized|speaker|earring|earrings',
      'remington shaver|shavers|trimmer|trimmers|razor|razors|hair|dryer|straightener|curling',
    ],
  },
];
