import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Runs the bundled CLI (one CommonJS file) with V8's code cache: the functions compiled by an earlier run of the
 * same command are read back instead of being parsed and compiled again. Compiling the bundle cost every run about
 * 0.1 s of its start (a third of `spacedrive --version`). Node 22 has this built in (module.enableCompileCache);
 * Node 20 has vm.Script's cachedData, which this uses.
 *
 * One cache per command (`file-duplicates`, `location-add`, …), since each compiles different functions, in
 * $SPACEDRIVE_CACHE_DIR, else $XDG_CACHE_HOME/spacedrive, else ~/.cache/spacedrive; named by the bundle's build id
 * and Node's version, so a new build or Node never reads an old cache (V8 would refuse it anyway). A cache is an
 * optimisation only: one that cannot be read, is refused by V8 or cannot be written is ignored, silently.
 * SPACEDRIVE_NO_CODE_CACHE=1 turns it off.
 */
export function runBundle(bundlePath: string, buildId: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const source = readFileSync(bundlePath, 'utf8').replace(/^#!/, '//');
  const cache = env.SPACEDRIVE_NO_CODE_CACHE === '1' ? null : new CodeCache(cacheDir(env), buildId);
  const loaded = cache?.read(commandKeys(args)) ?? null;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundlePath,
    cachedData: loaded?.data,
  });
  if (cache) {
    // After the run: the cache then holds every function the command compiled, not only the bundle's top level.
    process.once('exit', () => {
      const key = (globalThis as Record<symbol, unknown>)[COMMAND_PATH];
      if (typeof key !== 'string' || key === '') return; // no command ran (a usage error): nothing worth keeping
      // the cache read is the command's: kept unless V8 refused it; another's (or none): written if it has none
      if (loaded?.key === key ? !script.cachedDataRejected : cache.has(key)) return;
      cache.write(key, script.createCachedData());
    });
  }
  const run = script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void;
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, path.dirname(bundlePath));
}

/** Where the CLI tells which command ran (`file duplicates` → `file-duplicates`): the cache is kept under that key. */
export const COMMAND_PATH = Symbol.for('spacedrive.commandPath');

/** The command's cache key as the CLI will name it, from its first words: `file duplicates x` → file-duplicates, file. */
function commandKeys(args: readonly string[]): string[] {
  const words: string[] = [];
  for (const a of args.slice(0, 2)) {
    const word = a.replace(/^-+/, ''); // --version, --help
    if (!/^[a-z][a-z-]{0,31}$/.test(word)) break;
    words.push(word);
  }
  return words.map((_, i) => words.slice(0, words.length - i).join('-'));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.SPACEDRIVE_CACHE_DIR) return env.SPACEDRIVE_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'spacedrive');
}

class CodeCache {
  private readonly prefix: string;

  constructor(private readonly dir: string, private readonly buildId: string) {
    this.prefix = `cli-${buildId}-${process.version}-${process.arch}-`;
  }

  has(key: string): boolean {
    return existsSync(this.file(key));
  }

  read(keys: readonly string[]): { key: string; data: Buffer } | null {
    for (const key of keys) {
      try {
        return { key, data: readFileSync(this.file(key)) };
      } catch {
        // none for this key
      }
    }
    return null;
  }

  /** Atomically (a reader never sees half a file); caches of other builds are removed. */
  write(key: string, data: Buffer): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const file = this.file(key);
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, data, { mode: 0o600 });
      renameSync(temp, file);
      // caches of other builds will never be read again, nor what a killed process left of a write
      for (const name of readdirSync(this.dir)) {
        if (!name.startsWith('cli-')) continue;
        const writer = /\.v8\.(\d+)\.tmp$/.exec(name);
        if (!name.startsWith(`cli-${this.buildId}-`) || (writer && !alive(Number(writer[1])))) unlinkSync(path.join(this.dir, name));
      }
    } catch {
      // a cache is an optimisation: a read-only or full disk only costs the next run its compile time
    }
  }

  private file(key: string): string {
    return path.join(this.dir, `${this.prefix}${key}.v8`);
  }
}
