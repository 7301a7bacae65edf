import type { Request, Response } from 'express';
import { ApplicationFailure } from '@temporalio/common';
import pino from 'pino';
import { errorHandler, notFoundHandler, HttpProblem } from '../../src/api/problem';
import { contactsFromCsv } from '../../src/api/routes/contact-schemas';
import { rethrowTwilioError, twilioMessageOf } from '../../src/twilio/errors';

/** Error answers and failure texts (issue 15): they may name a field, never say a phone number back. */
function answer(run: (res: Response) => void): { status: number; body: Record<string, unknown> } {
  const sent = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    status(s: number) {
      sent.status = s;
      return res;
    },
    type: () => res,
    set: () => res,
    send(text: string) {
      sent.body = JSON.parse(text) as Record<string, unknown>;
      return res;
    },
  } as unknown as Response;
  run(res);
  return sent;
}

describe('problem details do not echo phone numbers', () => {
  it('a malformed JSON body: the parser quotes the body, the answer does not', () => {
    // body-parser's error as it reaches the handler: V8's message quotes the text around the fault.
    const err = Object.assign(new SyntaxError('Unexpected token \'x\', "{"phone": "+14155552671" x}" is not valid JSON'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    const { status, body } = answer((res) => errorHandler(pino({ level: 'silent' }))(err, {} as Request, res, () => undefined));
    expect(status).toBe(400);
    expect(body.detail).toBe('The request body is not valid JSON.');
  });

  it('a route not found: the path is shown with its number redacted', () => {
    const { status, body } = answer((res) => notFoundHandler({ method: 'GET', path: '/v1/contact/+14155552671' } as Request, res, () => undefined));
    expect(status).toBe(404);
    expect(body.detail).toBe('No route for GET /v1/contact/+1…71');
  });

  it('any problem: its detail is said without a number, whatever built it; validation messages keep their example', () => {
    const problem = new HttpProblem(409, 'Conflict', 'The contact +14155552671 exists.', {
      errors: [{ field: 'phone', message: 'must be a valid phone number, preferably in E.164 (+14155552671)' }],
    });
    const { body } = answer((res) => errorHandler(pino({ level: 'silent' }))(problem, {} as Request, res, () => undefined));
    expect(body).toMatchObject({ status: 409, detail: 'The contact +1…71 exists.', errors: [{ message: expect.stringContaining('(+14155552671)') }] });
  });

  it.each([
    ['a stray quote after a number', 'phone,assigned_user\n+14155552671 "x",dana\n', /a quote inside an unquoted field on line 2/],
    ['text after a closing quote', 'phone,assigned_user\n"+14155552671"x,dana\n', /text after a closing quote on line 2/],
    ['a quote never closed', 'phone,assigned_user\n"+14155552671,dana\n', /never closed/],
  ])('a CSV with %s: says what and where, not the field', (_label, csv, detail) => {
    let caught: unknown;
    try {
      contactsFromCsv(csv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HttpProblem);
    expect((caught as HttpProblem).detail).toMatch(detail);
    expect((caught as HttpProblem).detail).not.toContain('4155552671');
  });
});

describe("Twilio's refusals, as activities pass them on", () => {
  const refusal = { status: 400, code: 21211, message: "The 'To' number +15005550001 is not a valid phone number." };

  it('keep the code and the words, with the number redacted', () => {
    expect(twilioMessageOf(refusal)).toBe("The 'To' number +1…01 is not a valid phone number.");
    let failure: unknown;
    try {
      rethrowTwilioError(refusal, 'sending the test message');
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const f = failure as ApplicationFailure;
    expect(f.type).toBe('TwilioError21211');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toBe("sending the test message: Twilio 21211: The 'To' number +1…01 is not a valid phone number.");
    expect(JSON.stringify(f.details)).not.toContain('5005550001');
  });
});
