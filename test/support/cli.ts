import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
