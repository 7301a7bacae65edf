import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { HttpProblem } from './problem';

/** Where scripts/build-console.ts writes the bundle. */
export const CONSOLE_DIST_DIR = path.resolve(__dirname, '../../dist/console');

/**
 * The console's pages may load only what the API itself serves: no inline script, no other
 * origin, no framing. Pico's icons are data: URLs in its CSS (img-src data:); uPlot and Preact
 * set styles through the DOM (element.style), which style-src 'self' allows.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONSOLE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  });
  next();
};

/**
 * `/console`: the built bundle, and index.html for any other GET below it (the app routes on the
 * client). Mounted after the session routes, so `/console/session` never falls through to here.
 * Without a build: 503 saying how to make one.
 */
export function consoleStaticRoutes(distDir: string = CONSOLE_DIST_DIR): Router {
  const router = express.Router();
  const index = path.join(distDir, 'index.html');
  router.use('/console', securityHeaders);
  router.use(
    '/console',
    express.static(distDir, {
      index: false,
      redirect: false,
      fallthrough: true,
      // Assets are named by content in index.html (?v=<hash>); index.html itself is always revalidated.
      setHeaders: (res) => res.set('Cache-Control', 'no-cache'),
    }),
  );
  router.get(['/console', '/console/{*rest}'], (req, res, next) => {
    // A file that is not there (a stale asset URL) is a 404, not the app's page.
    if (path.extname(req.path)) return next();
    if (!existsSync(index))
      return next(
        new HttpProblem(
          503,
          'Console not built',
          'The browser console has not been built: run `npm run build:console` (npm install, npm ci and npm start build it too), then reload.',
        ),
      );
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
