import type { Database } from 'better-sqlite3';
import { rawNamedDirectories, type IndexedFile } from '../../projections/locations/indexed-files.js';

/** The absolute path of an indexed entry as shown to the user (invalid UTF-8 bytes written `\xHH`). */
export function displayPathOf(locationPath: string, e: Pick<IndexedFile, 'parent' | 'name'>): string {
  return e.parent === '' ? `${locationPath}/${e.name}` : `${locationPath}/${e.parent}/${e.name}`;
}

/**
 * Where to open indexed entries. The index keeps an entry's own raw name when it is not valid UTF-8, but its
 * `parent` only as readable text: folders with such names are looked up once, so files inside them open too.
 */
export class IndexedDiskPaths {
  /** Looked up when first needed: finding them reads every folder of the location. */
  private rawDirs: Map<string, Buffer> | undefined;

  constructor(
    private readonly db: Database,
    private readonly location: { key: number; path: string },
  ) {}

  of(e: Pick<IndexedFile, 'parent' | 'name' | 'rawName'>): string | Buffer {
    // an escaped byte (`\xHH`) in the readable parent is the only sign of a folder with a raw name
    if (!e.parent.includes('\\x') || (this.rawDirs ??= rawNamedDirectories(this.db, this.location.key)).size === 0) {
      const dir = e.parent === '' ? this.location.path : `${this.location.path}/${e.parent}`;
      return e.rawName ? Buffer.concat([Buffer.from(`${dir}/`), e.rawName]) : `${dir}/${e.name}`;
    }
    const parts: Buffer[] = [Buffer.from(this.location.path)];
    let rel = '';
    for (const segment of e.parent.split('/')) {
      rel = rel === '' ? segment : `${rel}/${segment}`;
      parts.push(Buffer.from('/'), this.rawDirs!.get(rel) ?? Buffer.from(segment));
    }
    parts.push(Buffer.from('/'), e.rawName ?? Buffer.from(e.name));
    return Buffer.concat(parts);
  }
}
