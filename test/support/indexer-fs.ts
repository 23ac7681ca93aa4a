import { NodeIndexerFileSystem } from '../../src/infra/filesystem/indexer-file-system.js';
import { tempDir } from './temp.js';

/** The indexer's filesystem (walk and hashing threads) and a fresh temp directory, both gone after `fn`. */
export async function withIndexerFs(fn: (fs: NodeIndexerFileSystem, dir: string) => Promise<void>): Promise<void> {
  const fs = new NodeIndexerFileSystem();
  const tmp = tempDir();
  try {
    await fn(fs, tmp.dir);
  } finally {
    fs.close();
    tmp.cleanup();
  }
}
