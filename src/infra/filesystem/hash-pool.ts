import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashKind, HashRequest, HashResult, ScanError } from '../../commands/files/file-checks-ports.js';

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
 * What a thread found in the folders it was given, packed to cross threads cheaply: the files' names joined by `/`
 * (which no name holds) and, per file, seven numbers in one transferred buffer: the index of its folder in the
 * message, size, modification time, inode, device, link count and prefix hash (0 without one). Files whose path is
 * not valid UTF-8 travel apart, with their disk path.
 */
export interface WalkedFolders {
  names: string;
  facts: Float64Array;
  odd: { diskPath: Uint8Array; path: string; size: number; modifiedAt: number; inode: number; device: number; links: number; prefix?: number }[];
  dirs: { diskPath: string | Uint8Array; path: string }[];
  errors: ScanError[];
}

/** Numbers per file in `WalkedFolders.facts`. */
export const FACTS = 7;

/** A file the walk found, with its facts. */
export interface WalkedFile {
  diskPath: string | Buffer;
  path: string;
  size: number;
  modifiedAt: number;
  inode: number;
  device: number;
  links: number;
  prefix?: number;
}

export type PoolMessage =
  | { id: number; op: 'walk'; prefix: boolean; items: { diskPath: string | Uint8Array; path: string }[] }
  | { id: number; op: 'probe'; prefix: boolean; items: ProbeRequest[] }
  | { id: number; op: HashKind; items: HashRequest[] };

type Job = { op: 'walk' | 'probe'; prefix: boolean } | { op: HashKind };

/** Folders per message: a handful, so that the threads share a deep tree's folders as they are discovered. */
const FOLDERS = 4;

/**
 * Threads for duplicate detection and validation: stat and prefix-hash files, casIds, full hashes. Work is handed
 * out chunk by chunk as threads free up (file sizes vary a lot), not split evenly up front. Threads never keep the
 * process alive.
 */
export class HashPool {
  private workers: Worker[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: unknown[]): void; reject(e: Error): void }>();

  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  /**
   * Lists the folders and everything below them, and probes their files, on all threads: a thread that finishes its
   * folders takes the next ones found, so a deep or lopsided tree keeps every thread busy. A folder reached twice
   * (a root inside another) is listed once.
   */
  async walk(roots: readonly { diskPath: string | Buffer; path: string }[], prefix: boolean, onFiles?: (found: number) => void): Promise<{ files: WalkedFile[]; errors: ScanError[] }> {
    const out: { files: WalkedFile[]; errors: ScanError[] } = { files: [], errors: [] };
    if (roots.length === 0) return out;
    this.start();
    const seen = new Set<string>();
    const queue: { diskPath: string | Uint8Array; path: string }[] = [];
    const enqueue = (d: { diskPath: string | Uint8Array; path: string }) => {
      const key = typeof d.diskPath === 'string' ? d.diskPath : Buffer.from(d.diskPath).toString('latin1');
      if (seen.has(key)) return;
      seen.add(key);
      queue.push(d);
    };
    roots.forEach(enqueue);
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
          await new Promise<void>((resolve) => waiters.push(resolve));
          continue;
        }
        busy++;
        const folders = queue.splice(0, FOLDERS);
        let found: WalkedFolders;
        try {
          found = (await this.send(worker, { op: 'walk', prefix, items: folders })) as unknown as WalkedFolders;
        } finally {
          busy--;
        }
        for (const d of found.dirs) enqueue(d);
        const { facts } = found;
        const names = found.names === '' ? [] : found.names.split('/');
        for (let i = 0, at = 0; i < names.length; i++, at += FACTS) {
          const path = `${folders[facts[at]].path}/${names[i]}`;
          const f: WalkedFile = { diskPath: path, path, size: facts[at + 1], modifiedAt: facts[at + 2], inode: facts[at + 3], device: facts[at + 4], links: facts[at + 5] };
          if (prefix) f.prefix = facts[at + 6];
          out.files.push(f);
        }
        for (const f of found.odd) out.files.push({ ...f, diskPath: Buffer.from(f.diskPath.buffer, f.diskPath.byteOffset, f.diskPath.byteLength) });
        for (const e of found.errors) out.errors.push(e);
        onFiles?.(out.files.length);
        wake();
      }
    };
    await Promise.all(this.workers.map(feed));
    return out;
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
    await Promise.all(this.workers.map(feed));
    return results;
  }

  private start(): void {
    if (this.workers.length) return;
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(new URL('./hash-worker.js', import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
      });
      worker.unref();
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

  private send(worker: Worker, message: Job & { items: unknown[] }): Promise<unknown[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  }
}

function groupOf(item: unknown): number | undefined {
  return (item as { group?: number }).group;
}
