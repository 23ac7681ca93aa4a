import type { Database } from 'better-sqlite3';
import { subtreeRange } from '../../domain/location/entry-path.js';

/** An indexed file, lean: what duplicate detection and validation compare with the disk. */
export interface IndexedFile {
  id: number;
  parent: string;
  name: string;
  rawName: Buffer | null;
  kind: 'file' | 'directory' | 'symlink';
  size: number;
  inode: number;
  modifiedAt: number;
  casId: string | null;
}

const COLUMNS = 'id, parent, name, raw_name AS rawName, kind, size, inode, modified_at AS modifiedAt, cas_id AS casId';

/** Entries below `dir` of a location ('' for all of it; `dir` itself is not included), in id order after `afterId`. */
export function entriesBelow(db: Database, location: number, dir: string, afterId: number, limit: number): IndexedFile[] {
  if (dir === '') {
    return db.prepare(`SELECT ${COLUMNS} FROM entries WHERE location = ? AND id > ? ORDER BY id LIMIT ?`).all(location, afterId, limit) as IndexedFile[];
  }
  const [self, from, to] = subtreeRange(dir);
  return db
    .prepare(`SELECT ${COLUMNS} FROM entries WHERE location = ? AND id > ? AND (parent = ? OR (parent >= ? AND parent < ?)) ORDER BY id LIMIT ?`)
    .all(location, afterId, self, from, to, limit) as IndexedFile[];
}

/** Files below `dir` of a location ('' for all of it), optionally only those with a casId. */
export function filesBelow(db: Database, location: number, dir: string, withCasId: boolean): IterableIterator<IndexedFile> {
  const content = withCasId ? ' AND cas_id IS NOT NULL' : '';
  if (dir === '') {
    return db.prepare(`SELECT ${COLUMNS} FROM entries WHERE location = ? AND kind = 'file'${content}`).iterate(location) as IterableIterator<IndexedFile>;
  }
  const [self, from, to] = subtreeRange(dir);
  return db
    .prepare(`SELECT ${COLUMNS} FROM entries WHERE location = ? AND kind = 'file'${content} AND (parent = ? OR (parent >= ? AND parent < ?))`)
    .iterate(location, self, from, to) as IterableIterator<IndexedFile>;
}

/** One entry by its place in a location, or null. */
export function entryAt(db: Database, location: number, parent: string, name: string): IndexedFile | null {
  return (db.prepare(`SELECT ${COLUMNS} FROM entries WHERE location = ? AND parent = ? AND name = ?`).get(location, parent, name) as IndexedFile | undefined) ?? null;
}

/** Folders of a location whose names are not valid UTF-8: their path in the index → their name's bytes. */
export function rawNamedDirectories(db: Database, location: number): Map<string, Buffer> {
  const rows = db
    .prepare("SELECT parent, name, raw_name AS rawName FROM entries WHERE location = ? AND kind = 'directory' AND raw_name IS NOT NULL")
    .all(location) as { parent: string; name: string; rawName: Buffer }[];
  return new Map(rows.map((r) => [r.parent === '' ? r.name : `${r.parent}/${r.name}`, r.rawName]));
}
