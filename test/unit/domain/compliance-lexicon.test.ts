import { judgeMessage } from '../../../src/domain/compliance/judge';

/**
 * Wordings the lexicon itself must recognise (evidence 'term' or 'term in context', whatever the
 * model says), written for these tests in the style of the batch2 messages, and innocent uses of
 * the same words it must let through. Each row was judged otherwise before the terms were added.
 */
describe('the lexicon recognises', () => {
  it.each([
    ['LSD and MDMA sold together', 'party at the warehouse sat, my guy has tabs & rolls, bring cash', 'substances.illegal_drugs'],
    ['heroin by the bundle', 'fresh dope bundles, new stamp, hmu', 'substances.illegal_drugs'],
    ['crack priced in dimes', 'crack on deck, dimes all night, come thru', 'substances.illegal_drugs'],
    ['a prize released for a fee', 'You won $5,000! To claim your winnings pay the $40 processing fee today', 'fraud.phishing_impersonation'],
    [
      'a payment waiting for a bank link',
      'PayPal: $300 is waiting for you. To accept, link your bank account at pp-receive.net',
      'fraud.phishing_impersonation',
    ],
    ['a full mailbox lure', 'Your Outlook mailbox is full. Log in now to keep receiving email', 'fraud.phishing_impersonation'],
    ['a shut-off paid by payment app', 'City Power: disconnection at 4pm for nonpayment. Pay now by Zelle to 555-0100', 'fraud.phishing_impersonation'],
    ['an adult shop', 'New restraints, whips and blindfolds for bedroom play, 20% off this week', 'sexual_content'],
    ['a Spanish escort ad', 'Chicas de compañía disponibles esta noche, discreción total', 'sexual_content'],
    ['a stake with a dollar sign', '$25 buy-in for Thursday cards, loser buys pizza', 'gambling'],
    ['a pot to the winner', 'Office pick em pool for the playoffs, winner takes the pot', 'gambling'],
    ['a Spanish betting promo', 'Apuesta al clásico este domingo y duplica tu depósito', 'gambling'],
    ['priced margaritas', 'Taco Tuesday on the patio: $5 margs and $2 tacos', 'age_gated.alcohol'],
    ['a free glass of wine', 'Shop late Thursday and enjoy a free glass of rosé on us', 'age_gated.alcohol'],
    ['a threat aimed at the reader', 'everyone hates you, go kill yourself', 'hate'],
    ['a white-only slogan for a place', 'Keep Maple Grove white. Flyers go out Friday night', 'hate'],
    ['a request sent to several businesses', 'Your info has been sent to 4 roofers near you, expect calls today', 'lead_generation'],
    ['a broker naming funders', 'We work with 60+ funders to get your business approved this week', 'high_risk_financial.third_party_loans'],
    ['a debt sold to a buyer', 'We purchased your old store card account and can settle it for $300 today', 'debt.third_party_collection'],
    ['a lever-action rifle', 'Lever action .44 mag just came in, call to hold one', 'age_gated.firearms'],
    ['a money multiplier', 'Put $150 in today and get $1,200 back by Friday, ask me how', 'get_rich_quick'],
    ['a task scam', "Finish today's task set to unlock double commission, top up $50 first", 'get_rich_quick'],
    ['an options alert with entries and exits', 'QQQ 0DTE puts, entry 1.10, target 2.00, members get it live', 'high_risk_financial.crypto_and_investing'],
    ['a Spanish stock-signals group', 'Únete a nuestro grupo de trading, señales de acciones diarias', 'high_risk_financial.crypto_and_investing'],
    ['auto sears', 'drop-in auto sears back in stock, ships discreet', 'age_gated.firearms'],
    ['a straw purchase', "can't pass the background check? I'll buy one in my name for you", 'age_gated.firearms'],
    ['Spanish weed slang', 'ya tengo mota nueva, la onza a buen precio', 'substances.cannabis_cbd_kratom'],
    ['dispensary flower with tinctures', 'Members save 15% on flower and tinctures all week', 'substances.cannabis_cbd_kratom'],
    ['bills rolled into one payment', 'Merge your payday loans into 1 payment and breathe again, call today', 'debt.relief'],
    [
      'a tech-support scam',
      'Windows Defender found malware on your computer. Call our certified technician at 1-800-555-0100 now',
      'fraud.phishing_impersonation',
    ],
    ['a Spanish fast loan', 'Préstamos rápidos de $300 a $900, solo traiga su talonario de pago', 'high_risk_financial.payday_loans'],
    ['a fireworks tent', 'BIG BOOMS tent open all week til the 4th, follow the flags', 'restricted_articles.fireworks'],
    ['balances erased', 'Borrowers are seeing balances erased under the new program, check eligibility', 'debt.relief'],
    // batch 3 (train half): each wording rewritten in new words
    ['ecstasy by its Spanish street name', 'quien quiere tachas para el sábado? tengo de las rosas', 'substances.illegal_drugs'],
    ['cocaine sold by the gram in Spanish', 'tengo perico fino, 2 gramos por 100', 'substances.illegal_drugs'],
    ['meth by a street weight', 'clear shards, teeners ready tonight, hit my line', 'substances.illegal_drugs'],
    ['money staked on a game', 'spades tournament at my place, $20 on the line per hand', 'gambling'],
    ['a dice game with a pot', 'dice games out back after close, $100 pot, bring cash', 'gambling'],
    [
      'a job interview moved to a chat app',
      'Congrats, your profile fits our remote assistant role. Final interview will be held via WhatsApp, add HR now',
      'fraud.phishing_impersonation',
    ],
    [
      'a caller who wants the PIN ready',
      'Fraud dept here: an agent is calling shortly, please have your card PIN handy to confirm',
      'fraud.phishing_impersonation',
    ],
    ['a request handed to several businesses', "Thanks! We've sent your project info to 5 local painters, they'll reach out soon", 'lead_generation'],
    ['one form seen by every buyer', 'One quick form and every insurer in our network can bid on your policy', 'lead_generation'],
    [
      "a lender's offer passed on by a marketplace",
      'Good news: Summit Lending offers via RateNest are waiting, pick one today',
      'high_risk_financial.third_party_loans',
    ],
    [
      'a receivables firm on a clinic account',
      'Summit Receivables: the balance on the Lakeview Dental account is still open, call us to arrange payment',
      'debt.third_party_collection',
    ],
    ['an adjusting firm with a past-due account', 'Harbor Adjusters re: acct 5521 past due, settle online today', 'debt.third_party_collection'],
    [
      'payment taken for the account of another business',
      'We applied your $60 payment on the account of Riverside Imaging, $240 remains',
      'debt.third_party_collection',
    ],
    ['several banks ready to lend', 'Good news, 4 banks are ready to finance your truck, reply YES to pick one', 'high_risk_financial.third_party_loans'],
    ['a progressive bar raffle', 'Queen of Hearts jackpot sits at $6,800, $1 envelopes sold at the bar Wednesdays', 'gambling'],
    ['a 50/50 half to the winner', 'Booster club needs volunteers to sell 50/50 tix at halftime, winner takes half', 'gambling'],
    ['Spanish scratch cards with prizes', 'Nuevos raspaditos digitales, gana hasta $5,000 al instante', 'gambling'],
    ['cash-paying skill machines', 'New skill machines at the truck stop, jackpots up to $1,000 paid in cash', 'gambling'],
    ['a threat to close a place', 'Shut that clinic down yourselves or we will shut it down for you', 'hate'],
    ['a house of worship as a target', 'Next week the targets are the mosque parking lot and the halal market', 'hate'],
    [
      'an offer made by a marketing partner',
      'Your $3,000 credit line offer was made by one of our marketing partners, accept by Friday',
      'high_risk_financial.third_party_loans',
    ],
    ["a shipper's name in a host it does not own", 'Parcel held at the depot, pick a slot at uspsmycarrier.com/slot', 'fraud.phishing_impersonation'],
    ["a payment app's name run into a host", 'One more step to finish your setup at paypalcenter.net/step2', 'fraud.phishing_impersonation'],
    ['a bare IP address for a renewal', 'Your vehicle registration renewal is ready, open http://45.61.12.9/renew', 'fraud.phishing_impersonation'],
    ["a job offer on a link in a shop's name", 'Remote data entry, $35/hr, register at amazon-staffing.net today', 'fraud.phishing_impersonation'],
    ['snow emoji that just landed', '❄️❄️ just landed, hmu b4 midnight', 'substances.illegal_drugs'],
    ['pill emoji priced each', '💊💊 $15 a pill, slide thru after 9', 'substances.illegal_drugs'],
    ['mushroom emoji restocked', '🍄 restocked, tap in if u want any', 'substances.illegal_drugs'],
  ])('%s', (_name, body, code) => {
    const finding = judgeMessage(body).findings.find((f) => f.code === code);
    expect(finding?.evidence).toMatch(/^term/);
  });
});

describe('the lexicon lets through', () => {
  it.each([
    ['a bar tab and dinner rolls', 'Your tab is $40, the rolls are on the house'],
    ['crystal glassware', 'Crystal wine glasses and decanters 30% off for wedding season'],
    ['a windshield crack', 'Windshield crack repair $49 each, mobile service this week'],
    ['laundry whites', 'Keep your whites white with our new detergent'],
    ['a couples massage', 'Couples massage special, 60 minutes side by side, $160'],
    ['a therapist adjusting a plan', "if the band work is too much, cut the reps in half and we'll adjust Friday"],
    ['a florist', "Fresh flower bouquets for Mother's Day, order by Friday for delivery"],
    ['a high-calibre team', 'Our high calibre staff will have your kitchen done in two weeks'],
    ['a fire department warning about fireworks', 'Maple Fire Dept: fireworks are illegal within town limits. Come to the free show at the lake instead'],
    ['a city notice that fireworks are not allowed', 'Fireworks are not allowed in county parks this year due to the drought.'],
    ['a credit union loan in Spanish', 'Cooperativa Unida: su préstamo de auto fue aprobado. Firme los documentos en la sucursal.'],
    ['a tent sale', 'Boom! The tent sale is on this weekend, 40% off patio sets'],
    ['a payment received', 'Ridgeline College: we received your tuition payment of $1,250. Your account balance is now $0.'],
    ['a restaurant named Casa Blanca', 'Casa Blanca: tacos $2 all night Tuesday'],
    ['a family dice game night', 'Family dice games night at the library Friday, free snacks'],
    ['a bank saying never to share a PIN', 'Chase: we will never ask for your PIN. Keep your card handy when you call us.'],
    ['an ice rink', 'Ice skating party for teens, $8 entry, rentals included'],
    ['a clinic that never shares details', 'We never share your details with other companies. Your visit is Monday at 9.'],
    ["a business's own receivables team", 'Our accounts receivable team is closed Friday, invoices will go out Monday'],
    ['an insurance adjuster about a claim', 'Harbor Adjusters: your roof claim inspection is set for Tuesday at 10'],
    ['a bank with several branches', 'Tri-County Bank: our 4 branches will close early Friday for the holiday'],
    ['an Alice in Wonderland party', 'Queen of Hearts tea party for kids Saturday, costumes welcome'],
    ['a skill game at a kids arcade', 'Try our new skill games at the arcade, win tickets for prizes'],
    ['a church event', 'Our church will host the food drive, volunteers are the heart of it'],
    ['a bank that names its own loan offer', 'Northside Credit Union: your auto loan offer is ready in online banking'],
    ["a shipper's own tracking site", 'Your package arrives Tuesday, details at tools.usps.com/track'],
    ['a restaurant whose name starts like a brand', 'Dinner at Applebees tonight? The menu is at applebees.com'],
    ['a bank linking its own site', 'Chase: your statement is ready at chase.com/statements'],
    ['a snow day with a ride offered', 'Snow day tomorrow, hmu if you need a ride to practice'],
    ['an ice cream social', 'Ice cream social Friday, lmk how many scoops for your table'],
    ['a pill organizer order', 'Your pill organizer shipped today, lmk if the size is wrong'],
  ])('%s', (_name, body) => {
    expect(judgeMessage(body).findings).toEqual([]);
  });
});
