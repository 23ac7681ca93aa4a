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
  private readonly rawDirs: Map<string, Buffer>;
  private readonly locationPath: string;

  constructor(db: Database, location: { key: number; path: string }) {
    this.locationPath = location.path;
    this.rawDirs = rawNamedDirectories(db, location.key);
  }

  of(e: Pick<IndexedFile, 'parent' | 'name' | 'rawName'>): string | Buffer {
    if (this.rawDirs.size === 0 || !e.parent.includes('\\x')) {
      const dir = e.parent === '' ? this.locationPath : `${this.locationPath}/${e.parent}`;
      return e.rawName ? Buffer.concat([Buffer.from(`${dir}/`), e.rawName]) : `${dir}/${e.name}`;
    }
    const parts: Buffer[] = [Buffer.from(this.locationPath)];
    let rel = '';
    for (const segment of e.parent.split('/')) {
      rel = rel === '' ? segment : `${rel}/${segment}`;
      parts.push(Buffer.from('/'), this.rawDirs.get(rel) ?? Buffer.from(segment));
    }
    parts.push(Buffer.from('/'), e.rawName ?? Buffer.from(e.name));
    return Buffer.concat(parts);
  }
}
