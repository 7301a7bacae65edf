import { campaignTextProblem } from '../../../src/domain/a2p-campaign';
import { registrationCorrectionProblem, type FailedStep } from '../../../src/domain/registration-correction';

const sample = (n: number) => `Acme: message number ${n}, reply STOP to opt out.`;
const flow = 'Customers opt in by ticking an unticked box on the signup form.';

describe('registrationCorrectionProblem', () => {
  it.each<[string, unknown, FailedStep, RegExp | undefined]>([
    ['a corrected EIN for a brand', { business: { ein: '12-3456789' } }, 'brand', undefined],
    ['a corrected legal name for a profile', { business: { legalName: 'Acme Dental LLC' } }, 'profile', undefined],
    ['new samples for a campaign', { campaign: { samples: [sample(1), sample(2)] } }, 'campaign', undefined],
    ['a new description for a toll-free verification', { campaign: { description: flow } }, 'tollfree', undefined],
    ['not an object', 'ein=123', 'brand', /an object/],
    ['nothing', {}, 'brand', /changes nothing/],
    ['campaign text for a brand failure', { campaign: { description: flow } }, 'brand', /through business, not campaign/],
    ['business facts for a campaign failure', { business: { ein: '123456789' } }, 'campaign', /through campaign, not business/],
    ['an EIN of 8 digits', { business: { ein: '12-345678' } }, 'brand', /9 digits/],
    ['an empty legal name', { business: { legalName: ' ' } }, 'brand', /non-empty/],
    ['a field that cannot be corrected', { business: { address: 'x' } }, 'brand', /business.address cannot/],
    ['a mobile that is not US E.164', { business: { mobile: '4155550100' } }, 'brand', /E\.164/],
    ['one sample', { campaign: { samples: [sample(1)] } }, 'campaign', /2 to 5/],
    ['six samples', { campaign: { samples: [1, 2, 3, 4, 5, 6].map(sample) } }, 'campaign', /2 to 5/],
    ['a short sample', { campaign: { samples: [sample(1), 'hi'] } }, 'campaign', /samples\[1\]/],
    ['a short message flow', { campaign: { messageFlow: 'Web form.' } }, 'campaign', /messageFlow/],
    ['an empty campaign', { campaign: {} }, 'campaign', /at least one/],
  ])('%s', (_name, correction, step, problem) => {
    const found = registrationCorrectionProblem(correction, step);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it('reads campaign text with Twilio’s limits (description and flow 40+, samples 20–1024)', () => {
    expect(campaignTextProblem({ description: 'x'.repeat(40), messageFlow: flow, samples: [sample(1), 'y'.repeat(1024)] })).toBeUndefined();
    expect(campaignTextProblem({ samples: [sample(1), 'y'.repeat(1025)] })).toMatch(/samples\[1\]/);
  });
});
