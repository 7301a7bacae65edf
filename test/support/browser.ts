import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findOnPath, isExecutable } from '../../src/dev/executable-on-path';

/**
 * Browser tests drive Debian's `chromium` package through playwright-core: never a downloaded
 * browser. The browser is CHROMIUM_PATH, else the first `chromium` or `chromium-browser` on
 * PATH. Without one, a CI run (CI=true) fails and a local run skips the browser tests, saying
 * how to install it.
 */
export const INSTALL_HINT = 'apt-get install chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary';

/** Where the browser is, or undefined when there is none. CHROMIUM_PATH must name a runnable file. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) {
    if (!isExecutable(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file`);
    return env.CHROMIUM_PATH;
  }
  for (const name of ['chromium', 'chromium-browser']) {
    const found = findOnPath(name, env);
    if (found) return found;
  }
  return undefined;
}

const chromiumPath = findChromium();

/**
 * `describe` for a browser test file: runs when a browser is found; without one, fails under
 * CI=true and skips locally with a message.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (chromiumPath) return describe(name, body);
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs chromium', () => {
        throw new Error(`No chromium for the browser tests (CI=true): ${INSTALL_HINT}.`);
      });
    });
    return;
  }
  process.stderr.write(`[browser tests] skipping "${name}": no chromium found (CHROMIUM_PATH, or chromium / chromium-browser on PATH). ${INSTALL_HINT}.\n`);
  describe.skip(name, body);
}

/** Headless chromium; one per test file (launching takes about 0.2 s), a fresh context per role. */
export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error(`No chromium for the browser tests: ${INSTALL_HINT}.`);
  // Playwright adds --no-sandbox itself (its default chromiumSandbox: false), which running as root needs.
  return chromium.launch({ executablePath: chromiumPath, headless: true });
}

/** Signs in through the real sign-in page and waits for the signed-in header. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Errors the page reported (uncaught exceptions, console errors such as a CSP refusal), for asserting none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core'), 'utf8');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core on the page as it stands, at desktop width (light) and at 390 px (dark), with reduced
 * motion: fails on any serious or critical violation, naming the rule and the elements. The
 * viewport, scheme and motion are put back afterwards.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const viewport = page.viewportSize() ?? DESKTOP;
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not
  // govern; a <script> tag with axe's source would be refused by it.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  const found: string[] = [];
  for (const [where, size, scheme] of [
    ['desktop', DESKTOP, 'light'],
    ['390 px', PHONE, 'dark'],
  ] as const) {
    await page.setViewportSize(size);
    // Pico eases colours between schemes, and axe would read a colour halfway: reduced motion turns
    // its transitions off (its own prefers-reduced-motion rule), and any other transition is awaited.
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.evaluate(`Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined)))`);
    const violations = await page.evaluate<AxeViolation[]>(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
    );
    for (const v of violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
      found.push(`${where} (${scheme}): ${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
    }
  }
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme: null, reducedMotion: null });
  if (found.length) throw new Error(`axe found serious or critical violations on ${label}:\n  ${found.join('\n  ')}`);
}

const SCREENSHOT_DIR = path.resolve(__dirname, '../../docs/screenshots');

/** docs/screenshots/<name>.png at 1280×800, light, for the README; the viewport is put back afterwards. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const viewport = page.viewportSize();
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: 'light' });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  if (viewport) await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme: null });
  return file;
}
