import ipaddr from 'ipaddr.js';

/**
 * The key a client's address is counted under by per-address limits. An IPv4 address (also
 * when it arrives IPv4-mapped, `::ffff:192.0.2.1`) is itself; an IPv6 address counts as its
 * /64, because one subscriber is usually handed a whole /64 and could otherwise take a fresh
 * address for every request. Anything unreadable counts together under one key.
 */
export function clientAddressKey(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(':')}::/64`;
}
