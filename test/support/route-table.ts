import type { Express } from 'express';

/** One method and path the app answers, e.g. `POST /v1/campaigns/:id/cancel`. */
export type RouteKey = `${string} /${string}`;

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle: unknown;
  rawPath?: unknown;
}

/** A Router is a function with a `stack`; anything else in a stack is middleware. */
const stackOf = (handle: unknown): Layer[] | undefined => {
  if (typeof handle !== 'function') return undefined;
  const { stack } = handle as { stack?: unknown };
  return Array.isArray(stack) ? (stack as Layer[]) : undefined;
};

/**
 * Every route of an Express 5 app, read from its own router (`app.router` and the routers
 * mounted in it, at any depth), as `METHOD /path` with the path as written in the route.
 * Hand-written because express-list-endpoints reads Express 4's `app._router` and layer
 * regexps, which Express 5's router no longer has; this one reads `layer.rawPath` (router
 * 2.3) and throws on anything it cannot name, so a route never goes unseen.
 */
export function routeTable(app: Express): RouteKey[] {
  const routes = new Set<RouteKey>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? (layer.route.path as unknown[]) : [layer.route.path];
        for (const path of paths) {
          if (typeof path !== 'string')
            throw new Error(`a route under "${prefix || '/'}" has a path that is not a string (${String(path)}): give it a string path`);
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on) routes.add(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${prefix}${path}` as RouteKey);
          }
        }
        continue;
      }
      // Express 5 mounts a sub-app behind a closure that hides its routes: refuse it rather than miss them.
      if ((layer.handle as { name?: string }).name === 'mounted_app')
        throw new Error(`a sub-app is mounted under "${prefix}${String(layer.rawPath)}": mount a Router instead, whose routes can be listed`);
      const nested = stackOf(layer.handle);
      if (!nested) continue;
      if (typeof layer.rawPath !== 'string') throw new Error(`a router mounted under "${prefix || '/'}" has no string mount path (${String(layer.rawPath)})`);
      walk(nested, prefix + (layer.rawPath === '/' ? '' : layer.rawPath.replace(/\/$/, '')));
    }
  };
  walk(app.router.stack as Layer[], '');
  return [...routes].sort();
}
