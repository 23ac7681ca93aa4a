import { accessSync, constants, lstatSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IdentifyRequest, IdentifyResult, IndexerFileSystem, WalkOptions } from '../../commands/locations/ports.js';
import { DomainError } from '../../domain/errors.js';
import { IdentifyPool } from './identify-pool.js';
import { WalkThreads } from './walk-thread.js';
import { walk } from './walker.js';

/** The indexer's filesystem: the walker, casIds, file types and media facts. */
export class NodeIndexerFileSystem implements IndexerFileSystem {
  private readonly pool = new IdentifyPool();
  private readonly walkThreads = new WalkThreads();

  walk(root: string, options: WalkOptions) {
    return walk(root, options);
  }

  walkAhead(root: string, options: WalkOptions) {
    return this.walkThreads.walk(root, options);
  }

  identifyMany(items: readonly IdentifyRequest[], deep: boolean): Promise<IdentifyResult[]> {
    return this.pool.identifyMany(items, deep);
  }

  startThreads(): void {
    this.pool.start();
  }

  releaseThreads(): void {
    this.pool.release();
  }

  close(): void {
    this.pool.close();
    this.walkThreads.close();
  }

  exists(diskPath: string | Buffer): boolean {
    return lstatSync(diskPath, { throwIfNoEntry: false }) !== undefined;
  }

  folderInode(p: string): number | null {
    try {
      const st = statSync(p, { throwIfNoEntry: false });
      return st?.isDirectory() ? st.ino : null;
    } catch {
      return null;
    }
  }

  inspectRoot(input: string): string {
    const absolute = path.resolve(input);
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch (err) {
      throw refused(absolute, err, 'does not exist');
    }
    const st = statSync(real);
    if (!st.isDirectory()) throw new DomainError('LOCATION_NOT_DIRECTORY', 'user', `${absolute} is not a directory: a location must be a folder`);
    try {
      accessSync(real, constants.R_OK | constants.X_OK);
    } catch (err) {
      throw refused(absolute, err, 'cannot be read');
    }
    return real;
  }
}

function refused(p: string, err: unknown, what: string): DomainError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new DomainError('LOCATION_PATH_MISSING', 'user', `${p} ${what}: check the path`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new DomainError('LOCATION_UNREADABLE', 'user', `${p} cannot be read (permission denied): grant read access or pick another folder`);
  }
  return new DomainError('LOCATION_UNREADABLE', 'user', `${p} ${what}: ${(err as Error).message}`);
}
