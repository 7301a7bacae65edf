import type { LexiconRule } from './rule';

/**
 * `hate`: hate speech and threats of violence (policy and sources: ../policy/conduct.ts): a
 * protected group named next to dehumanising, exclusionary or threatening language.
 */

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

export const HATE_LEXICON: LexiconRule[] = [
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
  {
    // Threats and calls for harm aimed at the reader, with no group named, and white-only slogans
    // for a place ("keep our town white").
    category: 'hate',
    strong: [
      'kill yourself|yourselves|urself|yourslf',
      'die in a fire',
      'hope you|u and * die',
      'hope you|u die',
      'watch your back ** waiting|tonight|leave|leaving|home|know|coming',
      'we know what you did',
      'keep * white',
      'keep * * white',
      'america|country|nation|town|neighborhood|city|state for whites',
      'whites only',
      // a threat to a place: close it, or be closed; a house of worship named as a target
      'or we will|well close|shut|burn them|it|you ** for you|down',
      'targets are|is|include * synagogue|synagogues|mosque|mosques|temple|temples|gurdwara|gurdwaras|church|churches',
      '14 88',
      "don't|dont|never sell|rent|lease to blacks|mexicans|jews|muslims|immigrants|arabs|asians|gays|hispanics|latinos",
      'do not sell|rent|lease to blacks|mexicans|jews|muslims|immigrants|arabs|asians|gays|hispanics|latinos',
    ],
    unless: [
      'keep * whites|teeth|smile|shirt|shirts|sneakers|grout|linens|laundry|socks|towels|sheets * white',
      'keep * white wine|wines',
      'keep it|them white',
    ],
  },
];
