import { contentClearance, type ContentReviewState, type StoredJudgement } from '../../../src/domain/compliance/clearance';

const judged = (...verdicts: Array<'block' | 'review' | 'warn'>): StoredJudgement => ({
  blocked: verdicts.some((v) => v !== 'warn'),
  findings: verdicts.map((verdict, i) => ({ verdict, reason: `reason ${i + 1}` })),
});

describe('contentClearance: may this campaign content be sent?', () => {
  it.each<[string, StoredJudgement, ContentReviewState, string]>([
    ['nothing found', judged(), null, 'cleared'],
    ['only warnings', judged('warn'), null, 'cleared'],
    ['a block', judged('block'), null, 'blocked'],
    ['a block, even if someone approved a review', judged('block', 'review'), 'approved', 'blocked'],
    ['a review nobody decided yet', judged('review'), 'pending', 'awaiting_review'],
    ['a review staff approved', judged('review', 'warn'), 'approved', 'cleared'],
    ['a review staff rejected', judged('review'), 'rejected', 'rejected'],
    ['an old judgement that stored severity', { blocked: true, findings: [{ severity: 'block', reason: 'old' }] }, null, 'blocked'],
  ])('%s', (_name, scan, state, expected) => {
    const clearance = contentClearance(scan, { state, reason: 'staff said so' });
    expect(clearance.cleared ? 'cleared' : clearance.why).toBe(expected);
  });

  it('says why, with the findings and the staff reason', () => {
    expect(contentClearance(judged('block', 'block'), { state: null, reason: null })).toEqual({
      cleared: false,
      why: 'blocked',
      reason: 'This message cannot be sent: reason 1; reason 2',
    });
    expect(contentClearance(judged('review'), { state: 'rejected', reason: 'No age gate.' })).toMatchObject({
      reason: expect.stringContaining('No age gate.'),
    });
  });
});
