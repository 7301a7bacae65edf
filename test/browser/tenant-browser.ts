import type { Browser, BrowserContext } from 'playwright-core';

/**
 * A fresh context for one tenant session, with reduced motion: Pico's colour transitions (0.2 s)
 * are then off, so axe, run right after expectAccessible switches to the dark scheme, measures the
 * final colours rather than a link caught half-way (it reported 3.42:1 for #0172ad on the dark
 * background; the settled colours pass).
 */
export function tenantContext(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ viewport, acceptDownloads: true, reducedMotion: 'reduce' });
}
