/**
 * Builds the browser console (src/console/web) into dist/console: app.js (Preact + htm, one
 * bundle), app.css (Pico, uPlot's styles, ours) and index.html. Run by `prepare` (so `npm ci`
 * and `npm install` build it), by `npm start` and the test setup when it is missing or stale.
 *
 *   tsx scripts/build-console.ts            build
 *   tsx scripts/build-console.ts --if-stale build only when a source is newer than the bundle
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '..');
export const CONSOLE_SOURCE_DIR = path.join(root, 'src/console/web');
export const CONSOLE_DIST_DIR = path.join(root, 'dist/console');
/** Written last: its presence means a whole build. */
const INDEX = path.join(CONSOLE_DIST_DIR, 'index.html');

/** The newest change among what goes into the bundle: the sources, this script, the installed packages' lock. */
function newestSourceChange(): number {
  const times = [statSync(__filename).mtimeMs];
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(lock)) times.push(statSync(lock).mtimeMs);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else times.push(statSync(full).mtimeMs);
    }
  };
  walk(CONSOLE_SOURCE_DIR);
  return Math.max(...times);
}

export function consoleBuildIsStale(): boolean {
  return !existsSync(INDEX) || statSync(INDEX).mtimeMs < newestSourceChange();
}

export async function buildConsole(): Promise<{ ms: number; bytes: Record<string, number> }> {
  const started = Date.now();
  // Built aside, then each file renamed into place (index.html last): a server or a concurrent
  // build never sees half a file, whoever else builds at the same time.
  const staging = `${CONSOLE_DIST_DIR}.staging-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(CONSOLE_DIST_DIR, { recursive: true });
  try {
    const result = await build({
      entryPoints: [
        { in: path.join(CONSOLE_SOURCE_DIR, 'main.ts'), out: 'app' },
        { in: path.join(CONSOLE_SOURCE_DIR, 'app.css'), out: 'app' },
      ],
      outdir: staging,
      bundle: true,
      minify: true,
      sourcemap: 'linked',
      format: 'esm',
      target: ['es2022'],
      // The tsconfig of the browser code (its own, with DOM types), not the repo's.
      tsconfig: path.join(CONSOLE_SOURCE_DIR, 'tsconfig.json'),
      legalComments: 'linked',
      logLevel: 'warning',
      metafile: true,
    });
    const bytes: Record<string, number> = {};
    for (const [file, output] of Object.entries(result.metafile.outputs)) bytes[path.basename(file)] = output.bytes;
    // Each asset's URL names its content, so a browser never mixes a new page with an old cached bundle.
    const version = (file: string) =>
      createHash('sha256')
        .update(readFileSync(path.join(staging, file)))
        .digest('hex')
        .slice(0, 12);
    writeFileSync(path.join(staging, 'index.html'), indexHtml(version('app.js'), version('app.css')));
    const files = readdirSync(staging).sort((a, b) => Number(a === 'index.html') - Number(b === 'index.html'));
    for (const file of files) renameSync(path.join(staging, file), path.join(CONSOLE_DIST_DIR, file));
    return { ms: Date.now() - started, bytes };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function indexHtml(jsVersion: string, cssVersion: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>clearsend console</title>
    <!-- No icon: an empty one, so the browser does not ask for /favicon.ico. -->
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/console/app.css?v=${cssVersion}" />
    <script type="module" src="/console/app.js?v=${jsVersion}"></script>
  </head>
  <body>
    <div id="app"><noscript>The clearsend console needs JavaScript.</noscript></div>
  </body>
</html>
`;
}

/** Builds when missing or older than its sources; says so on `log` when it does. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => undefined): Promise<void> {
  if (!consoleBuildIsStale()) return;
  const { ms } = await buildConsole();
  log(`built the console into ${path.relative(root, CONSOLE_DIST_DIR)} in ${ms} ms`);
}

if (require.main === module) {
  const onlyIfStale = process.argv.includes('--if-stale');
  (onlyIfStale && !consoleBuildIsStale() ? Promise.resolve(undefined) : buildConsole()).then(
    (built) => {
      if (!built) return process.stdout.write('console bundle is up to date\n');
      const sizes = Object.entries(built.bytes)
        .filter(([name]) => !name.endsWith('.map'))
        .map(([name, size]) => `${name} ${(size / 1024).toFixed(1)} KB`)
        .join(', ');
      process.stdout.write(`built the console into dist/console in ${built.ms} ms (${sizes})\n`);
    },
    (err: unknown) => {
      process.stderr.write(`console build failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
