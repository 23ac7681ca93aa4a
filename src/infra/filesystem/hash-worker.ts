import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import { createBLAKE3, createXXHash64 } from './wasm-hashers.js';
import type { HashRequest, HashResult } from '../../commands/files/file-checks-ports.js';
import { DomainError } from '../../domain/errors.js';
import { CasHasher, WHOLE_FILE_LIMIT } from './cas-id.js';
import { fsError, listFolder, type ListedFile } from './file-scan.js';
import { casKeyOf, type IndexedFolders, type PoolMessage, type ProbeRequest, type ProbeResult, type WalkedFolders } from './hash-pool.js';

/** A thread of the hash pool: walks and probes files (stat and prefix hash), computes casIds or full-file BLAKE3. */
let cas!: CasHasher;
let blake3!: Awaited<ReturnType<typeof createBLAKE3>>;
let xxh64!: Awaited<ReturnType<typeof createXXHash64>>;
/**
 * The hashers, made before the first message is handled. Not a top-level await: V8 (Node 20) aborts the whole
 * process when a thread is terminated while a module of it is still being evaluated asynchronously, which a pool
 * closed right after it started did (seen once in the test suite: "Check failed: (location_) != nullptr").
 */
const ready = Promise.all([CasHasher.create(), createBLAKE3(), createXXHash64()]).then(([c, b, x]) => {
  cas = c;
  blake3 = b;
  xxh64 = x;
});
const CHUNK = 1024 * 1024;
const PREFIX = 4096;
const buffer = Buffer.allocUnsafe(CHUNK);
const digestView = new Uint8Array(8);
const digestWords = new DataView(digestView.buffer);

// messages that come before the hashers are made wait for them, in order
parentPort!.on('message', (message: PoolMessage) => void ready.then(() => handle(message)));

function handle(message: PoolMessage): void {
  if (message.op === 'walk') {
    const { result, transfer } = walk(message.items, message.prefix, message.indexes, message.roots, message.hungry);
    parentPort!.postMessage({ id: message.id, results: result }, transfer);
    return;
  }
  // a group never spans messages, and a hash of one kind is no hash of the other
  group = { id: undefined, size: 0, hash: '' };
  const results = message.op === 'probe' ? message.items.map((item) => probe(item, message.prefix)) : message.items.map((item) => hash(item, message.op));
  parentPort!.postMessage({ id: message.id, results });
}

/**
 * casIds the index holds for a folder's files, by name; what else it knows of each file to tell it is the same. Rows
 * as SQLite returns them raw: an object per row cost twice as much to read.
 */
type IndexedRow = [name: string, size: number, modifiedAt: number, inode: number, casId: string];
type IndexedFolder = Map<string, IndexedRow>;

const require = createRequire(import.meta.url);
type FolderQuery = BetterSqlite3.Statement<[number, string], IndexedRow>;
/** Read-only connections to library databases, opened when a walk first goes through a location (null: unusable). */
const folderQueries = new Map<string, FolderQuery | null>();

/** The folder's indexed files; none when the database cannot be read here (its files are then hashed from disk). */
function indexedFolder(index: IndexedFolders, folderPath: string): IndexedFolder {
  const rows = new Map() as IndexedFolder;
  let query = folderQueries.get(index.database);
  if (query === undefined) {
    try {
      const Database = require('better-sqlite3') as typeof BetterSqlite3;
      const db = new Database(index.database, { readonly: true, fileMustExist: true });
      query = db.prepare(
        "SELECT name, size, modified_at, inode, cas_id FROM entries WHERE location = ? AND parent = ? AND kind = 'file' AND cas_id IS NOT NULL",
      ).raw() as unknown as FolderQuery;
    } catch {
      query = null;
    }
    folderQueries.set(index.database, query);
  }
  if (query === null) return rows;
  const parent = folderPath === index.location.path ? '' : folderPath.slice(index.location.path.length + 1);
  try {
    for (const r of query.all(index.location.key, parent)) rows.set(r[0], r);
  } catch {
    // SQLITE_BUSY or a vanished file: this folder's files are read from disk instead
  }
  return rows;
}

/** Files a walk message probes before it returns: a few dozen messages per thread for a tree of 100,000 files. */
const WALK_BUDGET = 1024;

/**
 * Lists folders and probes their files, and goes on down into their subfolders: a message covers a subtree, not a
 * folder, since each message a thread sends costs it some 50-200 µs (waking the main thread), more than a dozen files
 * take. It returns once it has probed `WALK_BUDGET` files, or sooner when another thread has nothing to do (`hungry`,
 * set by the pool) and there are folders to share: the folders not yet listed go back to the pool, which hands them
 * to whichever thread is free. A folder that is one of the roots is left to the walk of that root. A folder inside
 * a location (`index` names its entry in `indexes`) gives each file the casId the index holds for it when it is the
 * very file indexed: same inode, size and time.
 */
function walk(
  items: { diskPath: string | Uint8Array; path: string; index?: number }[],
  prefix: boolean,
  indexes: readonly IndexedFolders[],
  roots: readonly string[],
  hungry: Int32Array,
): { result: WalkedFolders; transfer: ArrayBuffer[] } {
  const names: string[] = [];
  const casIds: string[] = [];
  const numbers: number[] = [];
  const out: WalkedFolders = { folders: [], names: '', casIds: '', facts: new Float64Array(0), odd: [], dirs: [], errors: [] };
  const rootFolders = new Set(roots);
  // depth first, in the order given: items are popped from the end of the reversed list
  const stack = items.slice().reverse();
  let probed = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    const dir: ListedFile = { diskPath: toPath(item.diskPath), path: item.path };
    let listed;
    try {
      listed = listFolder(dir);
    } catch (err) {
      out.errors.push(fsError(dir.path, err));
      continue;
    }
    for (let i = listed.dirs.length - 1; i >= 0; i--) {
      const d = listed.dirs[i];
      // another root, listed as such: listed here too, its files would count twice
      if (typeof d.diskPath === 'string' && rootFolders.has(d.diskPath)) continue;
      stack.push(item.index === undefined ? d : { ...d, index: item.index });
    }
    const folder = out.folders.length;
    out.folders.push(item.path);
    const indexed = item.index === undefined ? null : indexedFolder(indexes[item.index], item.path);
    for (const f of listed.files) {
      const r = probe(f, prefix);
      if ('skip' in r) continue;
      if ('error' in r) {
        out.errors.push({ path: f.path, code: r.error.code, message: r.error.code === 'EACCES' || r.error.code === 'EPERM' ? 'permission denied' : r.error.message });
        continue;
      }
      const name = f.path.slice(item.path.length + 1);
      const row = indexed?.get(name);
      const casId = row && row[1] === r.size && row[2] === r.modifiedAt && row[3] === r.inode ? row[4] : null;
      if (typeof f.diskPath !== 'string') {
        out.odd.push({ ...r, diskPath: f.diskPath, path: f.path, ...(casId === null ? {} : { casId }) });
      } else {
        names.push(name);
        numbers.push(folder, r.size, r.modifiedAt, r.inode, r.device, r.links, r.prefix ?? 0, casId === null ? 0 : casKeyOf(casId));
        if (casId !== null) casIds.push(casId);
      }
    }
    probed += listed.files.length;
    if (probed >= WALK_BUDGET || (stack.length > 1 && Atomics.load(hungry, 0) > 0)) break;
  }
  while (stack.length > 0) out.dirs.push(stack.pop()!);
  // one string and one transferred buffer per message: cloning a string and an object per file cost more than the walk
  out.names = names.join('/');
  out.casIds = casIds.join('');
  out.facts = Float64Array.from(numbers);
  return { result: out, transfer: [out.facts.buffer as ArrayBuffer] };
}

function toPath(diskPath: string | Uint8Array): string | Buffer {
  return typeof diskPath === 'string' ? diskPath : Buffer.from(diskPath.buffer, diskPath.byteOffset, diskPath.byteLength);
}

function failure(err: unknown): { error: { code: string; message: string } } {
  const code = err instanceof DomainError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'EIO');
  return { error: { code, message: (err as Error).message } };
}

/**
 * A listed file's facts. With `prefix` the file is opened (never through a symlink) and its first 4 KiB hashed;
 * the open file's fstat gives the facts, saving the lstat.
 */
function probe(item: ProbeRequest, prefix: boolean): ProbeResult {
  const path = toPath(item.diskPath);
  try {
    if (!prefix) {
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (!st || !st.isFile()) return { skip: true };
      return { size: st.size, modifiedAt: Math.trunc(st.mtimeMs), inode: st.ino, device: st.dev, links: st.nlink };
    }
    // O_NONBLOCK: a fifo that took the place of a listed file must not block the open
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return { skip: true };
      const n = readSync(fd, buffer, 0, Math.min(PREFIX, st.size), 0);
      xxh64.init();
      xxh64.update(buffer.subarray(0, n));
      const digest = xxh64.digest('binary');
      digestView.set(digest);
      // 53 bits: exact in a number, so the main thread groups by it without building a string per file
      const prefixHash = digestWords.getUint32(0) * 2 ** 21 + (digestWords.getUint32(4) >>> 11);
      return { size: st.size, modifiedAt: Math.trunc(st.mtimeMs), inode: st.ino, device: st.dev, links: st.nlink, prefix: prefixHash };
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return { skip: true }; // removed since the listing, or now a symlink
    return failure(err);
  }
}

function hash({ diskPath, expected, group: id }: HashRequest, kind: 'cas' | 'full'): HashResult {
  try {
    const path = toPath(diskPath);
    if (kind === 'full') return { hash: fullHash(path, expected, id) };
    // the casId of a small file covers every byte: in a group, a file like the group's first has its casId
    if (id !== undefined && expected.size > 0 && expected.size <= WHOLE_FILE_LIMIT) return { hash: alike(path, expected, id, (bytes) => cas.ofBytes(bytes)) };
    return { hash: cas.ofFile(path, expected).casId };
  } catch (err) {
    return failure(err);
  }
}

/** Files up to this size are read whole, so that a group's files can be compared with its first. */
const WHOLE = 4 * 1024 * 1024;
/** The file read last, and the group's first file (their buffers swap when a file becomes its group's first). */
let scratch = Buffer.allocUnsafe(64 * 1024);
let kept = Buffer.allocUnsafe(64 * 1024);
let group: { id: number | undefined; size: number; hash: string } = { id: undefined, size: 0, hash: '' };

/**
 * BLAKE3 of every byte. A file whose size or time differs from what was expected (the scan's stat) when the read
 * ends is refused (FILE_CHANGED): its hash would describe bytes that never existed together. One fstat at the end
 * covers a change before or during the read (either moves the time or the size), and reading up to the expected
 * size spares the read that would find the end: a file that grew shows it in that fstat.
 */
function fullHash(path: string | Buffer, expected: { size: number; modifiedAt: number }, id: number | undefined): string {
  if (id !== undefined && expected.size <= WHOLE) {
    return alike(path, expected, id, (bytes) => {
      blake3.init();
      blake3.update(bytes);
      return blake3.digest('hex') as string;
    });
  }
  const fd = openSync(path, 'r');
  try {
    blake3.init();
    let position = 0;
    while (position < expected.size) {
      const n = readSync(fd, buffer, 0, Math.min(CHUNK, expected.size - position), position);
      if (n === 0) break;
      blake3.update(buffer.subarray(0, n));
      position += n;
    }
    unchangedAfter(fd, position, expected, path);
    return blake3.digest('hex') as string;
  } finally {
    closeSync(fd);
  }
}

/**
 * The hash of a file of a group: one byte-identical to the group's first read gets that file's hash without hashing
 * (comparing is some twenty times faster than BLAKE3 in wasm, and a group's files are nearly always duplicates);
 * equal bytes have equal hashes, so the result is the same.
 */
function alike(path: string | Buffer, expected: { size: number; modifiedAt: number }, id: number, digest: (bytes: Buffer) => string): string {
  const bytes = readWhole(path, expected);
  if (group.id === id && group.size === bytes.length && bytes.equals(kept.subarray(0, group.size))) return group.hash;
  const hash = digest(bytes);
  if (group.id !== id) {
    [kept, scratch] = [scratch, kept];
    group = { id, size: bytes.length, hash };
  }
  return hash;
}

/** Every byte of a file, checked as `fullHash` checks them; valid until the next read. */
function readWhole(path: string | Buffer, expected: { size: number; modifiedAt: number }): Buffer {
  if (scratch.length < expected.size) scratch = Buffer.allocUnsafe(expected.size);
  const fd = openSync(path, 'r');
  try {
    let position = 0;
    while (position < expected.size) {
      const n = readSync(fd, scratch, position, expected.size - position, position);
      if (n === 0) break;
      position += n;
    }
    unchangedAfter(fd, position, expected, path);
    return scratch.subarray(0, expected.size);
  } finally {
    closeSync(fd);
  }
}

function unchangedAfter(fd: number, read: number, expected: { size: number; modifiedAt: number }, path: string | Buffer): void {
  const st = fstatSync(fd);
  if (read !== expected.size || st.size !== expected.size || Math.trunc(st.mtimeMs) !== expected.modifiedAt) throw changed(path);
}

function changed(path: string | Buffer): DomainError {
  return new DomainError('FILE_CHANGED', 'failure', `${String(path)} changed while it was read`);
}
