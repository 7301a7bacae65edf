import { recipientOf } from '../../src/domain/reply-routing';

describe('reply routing', () => {
  it.each([
    ['dana', 'owner', { user: 'dana' }],
    ['dana@clinic.example', 'owner', { user: 'dana@clinic.example', email: 'dana@clinic.example' }],
    [undefined, 'owner', { user: 'owner' }],
    ['  ', 'frontdesk', { user: 'frontdesk' }],
    [undefined, 'desk@clinic.example', { user: 'desk@clinic.example', email: 'desk@clinic.example' }],
    ['dana@', 'owner', { user: 'dana@' }],
  ])('assigned %j, default %j → %j', (assigned, fallback, expected) => {
    expect(recipientOf(assigned, fallback)).toEqual(expected);
  });
});
