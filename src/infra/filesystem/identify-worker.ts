import { parentPort } from 'node:worker_threads';
import { DomainError } from '../../domain/errors.js';
import { ContentIdentifier } from './content-identifier.js';
import { decodeRequests, ResultEncoder, type RequestMessage } from './identify-wire.js';

/** A hashing thread of the identify pool: takes batches of files, answers with their content facts or errors. */
const identifier = await ContentIdentifier.create();

parentPort!.on('message', (message: RequestMessage) => {
  const requests = decodeRequests(message);
  const results = new ResultEncoder(message.id, requests.length);
  for (const { diskPath, name, expected } of requests) {
    try {
      const identified = identifier.identify(diskPath, name, message.deep, expected);
      results.content(identified?.facts ?? null, identified?.size ?? 0);
    } catch (err) {
      const code = err instanceof DomainError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'EIO');
      results.error(code, (err as Error).message);
    }
  }
  parentPort!.postMessage(results.finish());
});
