import { Worker } from 'node:worker_threads';
import type { DirectoryListing, WalkOptions } from '../../commands/locations/ports.js';
import { decodeChunk, type WalkReply } from './walk-wire.js';
import { statLeftFiles } from './walker.js';

/**
 * Chunks a walk thread may read ahead of the walk's taker. A chunk takes listings until it holds 1,024 entries or
 * more: one listing (or one part of a huge folder's, 5,000 entries in the indexer) can make it bigger.
 */
const CREDITS = 8;
/** How long an unused walk thread is kept (it holds some 20-30 MB), unless told otherwise. */
const IDLE_MS = 10_000;

/**
 * Walks on threads of their own: the listings of `walk`, in the same order, read (directories listed, entries
 * stat'ed, rules applied) while the calling thread works on the ones before. A thread serves one walk at a time and
 * is kept for the next walk for `idleMs` (a scan after a scan finds its thread started and its code compiled); threads
 * never keep the process alive when no walk is running.
 */
export class WalkThreads {
  private idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];
  private readonly busy = new Set<{ worker: Worker; fail(err: Error): void }>();
  private nextId = 1;

  constructor(private readonly idleMs = IDLE_MS) {}

  async *walk(root: string, options: WalkOptions): AsyncGenerator<DirectoryListing> {
    let kept = this.idle.pop();
    // a kept thread that died meanwhile (its exit not yet seen) would take no message
    while (kept && kept.worker.threadId === -1) kept = this.idle.pop();
    if (kept) clearTimeout(kept.timer);
    const worker = kept?.worker ?? this.spawn();
    const id = this.nextId++;
    const shareStats = options.shareStats === true && options.statFiles !== false;
    const replies: WalkReply[] = [];
    let failure: Error | null = null;
    let wake: (() => void) | null = null;
    const onMessage = (m: WalkReply) => {
      if (m.id !== id) return; // a chunk of an earlier walk, left early, still on its way
      replies.push(m);
      wake?.();
    };
    const fail = (err: Error) => {
      failure ??= err;
      wake?.();
    };
    const onExit = () => fail(new Error('the walk thread stopped'));
    const job = { worker, fail };
    this.busy.add(job);
    worker.on('message', onMessage).on('error', fail).on('exit', onExit);
    worker.ref(); // a walk waiting for its next chunk must keep the process alive
    let finished = false;
    try {
      worker.postMessage({ op: 'start', id, root, options, credits: CREDITS });
      for (;;) {
        if (failure) throw failure;
        const reply = replies.shift();
        if (!reply) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if ('failure' in reply) {
          const err = new Error(`the walk of ${root} failed: ${reply.failure.message}`);
          err.stack = reply.failure.stack;
          throw err;
        }
        if (!reply.done) worker.postMessage({ op: 'credit', id });
        for (const listing of decodeChunk(reply)) {
          if (shareStats) statLeftFiles(listing);
          yield listing;
          if (failure) throw failure;
        }
        if (reply.done) {
          finished = true;
          return;
        }
      }
    } finally {
      this.busy.delete(job);
      worker.off('message', onMessage).off('error', fail).off('exit', onExit);
      worker.unref();
      if (failure) {
        void worker.terminate();
      } else {
        if (!finished) worker.postMessage({ op: 'stop', id });
        this.keep(worker);
      }
    }
  }

  /** Stops the threads; a walk still running fails, so a job running at close ends instead of waiting forever. */
  close(): void {
    for (const { worker, timer } of this.idle) {
      clearTimeout(timer);
      void worker.terminate();
    }
    this.idle = [];
    for (const job of this.busy) {
      job.fail(new Error('the walk thread was stopped: the library was closed'));
      void job.worker.terminate();
    }
  }

  private keep(worker: Worker): void {
    const timer = setTimeout(() => {
      this.forget(worker);
      void worker.terminate();
    }, this.idleMs);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  private spawn(): Worker {
    // A walk thread keeps little (a few chunks of listings, the walk's path stack) but makes ~1 KiB of garbage per
    // entry (a stat object): a young generation of 16 MB (V8's default for a thread is far smaller here) scavenges
    // a quarter as often as 4 MB did, which took rescans from ~85k to ~105k files/s in alternating runs.
    const worker = new Worker(new URL('./walk-worker.js', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    // A walk listens for its thread's error and exit itself. These are for a kept thread: an error with no listener
    // would end this process, and a thread that died while kept must not be handed to the next walk.
    worker.on('error', () => undefined).on('exit', () => this.forget(worker));
    return worker;
  }

  private forget(worker: Worker): void {
    const kept = this.idle.find((k) => k.worker === worker);
    if (!kept) return;
    clearTimeout(kept.timer);
    this.idle = this.idle.filter((k) => k !== kept);
  }
}
