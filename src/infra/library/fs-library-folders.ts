import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { LibrarySettings } from '../../domain/library/settings.js';
import type { LibraryFolder, LibraryFolders } from '../../commands/ports.js';
import type { LibraryRecord } from '../../projections/library/library-projection.js';
import { writeFileAtomic } from '../atomic-file.js';

export const LIBRARY_EXTENSION = '.sdlibrary';
const STAGING_PREFIX = '.staging-';
/**
 * A staging folder nobody has touched for this long was left by a create or delete that crashed: a live one gets new
 * files within a second or two. Age rather than the creator's pid decides, because a data dir may be shared by
 * machines or containers whose pids mean nothing here, and a pid is reused while a folder's age is not.
 */
const STALE_STAGING_MS = 60_000;

const LibraryJson = z.object({
  version: z.literal(1),
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  settings: LibrarySettings,
  createdAt: z.string(),
  updatedAt: z.string(),
});

const DataDirConfig = z.object({ currentLibraryId: z.string().nullable().default(null) });

/** `<data-dir>/libraries/<Name>.sdlibrary/` folders, their library.json, and `<data-dir>/config.json`. */
export class FsLibraryFolders implements LibraryFolders {
  readonly root: string;
  private readonly configFile: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'libraries');
    this.configFile = path.join(dataDir, 'config.json');
    mkdirSync(this.root, { recursive: true });
  }

  /** The libraries in the folder. Removes the staging folders that crashed creates and deletes left behind. */
  list(): LibraryFolder[] {
    const found: LibraryFolder[] = [];
    for (const entry of readdirSync(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !entry.name.endsWith(LIBRARY_EXTENSION)) continue;
      const dir = path.join(this.root, entry.name);
      if (entry.name.startsWith(STAGING_PREFIX)) {
        removeIfStale(dir);
        continue;
      }
      const config = readLibraryJson(dir);
      if (config) found.push({ id: config.id, name: config.name, description: config.description, path: dir, createdAt: config.createdAt, updatedAt: config.updatedAt });
    }
    return found;
  }

  folderExists(name: string): boolean {
    return existsSync(path.join(this.root, name + LIBRARY_EXTENSION));
  }

  stage(id: string): string {
    const dir = path.join(this.root, `${STAGING_PREFIX}${id}${LIBRARY_EXTENSION}`);
    mkdirSync(path.join(dir, 'thumbnails'), { recursive: true });
    return dir;
  }

  publish(staging: string, name: string): string {
    const target = path.join(this.root, name + LIBRARY_EXTENSION);
    if (existsSync(target)) {
      throw new DomainError('LIBRARY_EXISTS', 'user', `a folder ${target} appeared meanwhile: try again`);
    }
    try {
      renameSync(staging, target);
    } catch (err) {
      // made by another process between the check and the rename: rename(2) will not replace a non-empty folder
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new DomainError('LIBRARY_EXISTS', 'user', `a folder ${target} appeared meanwhile: try again`);
      throw err;
    }
    return target;
  }

  discard(dir: string): void {
    // Rename first so a half-deleted library is never listed.
    const doomed = path.join(this.root, `${STAGING_PREFIX}deleting-${process.pid}-${Date.now()}${LIBRARY_EXTENSION}`);
    try {
      renameSync(dir, doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    rmSync(doomed, { recursive: true, force: true });
  }

  writeConfig(dir: string, library: LibraryRecord): void {
    const json: z.input<typeof LibraryJson> = { version: 1, ...library };
    writeFileAtomic(path.join(dir, 'library.json'), JSON.stringify(json, null, 2) + '\n');
  }

  currentId(): string | null {
    try {
      return DataDirConfig.parse(JSON.parse(readFileSync(this.configFile, 'utf8'))).currentLibraryId;
    } catch {
      return null;
    }
  }

  setCurrentId(id: string | null): void {
    writeFileAtomic(this.configFile, JSON.stringify({ currentLibraryId: id }, null, 2) + '\n');
  }
}

function removeIfStale(staging: string): void {
  try {
    if (Date.now() - statSync(staging).mtimeMs >= STALE_STAGING_MS) rmSync(staging, { recursive: true, force: true });
  } catch {
    // gone meanwhile (published, or removed by another process), or not removable now: the next listing tries again
  }
}

export function readLibraryJson(dir: string): z.output<typeof LibraryJson> | null {
  try {
    return LibraryJson.parse(JSON.parse(readFileSync(path.join(dir, 'library.json'), 'utf8')));
  } catch {
    return null;
  }
}
