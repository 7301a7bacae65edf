import { CategoryModel } from '../../../src/domain/compliance/classifier';
import { createJudge, judgeMessage, THRESHOLDS } from '../../../src/domain/compliance/judge';
import categoryModel from '../../../src/domain/compliance/models/category-model.json';

/**
 * When a listed term settles one category and the category model is sure of another, both are
 * named: a broker's offer of payday loans is payday lending and third-party lending.
 */
describe('a message that is two things at once', () => {
  const broker = 'Get your payday loan through BrokerNow, we send your application to the funders we work with';
  const codes = (findings: Array<{ code: string; evidence: string }>) => findings.map((f) => `${f.code} (${f.evidence})`);

  it("names the lexicon's category and the model's", () => {
    expect(codes(judgeMessage(broker).findings)).toEqual(['high_risk_financial.payday_loans (term)', 'high_risk_financial.third_party_loans (model)']);
  });

  it('names only the listed category when the setting is off', () => {
    const lexiconOnly = createJudge(CategoryModel.fromJSON(categoryModel), { ...THRESHOLDS, alsoModelCategory: Infinity });
    expect(codes(lexiconOnly(broker).findings)).toEqual(['high_risk_financial.payday_loans (term)']);
  });

  it.each([
    ['a payday store', 'Payday loans up to $500 tonight, apply at our store today', ['high_risk_financial.payday_loans (term)']],
    ['a sportsbook', 'Sports betting: bet $10 get $200 in bonus bets tonight', ['gambling (term)']],
  ])('names one category for %s, whose model agrees', (_name, body, expected) => {
    expect(codes(judgeMessage(body).findings)).toEqual(expected);
  });
});
