import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashKind, HashRequest, HashResult } from '../../commands/files/ports.js';

/** Files per message: small enough to keep every thread busy to the end and report progress, large enough to amortise. */
export const CHUNK = 256;

export interface ProbeRequest {
  diskPath: string | Uint8Array;
}

/** A probed file's facts, `skip` when it is not (or no longer) a regular file, or why it could not be read. */
export type ProbeResult =
  | { size: number; modifiedAt: number; inode: number; device: number; prefix?: string }
  | { skip: true }
  | { error: { code: string; message: string } };

export type PoolMessage =
  | { id: number; op: 'probe'; prefix: boolean; items: ProbeRequest[] }
  | { id: number; op: HashKind; items: HashRequest[] };

type Job = { op: 'probe'; prefix: boolean } | { op: HashKind };

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
   * Probes files as they are listed: each batch goes to the next thread at once, so the threads stat and read
   * while the caller goes on listing. `results` settles with every batch's results, in the order pushed.
   */
  probeStream(prefix: boolean, onDone?: (finished: number) => void): { push(items: ProbeRequest[]): void; results(): Promise<ProbeResult[]> } {
    this.start();
    const parts: Promise<ProbeResult[]>[] = [];
    let finished = 0;
    return {
      push: (items) => {
        const part = this.send(this.workers[parts.length % this.workers.length], { op: 'probe', prefix, items }) as Promise<ProbeResult[]>;
        parts.push(
          part.then((r) => {
            finished += r.length;
            onDone?.(finished);
            return r;
          }),
        );
      },
      results: async () => (await Promise.all(parts)).flat(),
    };
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
