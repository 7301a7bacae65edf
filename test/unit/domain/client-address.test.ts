import { clientAddressKey } from '../../../src/domain/client-address';

describe('clientAddressKey: what a per-address limit counts a client under', () => {
  it.each<[string | undefined, string]>([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd:12::/64'],
    ['2001:db8:abcd:12:ffff:1:2:3', '2001:db8:abcd:12::/64'],
    ['2001:0DB8:ABCD:0012::9', '2001:db8:abcd:12::/64'],
    ['2001:db8:abcd:13::1', '2001:db8:abcd:13::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not an address', 'unknown'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('%j → %s', (address, key) => {
    expect(clientAddressKey(address)).toBe(key);
  });
});
