import { lstatSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { FileStat } from '../../commands/locations/ports.js';
import { DomainError } from '../../domain/errors.js';
import { ContentIdentifier } from './content-identifier.js';
import { decodeRequests, ResultEncoder, type RequestMessage } from './identify-wire.js';

/** A hashing thread of the identify pool: takes batches of files, answers with their content facts or errors. */
let identifier!: ContentIdentifier;
/**
 * Made before the first batch is handled. Not a top-level await: V8 (Node 20) aborts the whole process when a thread
 * is terminated while a module of it is still being evaluated asynchronously (a pool closed right after it started).
 */
const ready = ContentIdentifier.create().then((made) => {
  identifier = made;
});

// batches that come before the identifier is made wait for it, in order
parentPort!.on('message', (message: RequestMessage) => void ready.then(() => identify(message)));

function identify(message: RequestMessage): void {
  const requests = decodeRequests(message);
  const results = new ResultEncoder(message.id, requests.length);
  for (const { diskPath, name, expected } of requests) {
    try {
      const identified = identifier.identify(diskPath, name, message.deep, expected);
      results.content(identified.facts, identified);
    } catch (err) {
      const code = err instanceof DomainError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'EIO');
      results.error(code, (err as Error).message, expected ? undefined : statOf(diskPath));
    }
  }
  parentPort!.postMessage(results.finish());
}

/** The stat of a regular file that could not be read (permission denied, …): it is still an entry of its folder. */
function statOf(diskPath: string | Buffer): FileStat | undefined {
  try {
    const st = lstatSync(diskPath, { throwIfNoEntry: false });
    return st?.isFile() ? { size: st.size, inode: st.ino, modifiedAt: Math.trunc(st.mtimeMs) } : undefined;
  } catch {
    return undefined;
  }
}
