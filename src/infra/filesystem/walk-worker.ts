import { parentPort } from 'node:worker_threads';
import type { DirectoryListing } from '../../commands/locations/ports.js';
import { encodeChunk, type WalkRequest } from './walk-wire.js';
import { walk } from './walker.js';

/**
 * A walk thread (see `WalkThreads`): runs `walk` and sends its listings in chunks, at most `credits` chunks ahead of
 * what the walk took in. One walk at a time; each chunk is read in its own turn of the event loop, so a credit or a
 * stop is seen between chunks.
 */
const CHUNK_ENTRIES = 1024;
const CHUNK_LISTINGS = 128;

let current: { id: number; listings: Generator<DirectoryListing>; credits: number; scheduled: boolean } | null = null;

parentPort!.on('message', (m: WalkRequest) => {
  if (m.op === 'start') {
    current?.listings.return(undefined);
    const leaveAlternateFiles = m.options.shareStats === true;
    current = { id: m.id, listings: walk(m.root, { ...m.options, leaveAlternateFiles }), credits: m.credits, scheduled: false };
  } else if (current?.id !== m.id) {
    return; // a credit or stop for a walk already over
  } else if (m.op === 'credit') {
    current.credits++;
  } else {
    current.listings.return(undefined);
    current = null;
    return;
  }
  schedule();
});

function schedule(): void {
  if (!current || current.scheduled || current.credits <= 0) return;
  current.scheduled = true;
  setImmediate(sendChunk);
}

function sendChunk(): void {
  const w = current;
  if (!w) return;
  w.scheduled = false;
  if (w.credits <= 0) return; // a turn scheduled for a walk that a new one replaced
  const listings: DirectoryListing[] = [];
  let entries = 0;
  let done = false;
  try {
    while (entries < CHUNK_ENTRIES && listings.length < CHUNK_LISTINGS) {
      const next = w.listings.next();
      if (next.done) {
        done = true;
        break;
      }
      listings.push(next.value);
      entries += next.value.entries.length;
    }
  } catch (err) {
    current = null;
    const e = err instanceof Error ? err : new Error(String(err));
    parentPort!.postMessage({ id: w.id, failure: { message: e.message, stack: e.stack ?? '' } });
    return;
  }
  const { chunk, transfer } = encodeChunk(w.id, listings, done);
  parentPort!.postMessage(chunk, transfer);
  w.credits--;
  if (done) current = null;
  else schedule();
}
