import { classifyInboundKeyword } from '../../src/domain/keywords';

describe('inbound keywords (Twilio default opt-out handling)', () => {
  it.each([
    ['STOP', 'opt-out'],
    ['stop', 'opt-out'],
    ['  Stop  ', 'opt-out'],
    ['stop.', 'opt-out'],
    ['STOPALL', 'opt-out'],
    ['unsubscribe', 'opt-out'],
    ['Cancel', 'opt-out'],
    ['END', 'opt-out'],
    ['quit', 'opt-out'],
    ['REVOKE', 'opt-out'],
    ['optout', 'opt-out'],
    ['START', 'opt-in'],
    ['yes', 'opt-in'],
    ['Unstop', 'opt-in'],
    ['HELP', 'help'],
    ['info', 'help'],
    ['stop sending me these', null],
    ['please stop', null],
    ['opt out', null],
    ['STOP STOP', null],
    ['', null],
    ['Yes please', null],
  ])('%j is %s', (body, kind) => {
    expect(classifyInboundKeyword(body)).toBe(kind);
  });
});
