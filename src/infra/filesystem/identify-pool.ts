import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IdentifyRequest, IdentifyResult } from '../../commands/locations/ports.js';
import { decodeResults, encodeRequests, type ResultMessage } from './identify-wire.js';

/**
 * Hashing threads: a batch is split across them so content identification uses every core while the main thread
 * walks and writes. Workers start on first use and never keep the process alive.
 */
export class IdentifyPool {
  private workers: Worker[] = [];
  private nextId = 1;
  /** Asked to stop the threads while batches were out: done when the last comes back (see `release`). */
  private releaseWhenIdle = false;
  private readonly waiting = new Map<number, { resolve(r: IdentifyResult[]): void; reject(e: Error): void }>();

  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  async identifyMany(items: readonly IdentifyRequest[], deep: boolean): Promise<IdentifyResult[]> {
    if (items.length === 0) return [];
    this.start();
    const per = Math.ceil(items.length / this.workers.length);
    const parts: Promise<IdentifyResult[]>[] = [];
    for (let w = 0; w * per < items.length; w++) parts.push(this.send(this.workers[w], items.slice(w * per, (w + 1) * per), deep));
    return (await Promise.all(parts)).flat();
  }

  /**
   * Stops the threads once no batch is out (now, or when the last one out comes back); the next batch starts them
   * again.
   */
  release(): void {
    this.releaseWhenIdle = true;
    this.releaseIfIdle();
  }

  private releaseIfIdle(): void {
    if (!this.releaseWhenIdle || this.waiting.size > 0) return;
    this.releaseWhenIdle = false;
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }

  /** Stops the threads; batches still out fail, so a job running at close ends instead of waiting forever. */
  close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers = [];
    for (const w of this.waiting.values()) w.reject(new Error('the hashing threads were stopped: the library was closed'));
    this.waiting.clear();
  }

  /** Starts the threads, unless they run; a batch starts them too. */
  start(): void {
    this.releaseWhenIdle = false;
    if (this.workers.length) return;
    for (let i = 0; i < this.size; i++) {
      // a hashing thread holds one read buffer and a batch of small results: a small young generation keeps peak RSS
      // down; the old generation is left uncapped, so that a batch of any size fits
      const worker = new Worker(new URL('./identify-worker.js', import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: 4 },
      });
      worker.unref();
      worker.on('message', (m: ResultMessage) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        w?.resolve(decodeResults(m));
        this.releaseIfIdle();
      });
      worker.on('error', (err) => {
        for (const w of this.waiting.values()) w.reject(err);
        this.waiting.clear();
      });
      this.workers.push(worker);
    }
  }

  private send(worker: Worker, items: IdentifyRequest[], deep: boolean): Promise<IdentifyResult[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(encodeRequests(id, items, deep));
    });
  }
}
