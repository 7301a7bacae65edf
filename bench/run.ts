/**
 * `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name, every benchmark in
 * turn. Each benchmark prints what it likes, then exactly one JSON object as its last line.
 * That line is also appended to bench/results/<name>.jsonl with the commit and the machine,
 * so every figure the README quotes can be traced to a run.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function provenance() {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: __dirname, encoding: 'utf8' }).trim();
  let commit = 'unknown';
  try {
    // The results files are left out: each run appends to them, so every run after the first of
    // a sitting would otherwise say +dirty of a tree whose code is the commit's.
    const changed = git('status', '--porcelain', '--untracked-files=no', '--', ':(top)', ':(top,exclude)bench/results');
    commit = `${git('rev-parse', '--short', 'HEAD')}${changed ? '+dirty' : ''}`;
  } catch {
    // Not a git checkout: the line still says which machine ran it.
  }
  const cpus = os.cpus();
  return {
    at: new Date().toISOString(),
    commit,
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  };
}

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
    const line = JSON.stringify({ bench, args, ...provenance(), ...result });
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    appendFileSync(path.join(__dirname, 'results', `${bench}.jsonl`), `${line}\n`);
    console.log(line);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
