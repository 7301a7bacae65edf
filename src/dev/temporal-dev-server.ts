import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { freePort } from './free-port';
import { spawnReaped } from './reaped';
import { resolveTemporalCli, TEMPORAL_CLI_VERSION, type ResolvedTemporalCli } from './temporal-cli';
import { SEARCH_ATTRIBUTE_NAMES } from '../workflows/search-attributes';

export interface DevServerOptions {
  /** A port, or 'free': a free one, tried again with another if the server loses it in a race. */
  port: number | 'free';
  uiPort?: number;
  /** Persist state to this SQLite file; omitted: in memory, gone when the server stops. */
  dbFile?: string;
  /** No web UI (tests). */
  headless?: boolean;
  /** Trade durability for speed (tests): SQLite WAL and no fsync, as the SDK's own CI does. */
  fast?: boolean;
  allowBuild?: boolean;
  /**
   * Own process group: a terminal's Ctrl-C then reaches only the parent, which stops the
   * server after the worker that depends on it (npm start). The server then runs under
   * src/dev/reaper.ts, which stops it should the parent die without stopping it (SIGKILL).
   * Tests leave it attached.
   */
  detached?: boolean;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  cli: ResolvedTemporalCli | { path: 'sdk-download'; source: 'Temporal SDK download' };
  stop(): Promise<void>;
  /** SIGKILL, no chance to shut down cleanly (tests of a crash); the SDK-downloaded server is only stopped. */
  kill(): Promise<void>;
}

export async function startTemporalDevServer(opts: DevServerOptions): Promise<RunningDevServer> {
  // The dev server's own internal services (its HTTP API among them) take random free ports, and
  // another process may take one between the CLI's probe and its bind, or take ours between our
  // probe and the bind: then try again (with another port when ours was a free one). A fixed port
  // that is really taken fails every try.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort({ ...opts, port: opts.port === 'free' ? await freePort() : opts.port });
    } catch (err) {
      if (attempt >= 3 || !/address already in use/.test(String(err))) throw err;
    }
  }
}

async function startOnPort(opts: DevServerOptions & { port: number }): Promise<RunningDevServer> {
  const log = opts.log ?? (() => undefined);
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = opts.headless ? undefined : `http://127.0.0.1:${opts.uiPort ?? opts.port + 1000}`;
  if (opts.dbFile) mkdirSync(path.dirname(opts.dbFile), { recursive: true });

  const cli = await resolveTemporalCli({ env: opts.env, allowBuild: opts.allowBuild, log });
  if (!cli) {
    log(`no Temporal CLI found or buildable: letting the Temporal SDK download ${TEMPORAL_CLI_VERSION}'s dev server`);
    return startWithSdkDownload(opts, address, uiUrl);
  }
  log(`Temporal CLI: ${cli.path} (from ${cli.source})`);

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort ?? opts.port + 1000));
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.fast) args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  for (const name of SEARCH_ATTRIBUTE_NAMES) args.push('--search-attribute', `${name}=Keyword`);

  const env = opts.env ?? process.env;
  const reaped = opts.detached ? spawnReaped(cli.path, args, env) : undefined;
  const child = reaped?.child ?? spawn(cli.path, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const killHard = reaped?.killHard ?? (() => child.kill('SIGKILL'));
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  try {
    await waitUntilServing(address, child, () => output.join(''));
    const added = await addMissingSearchAttributes(address);
    if (added.length) log(`search attributes added to the kept state: ${added.join(', ')}`);
  } catch (err) {
    killHard();
    throw err;
  }
  return { address, uiUrl, cli, stop: () => stopChild(child, killHard), kill: () => killChild(child, killHard) };
}

/**
 * The dev server registers its `--search-attribute`s only when it creates the namespace, so a
 * state file kept from before an attribute was added (the `.data/temporal.db` of an earlier
 * `npm start`) lacks it, and every task of a workflow that sets it would fail. Adds what is
 * missing and returns its names.
 */
export async function addMissingSearchAttributes(address: string, namespace = 'default'): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTE_NAMES.filter((name) => !customAttributes?.[name]);
    if (missing.length) {
      const keyword = encodeSearchAttributeIndexedValueType(SearchAttributeType.KEYWORD)!;
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((name) => [name, keyword])) });
    }
    return missing;
  } finally {
    await connection.close();
  }
}

async function startWithSdkDownload(opts: DevServerOptions & { port: number }, address: string, uiUrl?: string): Promise<RunningDevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', version: TEMPORAL_CLI_VERSION },
      ip: '127.0.0.1',
      port: opts.port,
      ui: !opts.headless,
      uiPort: opts.uiPort,
      dbFilename: opts.dbFile,
      searchAttributes: SEARCH_ATTRIBUTE_NAMES.map((n) => defineSearchAttributeKey(n, SearchAttributeType.KEYWORD)),
    },
  });
  try {
    await addMissingSearchAttributes(address);
  } catch (err) {
    await env.teardown();
    throw err;
  }
  return { address, uiUrl, cli: { path: 'sdk-download', source: 'Temporal SDK download' }, stop: () => env.teardown(), kill: () => env.teardown() };
}

async function waitUntilServing(address: string, child: ChildProcess, output: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  for (;;) {
    if (exited) throw new Error(`Temporal dev server ${exited} before serving:\n${output()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal dev server not serving at ${address} after ${timeoutMs} ms:\n${output()}`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function killChild(child: ChildProcess, killHard: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    killHard();
  });
}

function stopChild(child: ChildProcess, killHard: () => void, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(killHard, graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
