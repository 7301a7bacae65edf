import { createServer } from 'node:net';
import findProcess from 'find-process';

/** A port `npm start` is about to listen on, and the setting that chose it. */
export interface WantedPort {
  setting: string;
  port: number;
  /** The interface the service binds; omitted: all of them, as `server.listen(port)` does. */
  host?: string;
}

/**
 * Why `port` cannot be bound on `host` right now (EADDRINUSE, EACCES, …), undefined when it
 * can. Tried by binding it the way the service will, so the answer is the one it would get.
 */
function bindError({ port, host }: WantedPort): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    server.listen({ port, host }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * "pid 1234: node --import tsx src/sandbox/main.ts", or undefined when it cannot be seen
 * (another user's process, or no ss/netstat/lsof). find-process asks the OS's own tools
 * (ss, netstat or lsof), which works on Linux and macOS alike.
 */
async function holderOf(port: number): Promise<string | undefined> {
  const found = await findProcess('port', port, { logLevel: 'error' }).catch(() => []);
  return found.length ? found.map((p) => `pid ${p.pid}: ${p.cmd || p.name}`).join('; ') : undefined;
}

/**
 * What stands in the way of listening on every wanted port: one line per problem, naming the
 * port, its setting and, when it can be seen, the process holding it. Empty when all are free.
 * A port wanted by two settings is a problem too. Port 0 (the OS picks) never is.
 */
export async function portProblems(wanted: WantedPort[]): Promise<string[]> {
  const problems: string[] = [];
  const bySetting = new Map<number, string>();
  for (const w of wanted.filter((x) => x.port !== 0)) {
    const other = bySetting.get(w.port);
    if (other) {
      problems.push(`port ${w.port} is set for both ${other} and ${w.setting}`);
      continue;
    }
    bySetting.set(w.port, w.setting);
    const error = await bindError(w);
    if (!error) continue;
    if (error !== 'EADDRINUSE') {
      problems.push(`port ${w.port} (${w.setting}) cannot be listened on: ${error}`);
      continue;
    }
    const holder = await holderOf(w.port);
    problems.push(`port ${w.port} (${w.setting}) is already taken${holder ? ` by ${holder}` : ''}`);
  }
  return problems;
}
