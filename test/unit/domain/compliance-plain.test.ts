import { judgeMessage, THRESHOLDS } from '../../../src/domain/compliance/judge';
import { heldRate } from '../../../src/domain/compliance/evaluation';
import { CategoryModel } from '../../../src/domain/compliance/classifier';
import categoryModel from '../../../src/domain/compliance/models/category-model.json';
import { readPlainMessages } from '../../support/plain-messages';

describe('plain messages are not held (issue 11, precision on real traffic)', () => {
  it.each(['What time is my appointment?', 'Can you call me back?', 'Running about 10 minutes late, sorry!', '¿A qué hora es mi cita?'])(
    'lets %j through',
    (body) => {
      expect(judgeMessage(body)).toEqual({ findings: [], blocked: false });
    },
  );

  it('holds at most 1.5 % of the plain probe messages (measured 2 of 147; 20 of 147 on the corpus prior)', () => {
    const plain = readPlainMessages();
    expect(plain.length).toBeGreaterThanOrEqual(140);
    expect(heldRate(plain, (t) => judgeMessage(t))).toBeLessThanOrEqual(0.015);
  });

  it('the gate says legitimate when it knows no feature of the message (its prior is a deployment prior)', () => {
    const model = CategoryModel.fromJSON(categoryModel);
    expect(model.flagLogOdds([], THRESHOLDS.gatePriorLogOdds)).toBe(THRESHOLDS.gatePriorLogOdds);
    expect(THRESHOLDS.gatePriorLogOdds).toBeLessThan(0);
    expect(model.flagLogOdds(['zzqx-unknown'], THRESHOLDS.gatePriorLogOdds)).toBeLessThan(THRESHOLDS.modelAlone);
  });
});
