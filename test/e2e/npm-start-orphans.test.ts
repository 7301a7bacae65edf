import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { eventually } from '../support/eventually';
import { listening, npmStartSetting, printed, runNpmStart, withPrebuiltBundle, type NpmStart, type NpmStartSetting } from '../support/npm-start';

/**
 * `npm start` killed outright (SIGKILL) or hung up on (the terminal closed) leaves no process
 * and no port behind, and one that cannot have its ports says so before it starts anything.
 * Processes are read from /proc (Linux, as on CI).
 */

interface Proc {
  pid: number;
  cmd: string;
}

/** pid → [parent pid, state] from /proc/<pid>/stat (the command name may hold spaces and parentheses). */
function processTable(): Map<number, { ppid: number; state: string }> {
  const table = new Map<number, { ppid: number; state: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), { ppid: Number(ppid), state });
    } catch {
      // Gone while we looked.
    }
  }
  return table;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Every process below `pid`, at any depth. */
function descendants(pid: number): Proc[] {
  const table = processTable();
  const found: Proc[] = [];
  const parents = [pid];
  while (parents.length) {
    const parent = parents.pop()!;
    for (const [child, { ppid }] of table) {
      if (ppid !== parent) continue;
      found.push({ pid: child, cmd: commandLine(child) });
      parents.push(child);
    }
  }
  return found;
}

/** Still running: present and not a zombie (an orphan's exit may wait for init to reap it). */
function running(pid: number): boolean {
  const entry = processTable().get(pid);
  return entry !== undefined && entry.state !== 'Z';
}

/** What of `procs` and `ports` is still there: empty when everything is gone. */
async function leftovers(procs: Proc[], ports: number[]): Promise<string[]> {
  const left = procs.filter((p) => running(p.pid)).map((p) => `pid ${p.pid} (${p.cmd})`);
  for (const port of ports) if (await listening(port)) left.push(`port ${port}`);
  return left;
}

async function goneWithin(procs: Proc[], ports: number[], ms: number): Promise<void> {
  let left: string[] = [];
  await eventually(async () => (left = await leftovers(procs, ports)).length === 0, {
    timeoutMs: ms,
    intervalMs: 250,
    describe: `every process and port of npm start to be gone within ${ms / 1000} s of its end`,
    detail: () => `still there: ${left.join(', ')}`,
  });
}

/** The parts `npm start` runs, each found among its processes. */
function expectEveryPart(procs: Proc[]): void {
  for (const part of [/temporal server start-dev/, /src\/sandbox\/main\.ts/, /src\/worker\.ts/, /src\/api\/server\.ts/]) {
    expect(procs.map((p) => p.cmd)).toContainEqual(expect.stringMatching(part));
  }
}

describe('npm start leaves no orphans', () => {
  let setting: NpmStartSetting;
  /** Every process a run had, so a failing test still leaves none behind on the machine. */
  const seen: Proc[] = [];
  const runs: NpmStart[] = [];

  beforeAll(async () => {
    setting = await npmStartSetting();
  });
  afterAll(async () => {
    for (const run of runs) run.child.kill('SIGKILL');
    for (const p of seen) if (running(p.pid)) process.kill(p.pid, 'SIGKILL');
    await setting.remove();
  });

  const up = async (): Promise<{ run: NpmStart; procs: Proc[] }> => {
    const run = runNpmStart(withPrebuiltBundle(setting.env));
    runs.push(run);
    await printed(run, /clearsend is running/);
    const procs = descendants(run.child.pid!);
    seen.push(...procs);
    expectEveryPart(procs);
    return { run, procs };
  };

  it('killed outright, it leaves no process and no port within 10 s and the next start comes up; a hangup stops that one in order', async () => {
    const ports = Object.values(setting.ports);
    const first = await up();
    first.run.child.kill('SIGKILL');
    await first.run.exited;
    await goneWithin(first.procs, ports, 10_000);

    const second = await up();
    // The terminal closing: SIGHUP, which stops every part in order as Ctrl-C does.
    second.run.child.kill('SIGHUP');
    expect(await second.run.exited).toBe(0);
    expect(second.run.output).toEqual(expect.arrayContaining(['[start] stopping…', '[start] stopped']));
    expect(await leftovers(second.procs, ports)).toEqual([]);
  }, 360_000);

  it('names a port already taken, and what holds it, before starting anything', async () => {
    const port = setting.ports.SANDBOX_SMTP_PORT;
    const holder: Server = await new Promise((resolve) => {
      const server = createServer().listen(port, '127.0.0.1', () => resolve(server));
    });
    try {
      const run = runNpmStart(setting.env);
      runs.push(run);
      expect(await run.exited).toBe(1);
      const output = run.output.join('\n');
      // This test's own process holds it.
      expect(output).toContain(`port ${port} (SANDBOX_SMTP_PORT) is already taken by pid ${process.pid}: `);
      // Nothing was started: no Temporal, no migrations, no service output.
      expect(output).not.toMatch(/Temporal CLI|migrations|schema|\[(sandbox|worker|api)\]/);
      expect(await listening(setting.ports.TEMPORAL_PORT)).toBe(false);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 60_000);
});
