import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashKind, HashRequest, HashResult, IndexedRoot, ScanError, ScannedFile } from '../../commands/files/file-checks-ports.js';

/** Files per message: small enough to keep every thread busy to the end and report progress, large enough to amortise. */
const CHUNK = 256;

export interface ProbeRequest {
  diskPath: string | Uint8Array;
}

/** A probed file's facts, `skip` when it is not (or no longer) a regular file, or why it could not be read. */
export type ProbeResult =
  | { size: number; modifiedAt: number; inode: number; device: number; links: number; prefix?: number }
  | { skip: true }
  | { error: { code: string; message: string } };

/**
 * What a thread found in the folders it was given and below, packed to cross threads cheaply: the folders it listed
 * (their paths as shown), the files' names joined by `/` (which no name holds) and, per file, eight numbers in one
 * transferred buffer: the index of its folder in `folders`, size, modification time, inode, device, link count,
 * prefix hash (0 without one) and the casId key (0 when the index holds no casId for the file; see `casKeyOf`).
 * `casIds` are the casIds of the files that have one, in order, 16 characters each. Files whose path is not valid
 * UTF-8 travel apart, with their disk path.
 */
export interface WalkedFolders {
  folders: string[];
  names: string;
  casIds: string;
  facts: Float64Array;
  odd: { diskPath: Uint8Array; path: string; size: number; modifiedAt: number; inode: number; device: number; links: number; prefix?: number; casId?: string }[];
  dirs: { diskPath: string | Uint8Array; path: string; index?: number }[];
  errors: ScanError[];
}

/** Numbers per file in `WalkedFolders.facts`. */
export const FACTS = 8;

/** A casId (16 hex characters) as a number: its first 52 bits, plus one so that 0 means none. Only a filter. */
export function casKeyOf(casId: string): number {
  return parseInt(casId.slice(0, 13), 16) + 1;
}

/** Folders inside a location: its index (a library database) tells the casIds of the files it holds unchanged. */
export type IndexedFolders = Omit<IndexedRoot, 'root'>;

export type PoolMessage =
  | {
      id: number;
      op: 'walk';
      prefix: boolean;
      indexes: IndexedFolders[];
      /** The roots' disk paths: a root met below another is left to its own walk, so that no folder is listed twice. */
      roots: string[];
      /** How many threads wait for folders (shared memory, set by the pool): a walk then returns to share its own. */
      hungry: Int32Array;
      items: { diskPath: string | Uint8Array; path: string; index?: number }[];
    }
  | { id: number; op: 'probe'; prefix: boolean; items: ProbeRequest[] }
  | { id: number; op: HashKind; items: HashRequest[] };

type Job = { op: 'probe'; prefix: boolean } | { op: HashKind };
/**
 * Messages out per thread: the next one waits in the thread's queue while the main thread takes in the last
 * result, so a thread never idles for that round trip (with one, the threads were busy about 70% of a walk).
 */
const IN_FLIGHT = 2;

const defaultSize = () => Math.max(1, Math.min(4, availableParallelism()));

/** Threads started ahead of need (each takes some 0.1 s to load and compile its hashers), for the next pool. */
const spares: Worker[] = [];

// A small young generation keeps peak RSS down; the old generation is left uncapped: a folder of 600,000 files
// (listed and probed in one message) ran a 64 MB cap out of memory.
function startThread(): Worker {
  const worker = new Worker(new URL('./hash-worker.js', import.meta.url), {
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  worker.unref();
  return worker;
}

/** Starts a pool's worth of hashing threads now (while a library opens, say), for the next pool to take. */
export function prestartHashingThreads(): void {
  while (spares.length < defaultSize()) spares.push(startThread());
}

/**
 * Threads for duplicate detection and validation: stat and prefix-hash files, casIds, full hashes. Work is handed
 * out chunk by chunk as threads free up (file sizes vary a lot), not split evenly up front. Threads never keep the
 * process alive.
 */
export class HashPool {
  private workers: Worker[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: unknown[]): void; reject(e: Error): void }>();

  constructor(private readonly size = defaultSize()) {}

  /**
   * Lists the folders and everything below them, and probes their files, on all threads: each message to a thread
   * covers a subtree (see the worker's `walk`), and a thread that runs out takes folders the others left, so a deep
   * or lopsided tree keeps every thread busy. A folder reached twice (a root inside another) is listed once. A root
   * with `index` (an entry of `options.indexes`) is inside a location: files the index holds unchanged come with its
   * casId. `alongside` are files found otherwise (named directly),
   * returned with the others. Only files that may have a duplicate are returned (see `collect`): the facts of the
   * others are never turned into objects and paths, only counted in `totals`.
   */
  async walk(
    roots: readonly { diskPath: string | Buffer; path: string; index?: number }[],
    options: { prefix: boolean; indexes: IndexedFolders[]; alongside: readonly ScannedFile[] },
    onFiles?: (found: number) => void,
  ): Promise<{ files: ScannedFile[]; errors: ScanError[]; totals: { files: number; bytes: number } }> {
    const { prefix } = options;
    const chunks: Chunk[] = [];
    const hungry = new Int32Array(new SharedArrayBuffer(4));
    const rootPaths = roots.flatMap((r) => (typeof r.diskPath === 'string' ? [r.diskPath] : []));
    const loose: ScannedFile[] = [...options.alongside];
    const errors: ScanError[] = [];
    // files are counted by size and key as their chunks come in, while the threads walk on: after the walk, only the
    // files that may have a duplicate remain to be made into objects (counting 100k files there left both threads
    // idle for about 0.1 s)
    const alike = new AlikeCounter(prefix);
    const totals = { files: 0, bytes: 0 };
    let found = 0;
    this.start();
    // a root named twice is listed once; one met below another root is left to that root's own walk (the worker's)
    const seen = new Set<string>();
    const queue: { diskPath: string | Uint8Array; path: string; index?: number }[] = [];
    for (const r of roots) {
      const key = typeof r.diskPath === 'string' ? r.diskPath : Buffer.from(r.diskPath).toString('latin1');
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push(r);
    }
    let busy = 0;
    let waiters: (() => void)[] = [];
    const wake = () => {
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    };
    const feed = async (worker: Worker): Promise<void> => {
      for (;;) {
        if (queue.length === 0) {
          if (busy === 0) return wake();
          Atomics.add(hungry, 0, 1);
          await new Promise<void>((resolve) => waiters.push(resolve));
          Atomics.sub(hungry, 0, 1);
          continue;
        }
        busy++;
        // a fair share of what is queued: the threads walking what they are given, a share is soon a subtree each
        const items = queue.splice(0, Math.ceil(queue.length / this.workers.length));
        let walked: WalkedFolders;
        try {
          walked = (await this.send(worker, { op: 'walk', prefix, indexes: options.indexes, roots: rootPaths, hungry, items })) as unknown as WalkedFolders;
        } finally {
          busy--;
        }
        for (const d of walked.dirs) queue.push(d);
        if (walked.facts.length > 0) {
          chunks.push({ folders: walked.folders, names: walked.names, casIds: walked.casIds, facts: walked.facts });
          count(walked.facts, alike, totals);
        }
        for (const f of walked.odd) loose.push({ ...f, diskPath: Buffer.from(f.diskPath.buffer, f.diskPath.byteOffset, f.diskPath.byteLength) });
        for (const e of walked.errors) errors.push(e);
        found += walked.facts.length / FACTS + walked.odd.length;
        onFiles?.(found);
        wake();
      }
    };
    // one message out per thread: a walk message is long enough that its round trip leaves the thread idle briefly
    if (roots.length > 0) await Promise.all(this.workers.map((w) => feed(w)));
    return { ...collect(chunks, loose, options, alike, totals), errors };
  }

  /** Stats files named directly (not found by a walk), with their prefix hash when asked. */
  probeMany(items: readonly ProbeRequest[], prefix: boolean): Promise<ProbeResult[]> {
    return this.runMany<ProbeRequest, ProbeResult>({ op: 'probe', prefix }, items);
  }

  hashMany(items: readonly HashRequest[], kind: HashKind, onDone?: (finished: number) => void): Promise<HashResult[]> {
    return this.runMany<HashRequest, HashResult>({ op: kind }, items, onDone);
  }

  /** Stops the threads; work still out fails instead of waiting forever. */
  close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers = [];
    for (const w of this.waiting.values()) w.reject(new Error('the hashing threads were stopped'));
    this.waiting.clear();
  }

  private async runMany<I, R>(job: Job, items: readonly I[], onDone?: (finished: number) => void): Promise<R[]> {
    if (items.length === 0) return [];
    this.start();
    const results: R[] = new Array(items.length);
    let next = 0;
    let finished = 0;
    const feed = async (worker: Worker): Promise<void> => {
      while (next < items.length) {
        const from = next;
        next = Math.min(items.length, next + CHUNK);
        // a group is not cut: its files are compared with its first one, on one thread
        const last = groupOf(items[next - 1]);
        if (last !== undefined) while (next < items.length && groupOf(items[next]) === last) next++;
        const part = (await this.send(worker, { ...job, items: items.slice(from, next) })) as R[];
        for (let i = 0; i < part.length; i++) results[from + i] = part[i];
        finished += part.length;
        onDone?.(finished);
      }
    };
    await Promise.all(this.feeders(feed));
    return results;
  }

  /** IN_FLIGHT feeders per thread, each sending one message at a time. */
  private feeders(feed: (worker: Worker) => Promise<void>): Promise<void>[] {
    return this.workers.flatMap((w) => Array.from({ length: IN_FLIGHT }, () => feed(w)));
  }

  private start(): void {
    if (this.workers.length) return;
    for (let i = 0; i < this.size; i++) {
      const worker = spares.pop() ?? startThread();
      worker.on('message', (m: { id: number; results: unknown[] }) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        w?.resolve(m.results);
      });
      worker.on('error', (err) => {
        for (const w of this.waiting.values()) w.reject(err);
        this.waiting.clear();
      });
      this.workers.push(worker);
    }
  }

  private send(worker: Worker, message: (Job | Omit<Extract<PoolMessage, { op: 'walk' }>, 'id'>) & { items: unknown[] }): Promise<unknown[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  }
}

interface Chunk {
  folders: string[];
  names: string;
  casIds: string;
  facts: Float64Array;
}

/** Counts a chunk's files into `alike` and `totals`. */
function count(facts: Float64Array, alike: AlikeCounter, totals: { files: number; bytes: number }): void {
  for (let at = 0; at < facts.length; at += FACTS) {
    totals.files++;
    totals.bytes += facts[at + 1];
    alike.add(facts[at + 1], facts[at + 6], facts[at + 7]);
  }
}

/**
 * The walked files that may have a duplicate, as objects, and totals over all of them (the chunks' files already
 * counted in `alike` and `totals`). Facts stay in the threads' buffers until a file is kept: most of a tree is told
 * apart by its size and first bytes, or by its size and indexed casId, alone.
 */
function collect(
  chunks: readonly Chunk[], loose: readonly ScannedFile[], options: { prefix: boolean }, alike: AlikeCounter, counted: { files: number; bytes: number },
): { files: ScannedFile[]; totals: { files: number; bytes: number } } {
  const totals = { files: counted.files + loose.length, bytes: counted.bytes };
  for (const f of loose) totals.bytes += f.size;
  for (const f of loose) alike.add(f.size, f.prefix ?? 0, f.casId === undefined ? 0 : casKeyOf(f.casId));
  const keep = (size: number, prefixHash: number, casKey: number) => alike.mayHaveDuplicate(size, prefixHash, casKey);
  const files: ScannedFile[] = [];
  for (const { folders, names, casIds, facts } of chunks) {
    let start = 0;
    let casAt = 0;
    for (let at = 0; at < facts.length; at += FACTS) {
      const slash = names.indexOf('/', start);
      const end = slash < 0 ? names.length : slash;
      const casKey = facts[at + 7];
      if (keep(facts[at + 1], facts[at + 6], casKey)) {
        const path = `${folders[facts[at]]}/${names.slice(start, end)}`;
        const f: ScannedFile = { diskPath: path, path, size: facts[at + 1], modifiedAt: facts[at + 2], inode: facts[at + 3], device: facts[at + 4], links: facts[at + 5] };
        if (options.prefix) f.prefix = facts[at + 6];
        if (casKey !== 0) f.casId = casIds.slice(casAt, casAt + 16);
        files.push(f);
      }
      if (casKey !== 0) casAt += 16;
      start = end + 1;
    }
  }
  for (const f of loose) if (keep(f.size, f.prefix ?? 0, f.casId === undefined ? 0 : casKeyOf(f.casId))) files.push(f);
  return { files, totals };
}

/**
 * Which files may have a duplicate among those counted. With prefix hashes: another file of the same size and
 * prefix. Otherwise: another file of the same size, except that a file with an indexed casId needs one with the
 * same casId, or one of the same size whose content is not known (key 0).
 */
class AlikeCounter {
  private readonly bySize = new Map<number, number>();
  private readonly byKey = new Map<number, Map<number, number>>();

  constructor(private readonly byPrefix: boolean) {}

  add(size: number, prefixHash: number, casKey: number): void {
    if (!this.byPrefix) this.bySize.set(size, (this.bySize.get(size) ?? 0) + 1);
    const key = this.byPrefix ? prefixHash : casKey;
    let byKey = this.byKey.get(size);
    if (!byKey) this.byKey.set(size, (byKey = new Map()));
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }

  mayHaveDuplicate(size: number, prefixHash: number, casKey: number): boolean {
    const byKey = this.byKey.get(size)!;
    if (this.byPrefix) return byKey.get(prefixHash)! > 1;
    if (casKey !== 0) return byKey.get(casKey)! > 1 || byKey.has(0);
    return this.bySize.get(size)! > 1;
  }
}

function groupOf(item: unknown): number | undefined {
  return (item as { group?: number }).group;
}
