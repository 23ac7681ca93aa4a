import type { Database } from 'better-sqlite3';
import { subtreeRange } from '../../domain/location/entry-path.js';
import type { IndexerRules } from '../../domain/location/indexer-rules.js';
import type { IndexMode } from '../../domain/location/events.js';
import type { JobStatus } from '../../domain/job/decider.js';
import { INDEX_JOB } from '../../domain/location/index-modes.js';

export interface LocationRecord {
  key: number;
  id: string;
  name: string;
  path: string;
  mode: IndexMode;
  rules: IndexerRules;
  deviceId: string;
  addedAt: string;
  updatedAt: string;
  scans: number;
  lastScan: Record<string, unknown> | null;
  files: number;
  directories: number;
  bytes: number;
  /** The location's latest index job (from the jobs read model): how it stands, and why it failed. Null: none yet. */
  lastIndexJob: { status: JobStatus; failureCode: string | null; updatedAt: string } | null;
}

interface LocationRow extends Omit<LocationRecord, 'rules' | 'lastScan' | 'lastIndexJob'> {
  rules: string;
  lastScan: string | null;
  /** Status, the failure's code and the last change, as 'failed LOCATION_OFFLINE 2026-…' ('completed  2026-…'). */
  lastIndexJob: string | null;
}

const LOCATION_COLUMNS = `key, id, name, path, mode, rules, device_id AS deviceId, added_at AS addedAt, updated_at AS updatedAt,
  scans, last_scan AS lastScan, files, directories, bytes,
  (SELECT j.status || ' ' || COALESCE(json_extract(j.failure, '$.code'), '') || ' ' || j.updated_at FROM jobs j
    WHERE j.location_id = locations.id AND j.name = '${INDEX_JOB}' ORDER BY j.queued_at DESC, j.id DESC LIMIT 1) AS lastIndexJob`;

function toRecord(r: LocationRow): LocationRecord {
  const [status, failureCode, updatedAt] = r.lastIndexJob?.split(' ') ?? [];
  return {
    ...r,
    rules: JSON.parse(r.rules) as IndexerRules,
    lastScan: r.lastScan ? (JSON.parse(r.lastScan) as Record<string, unknown>) : null,
    lastIndexJob: status ? { status: status as JobStatus, failureCode: failureCode || null, updatedAt } : null,
  };
}

export function listLocations(db: Database): LocationRecord[] {
  return (db.prepare(`SELECT ${LOCATION_COLUMNS} FROM locations ORDER BY key`).all() as LocationRow[]).map(toRecord);
}

export function locationById(db: Database, id: string): LocationRecord | null {
  const r = db.prepare(`SELECT ${LOCATION_COLUMNS} FROM locations WHERE id = ?`).get(id) as LocationRow | undefined;
  return r ? toRecord(r) : null;
}

/** A stored entry, as the indexer compares it with the disk and `ls` shows it. */
export interface EntryRecord {
  id: number;
  parent: string;
  name: string;
  rawName: Buffer | null;
  kind: 'file' | 'directory' | 'symlink';
  size: number;
  inode: number;
  modifiedAt: number;
  hidden: number;
  casId: string | null;
  childCount: number | null;
  aggregateSize: number | null;
  fileCount: number | null;
  contentKind: string | null;
  mime: string | null;
  /** Media facts of the content (deep mode): image dimensions and format. */
  width: number | null;
  height: number | null;
  mediaFormat: string | null;
}

export interface IndexedFacts {
  kind: EntryRecord['kind'];
  size: number;
  inode: number;
  modifiedAt: number;
  hidden: boolean;
}

export type FileToIdentify = Pick<EntryRecord, 'id' | 'parent' | 'name' | 'rawName' | 'size' | 'modifiedAt' | 'casId'> & {
  /** Whether the index holds media facts for the file's content. */
  hasMedia: 0 | 1;
};

const ENTRY_COLUMNS = `e.id, e.parent, e.name, e.raw_name AS rawName, e.kind, e.size, e.inode, e.modified_at AS modifiedAt,
  e.hidden, e.cas_id AS casId, e.child_count AS childCount, e.aggregate_size AS aggregateSize, e.file_count AS fileCount,
  c.kind AS contentKind, c.mime, c.width, c.height, c.media_format AS mediaFormat`;

/** The columns of a `FileToIdentify` (but `hasMedia`), from `entries e`. */
const TO_IDENTIFY = 'e.id, e.parent, e.name, e.raw_name AS rawName, e.size, e.modified_at AS modifiedAt, e.cas_id AS casId';

/** Images whose dimensions deep mode reads (see media-facts.ts): others have none to find. */
const MEDIA_MIMES = "('image/png', 'image/gif', 'image/jpeg', 'image/webp', 'image/bmp')";

/** Queries the indexer runs per directory and per file: prepared once per database. */
export class EntryQueries {
  private readonly children;
  private readonly one;
  private readonly byId;
  private readonly inodes;
  private readonly unidentified;
  private readonly subtree;
  private readonly files;
  private readonly withoutMedia;
  private readonly diff;

  constructor(db: Database) {
    this.children = db.prepare(
      `SELECT ${ENTRY_COLUMNS} FROM entries e LEFT JOIN content_identities c ON c.cas_id = e.cas_id
       WHERE e.location = ? AND e.parent = ? ORDER BY e.name`,
    );
    this.diff = db.prepare('SELECT name, kind, size, inode, modified_at, hidden FROM entries WHERE location = ? AND parent = ?').raw();
    this.one = db.prepare(
      `SELECT ${ENTRY_COLUMNS} FROM entries e LEFT JOIN content_identities c ON c.cas_id = e.cas_id
       WHERE e.location = ? AND e.parent = ? AND e.name = ?`,
    );
    this.byId = db.prepare(`SELECT ${ENTRY_COLUMNS} FROM entries e LEFT JOIN content_identities c ON c.cas_id = e.cas_id WHERE e.id = ?`);
    // two JSON arrays in one row (one aggregate pass feeds both, in the same order): a row per entry costs four times more
    this.inodes = db.prepare('SELECT json_group_array(inode), json_group_array(id) FROM entries WHERE location = ?').raw();
    this.unidentified = db.prepare(
      `SELECT ${TO_IDENTIFY}, 0 AS hasMedia FROM entries e
       WHERE e.location = ? AND e.id > ? AND e.kind = 'file' AND e.size > 0 AND e.cas_id IS NULL ORDER BY e.id LIMIT ?`,
    );
    this.files = db.prepare(
      `SELECT ${TO_IDENTIFY}, c.media_format IS NOT NULL AS hasMedia
       FROM entries e LEFT JOIN content_identities c ON c.cas_id = e.cas_id
       WHERE e.location = ? AND e.id > ? AND e.kind = 'file' AND e.size > 0 ORDER BY e.id LIMIT ?`,
    );
    this.withoutMedia = db.prepare(
      `SELECT ${TO_IDENTIFY}, 0 AS hasMedia
       FROM entries e LEFT JOIN content_identities c ON c.cas_id = e.cas_id
       WHERE e.location = ? AND e.id > ? AND e.kind = 'file' AND e.size > 0 AND (e.cas_id IS NULL OR (c.media_format IS NULL AND c.mime IN ${MEDIA_MIMES}))
       ORDER BY e.id LIMIT ?`,
    );
    this.subtree = db.prepare(
      `SELECT ${ENTRY_COLUMNS} FROM entries e LEFT JOIN content_identities c ON c.cas_id = e.cas_id
       WHERE e.location = ? AND (e.parent = ? OR (e.parent >= ? AND e.parent < ?)) ORDER BY e.parent, e.name`,
    );
  }

  childrenOf(location: number, parent: string): EntryRecord[] {
    return this.children.all(location, parent) as EntryRecord[];
  }

  /** What the indexer compares with the disk, by name: the lean form of `childrenOf`, run once per directory. */
  indexedChildren(location: number, parent: string): Map<string, IndexedFacts> {
    const map = new Map<string, IndexedFacts>();
    for (const [name, kind, size, inode, modifiedAt, hidden] of this.diff.all(location, parent) as [string, EntryRecord['kind'], number, number, number, number][]) {
      map.set(name, { kind, size, inode, modifiedAt, hidden: hidden === 1 });
    }
    return map;
  }

  entry(location: number, parent: string, name: string): EntryRecord | null {
    return (this.one.get(location, parent, name) as EntryRecord | undefined) ?? null;
  }

  byEntryId(id: number): EntryRecord | null {
    return (this.byId.get(id) as EntryRecord | undefined) ?? null;
  }

  /**
   * The ids of a location's entries by inode (an array only for an inode that several entries share: hard links),
   * read in one pass: entries have no index on inode (migration 0008), so a job that looks inodes up reads them once.
   * The map is as of now: look the entries up by id before trusting it.
   */
  idsByInode(location: number): Map<number, number | number[]> {
    const map = new Map<number, number | number[]>();
    const [inodesJson, idsJson] = this.inodes.get(location) as [string, string];
    const inodes = JSON.parse(inodesJson) as number[];
    const entryIds = JSON.parse(idsJson) as number[];
    for (let i = 0; i < inodes.length; i++) {
      const inode = inodes[i];
      const ids = map.get(inode);
      if (ids === undefined) map.set(inode, entryIds[i]);
      else if (typeof ids === 'number') map.set(inode, [ids, entryIds[i]]);
      else ids.push(entryIds[i]);
    }
    return map;
  }

  /** Files with content but no casId yet, in id order after `afterId`. */
  unidentifiedFiles(location: number, afterId: number, limit: number): FileToIdentify[] {
    return this.unidentified.all(location, afterId, limit) as FileToIdentify[];
  }

  /** Deep mode: files without a casId, and images (of a format deep mode reads) without dimensions, in id order. */
  unidentifiedOrWithoutMedia(location: number, afterId: number, limit: number): FileToIdentify[] {
    return this.withoutMedia.all(location, afterId, limit) as FileToIdentify[];
  }

  /** Every non-empty file, in id order after `afterId` (a forced re-identification). */
  filesWithContent(location: number, afterId: number, limit: number): FileToIdentify[] {
    return this.files.all(location, afterId, limit) as FileToIdentify[];
  }

  /** Every entry below a directory ('' for the whole location), ordered by parent then name. */
  *subtreeOf(location: number, dir: string): Generator<EntryRecord> {
    if (dir === '') {
      yield* this.subtreeAll(location);
      return;
    }
    yield* this.subtree.iterate(location, ...subtreeRange(dir)) as IterableIterator<EntryRecord>;
  }

  private *subtreeAll(location: number): Generator<EntryRecord> {
    yield* this.subtree.iterate(location, '', '', '\u{10FFFF}') as IterableIterator<EntryRecord>;
  }
}
