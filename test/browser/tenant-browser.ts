import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectPageErrors } from '../support/browser';

/**
 * A fresh context and page for one tenant session (downloads allowed, for the CSV links), and the
 * page's errors: uncaught exceptions and console errors such as a CSP refusal. A 4xx the page asked
 * for and shows (a wrong code, a 404) is logged by Chromium as "Failed to load resource": that is
 * the API answering, not the page failing, so it is left out.
 */
export async function tenantPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page; errors: () => string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const seen = collectPageErrors(page);
  return { context, page, errors: () => seen.filter((e) => !e.includes('Failed to load resource')) };
}
