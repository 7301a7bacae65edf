import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv6 } from 'node:net';
import type { RequestHandler } from 'express';
import { bearerTokenOf } from './auth';
import { HttpProblem } from './problem';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8 and ::1, IPv4-mapped forms included. */
function isLoopback(address: string | undefined): boolean {
  return !!address && LOOPBACK.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}

// Digests have one length whatever was sent, so timingSafeEqual can compare them and neither
// the token's content nor its length shows in the response time.
const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who may read `/metrics` (request counts by route, process figures: a map of the platform for
 * whoever reads it). With METRICS_TOKEN set, whoever sends it as a Bearer token; without it,
 * clients on this host only. `req.ip` honours TRUST_PROXY, so a request relayed by a proxy on
 * this host counts as the client it names, not as loopback.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, _res, next) => {
    if (expected) {
      const presented = bearerTokenOf(req);
      if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return next();
      return next(
        new HttpProblem(
          401,
          'Unauthorized',
          'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".',
          {},
          { 'WWW-Authenticate': 'Bearer realm="metrics"' },
        ),
      );
    }
    if (isLoopback(req.ip)) return next();
    next(new HttpProblem(403, 'Forbidden', '/metrics answers clients on this host only; set METRICS_TOKEN to scrape it from elsewhere.'));
  };
}
