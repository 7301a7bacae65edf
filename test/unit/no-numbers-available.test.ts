import { ApplicationFailure } from '@temporalio/common';
import { callTwilioForNumber } from '../../src/activities/tenant-lifecycle';
import { isNoNumbersAvailable } from '../../src/workflows/tenant-lifecycle/definitions';

/** A Twilio REST error as the twilio library throws it (status, code, message). */
const twilioAnswer = (status: number, code: number) => Object.assign(new Error(`Twilio ${code}`), { status, code, message: `Twilio ${code}` });
const failing = (err: Error) => () => Promise.reject(err);

describe('the number step names its refusal (Twilio codes stay in the activity)', () => {
  it.each([21452, 21421, 21422])('Twilio %i while buying a number is NoNumbersAvailable, not retried', async (code) => {
    const failure = await callTwilioForNumber('buy number', '533', failing(twilioAnswer(400, code))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'NoNumbersAvailable', nonRetryable: true, message: 'No SMS-capable numbers are available in area code 533' });
    expect(isNoNumbersAvailable((failure as ApplicationFailure).type)).toBe(true);
  });

  it('another Twilio answer keeps its code in the type, and is not read as no numbers', async () => {
    const failure = (await callTwilioForNumber('buy number', '533', failing(twilioAnswer(400, 21211))).catch((e: unknown) => e)) as ApplicationFailure;
    expect(failure.type).toBe('TwilioError21211');
    expect(isNoNumbersAvailable(failure.type)).toBe(false);
  });

  it('a transient answer is rethrown as it is, for Temporal to retry', async () => {
    const busy = twilioAnswer(503, 20500);
    await expect(callTwilioForNumber('buy number', undefined, failing(busy))).rejects.toBe(busy);
  });

  it.each([
    ['NoNumbersAvailable', true],
    // Failures recorded before the activity named the refusal still read as no numbers.
    ['TwilioError21452', true],
    ['TwilioError21421', true],
    ['TwilioError21422', true],
    ['TwilioError20003', false],
    [undefined, false],
  ])('failure type %s is no numbers: %s', (type, expected) => {
    expect(isNoNumbersAvailable(type)).toBe(expected);
  });
});
