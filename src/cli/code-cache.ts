import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
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
 * $SPACEDRIVE_CACHE_DIR, else $XDG_CACHE_HOME/spacedrive, else ~/.cache/spacedrive (absolute paths only). V8 checks
 * little of what it is given (the source's length, its own version and flags, not the code's bytes: a damaged body
 * crashes the process, a stale one runs), so each file starts with a header of ours: the SHA-256 of the code and the
 * bundle's size, time and inode; a file that does not match, or that someone else could have written (not ours, or
 * writable by group or others), is not used. A cache is an optimisation only: one that cannot be read or written is
 * ignored, silently. SPACEDRIVE_NO_CODE_CACHE=1 turns it off; with --enable-source-maps the bundle loads as a plain
 * module (Node maps no stack trace of a vm.Script).
 */
export function runBundle(bundlePath: string, buildId: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  if (process.sourceMapsEnabled) {
    createRequire(bundlePath)(bundlePath);
    return;
  }
  const source = readFileSync(bundlePath, 'utf8').replace(/^#!/, '//');
  let cache: CodeCache | null = null;
  try {
    if (env.SPACEDRIVE_NO_CODE_CACHE !== '1') cache = new CodeCache(cacheDir(env), buildId, bundleIdentity(bundlePath));
  } catch {
    cache = null; // no usable home: no cache
  }
  const loaded = cache?.read(commandKeys(args)) ?? null;
  // "use strict" first: the bundle's own directive follows the banner, where it is no directive
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {"use strict";${source}\n})`, {
    filename: bundlePath,
    cachedData: loaded?.data,
  });
  if (cache) {
    const used = cache;
    // After the run: the cache then holds every function the command compiled, not only the bundle's top level.
    process.once('exit', (code) => {
      try {
        const key = (globalThis as Record<symbol, unknown>)[COMMAND_PATH];
        // only a command that ran to success: a usage error, --help or a failure compiles a fraction of it
        if (code !== 0 || typeof key !== 'string' || key === '') return;
        // the command's cache: kept unless V8 or we refused it; another's (or none): written if it has none
        const keep = loaded?.key === key ? !script.cachedDataRejected : !used.refused.has(key) && used.has(key);
        if (keep) return;
        used.write(key, () => script.createCachedData());
      } catch {
        // never let a cache fail the command that ran
      }
    });
  }
  const run = script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void;
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, path.dirname(bundlePath));
}

/** Where the CLI tells which command ran (`file duplicates` → `file-duplicates`): the cache is kept under that key. */
export const COMMAND_PATH = Symbol.for('spacedrive.commandPath');

/** The cache key of a command path: `['file', 'duplicates']` → file-duplicates, `['--version']` → version. */
export function commandKey(path: readonly string[]): string {
  return path.map((p) => p.replace(/^-+/, '')).join('-');
}

/** The keys the command may have, longest first, from the first words of its arguments: `file duplicates x` → file-duplicates, file. */
function commandKeys(args: readonly string[]): string[] {
  const words: string[] = [];
  for (const a of args.slice(0, 2)) {
    if (!/^-*[a-z][a-z-]{0,31}$/.test(a)) break;
    words.push(a);
  }
  return words.map((_, i) => commandKey(words.slice(0, words.length - i)));
}

/** The cache directory and the one above it that may be created too; relative paths are ignored (XDG). */
function cacheDir(env: NodeJS.ProcessEnv): { dir: string; parent: string | null } {
  if (env.SPACEDRIVE_CACHE_DIR) {
    if (!path.isAbsolute(env.SPACEDRIVE_CACHE_DIR)) throw new Error('relative cache directory');
    return { dir: env.SPACEDRIVE_CACHE_DIR, parent: null };
  }
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : null;
  const base = xdg ?? path.join(env.HOME && path.isAbsolute(env.HOME) ? env.HOME : os.homedir(), '.cache');
  if (!path.isAbsolute(base)) throw new Error('no home');
  return { dir: path.join(base, 'spacedrive'), parent: xdg ? null : base };
}

/** Changes whenever the bundle file is replaced or rewritten. */
function bundleIdentity(bundlePath: string): string {
  const st = statSync(bundlePath);
  return `${st.size}:${st.mtimeMs}:${st.ino}`;
}

const MAGIC = 'spacedrive-code-cache 1';
/** How long a cache of another build or Node version is kept unread. */
const UNUSED_FOR = 7 * 24 * 3600 * 1000;

class CodeCache {
  private readonly prefix: string;
  private readonly uid = process.getuid?.();
  /** Keys whose file was there but not used (damaged, stale, or writable by others): written anew. */
  readonly refused = new Set<string>();

  constructor(
    private readonly at: { dir: string; parent: string | null },
    buildId: string,
    private readonly bundle: string,
  ) {
    this.prefix = `cli-${buildId}-${process.version}-${process.arch}-`;
  }

  has(key: string): boolean {
    return statSync(this.file(key), { throwIfNoEntry: false }) !== undefined;
  }

  /** The first key whose cache is ours, intact and of this very bundle. */
  read(keys: readonly string[]): { key: string; data: Buffer } | null {
    for (const key of keys) {
      let fd: number;
      try {
        fd = openSync(this.file(key), 'r');
      } catch {
        continue; // none for this key
      }
      try {
        const ok = this.trusted(fstatSync(fd)) && this.trusted(statSync(this.at.dir));
        const bytes = ok ? readFileSync(fd) : Buffer.alloc(0);
        const end = bytes.indexOf(0x0a);
        const header = end > 0 && end < 512 ? (JSON.parse(bytes.subarray(0, end).toString('utf8')) as { magic?: string; bundle?: string; sha256?: string }) : {};
        const data = bytes.subarray(end + 1);
        if (header.magic === MAGIC && header.bundle === this.bundle && header.sha256 === sha256(data)) return { key, data };
      } catch {
        // unreadable or not a header of ours
      } finally {
        closeSync(fd);
      }
      this.refused.add(key);
    }
    return null;
  }

  /** Atomically (a reader never sees half a file); caches of other builds, and what killed writes left, are removed. */
  write(key: string, compile: () => Buffer): void {
    this.makeDir();
    const file = this.file(key);
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      const data = compile();
      const header = JSON.stringify({ magic: MAGIC, bundle: this.bundle, sha256: sha256(data) });
      writeSync(fd, `${header}\n`);
      writeSync(fd, data);
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      unlinkSync(temp);
      throw err;
    }
    closeSync(fd);
    renameSync(temp, file);
    // Another build's or Node's caches go once unused for a week (not at once: two installs sharing this directory
    // would remove each other's on every run); a write whose process is gone, at once.
    const unusedSince = Date.now() - UNUSED_FOR;
    for (const name of readdirSync(this.at.dir)) {
      if (!name.startsWith('cli-')) continue;
      const file = path.join(this.at.dir, name);
      const writer = /\.v8\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
      if (writer ? !alive(Number(writer[1])) : !name.startsWith(this.prefix) && lastUse(statSync(file)) < unusedSince) unlinkSync(file);
    }
  }

  /** One level at a time, never recursively (Node 20's recursive mkdir can spin on an ENOENT it cannot fix). */
  private makeDir(): void {
    for (const dir of [this.at.parent, this.at.dir]) {
      if (dir === null) continue;
      try {
        mkdirSync(dir, { mode: 0o700 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }

  /** Ours, and writable by no one else: code read from it is run. */
  private trusted(st: { uid: number; mode: number }): boolean {
    return (this.uid === undefined || st.uid === this.uid) && (st.mode & 0o022) === 0;
  }

  private file(key: string): string {
    return path.join(this.at.dir, `${this.prefix}${key}.v8`);
  }
}

/** When a cache was last read or written, as far as the filesystem tells (noatime mounts keep no reads). */
function lastUse(st: { atimeMs: number; mtimeMs: number }): number {
  return Math.max(st.atimeMs, st.mtimeMs);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}
