import { parentPort } from 'node:worker_threads';
import type { IdentifyRequest, IdentifyResult } from '../../commands/locations/ports.js';
import { DomainError } from '../../domain/errors.js';
import { ContentIdentifier } from './content-identifier.js';

/** A hashing thread of the identify pool: takes batches of files, answers with their content facts or errors. */
const identifier = await ContentIdentifier.create();

parentPort!.on('message', (message: { id: number; items: IdentifyRequest[]; deep: boolean }) => {
  const results: IdentifyResult[] = message.items.map(({ diskPath, name, expected }) => {
    try {
      const path = typeof diskPath === 'string' ? diskPath : Buffer.from(diskPath.buffer, diskPath.byteOffset, diskPath.byteLength);
      return { content: identifier.identify(path, name, message.deep, expected) };
    } catch (err) {
      const code = err instanceof DomainError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'EIO');
      return { error: { code, message: (err as Error).message } };
    }
  });
  parentPort!.postMessage({ id: message.id, results });
});
