import { spawnSync, spawn, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary (npm run build: the bundled CLI), spawned as a user would run it. */
export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/cli/spacedrive.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

/** The code caches of the CLIs this test process spawns: its own, not the user's (~/.cache/spacedrive), gone after. */
const codeCache = mkdtempSync(path.join(os.tmpdir(), 'sd-test-code-cache-'));
process.once('exit', () => rmSync(codeCache, { recursive: true, force: true }));

/** The environment of a spawned CLI: no colours (uvu's own FORCE_COLOR would override NO_COLOR with a warning). */
function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _forced, ...env } = process.env;
  return { ...env, NO_COLOR: '1', SPACEDRIVE_CACHE_DIR: codeCache, ...extra };
}

export function runCli(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: cliEnv(env),
  });
  return {
    code: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    json<T>() {
      return JSON.parse(r.stdout) as T;
    },
  };
}

export function spawnCli(dataDir: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() });
}

/** Root reads everything: a test of what cannot be read runs its processes as nobody when it runs as root. */
export const UNPRIVILEGED: { uid?: number; gid?: number } = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** A data directory at `dir` that an unprivileged process can write (it is also that process's HOME). */
export function unprivilegedDataDir(dir: string): string {
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  return dir;
}

/**
 * The CLI run as `UNPRIVILEGED`, with `--json` and the data directory as its HOME. `error` is set when this machine
 * cannot run a process as another user: the caller skips.
 */
export function runCliUnprivileged(dataDir: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args, '--json', '--data-dir', dataDir], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', HOME: dataDir },
    ...UNPRIVILEGED,
  });
}
