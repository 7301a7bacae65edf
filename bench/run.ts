/**
 * `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name, every benchmark in
 * turn. Each benchmark prints what it likes, then exactly one JSON object as its last line.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

interface Benchmark {
  run(args: string[]): Promise<Record<string, unknown>>;
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const available = readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
    .map((f) => f.replace(/\.ts$/, ''));
  const chosen = name ? [name] : available;
  for (const bench of chosen) {
    if (!available.includes(bench)) {
      console.error(`no benchmark "${bench}"; there are: ${available.join(', ')}`);
      process.exit(2);
    }
    const mod = (await import(path.join(__dirname, `${bench}.ts`))) as Benchmark;
    const result = await mod.run(args);
    console.log(JSON.stringify({ bench, ...result }));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
