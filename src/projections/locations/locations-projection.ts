import type { Database, Statement } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { ContentFacts, EntryFacts, LocationEvent } from '../../domain/location/events.js';
import type { Projection } from '../projection.js';
import { ancestorsOf, extensionOf, joinPath, subtreeRange } from '../../domain/location/entry-path.js';
import { statementsOf, type LocationStatements as Statements } from './statements.js';

/**
 * Locations, their entries, and the content identities the entries point at. Directory aggregates (size, file count,
 * child count) and location totals are kept by deltas, one update per ancestor per event, never per file.
 */
export const locationsProjection: Projection = {
  name: 'locations',
  version: 1,
  handles: new Set([
    'LocationAdded', 'LocationRenamed', 'LocationRemoved', 'EntriesAdded', 'EntriesModified', 'EntriesMoved',
    'EntriesRemoved', 'ContentIdentified', 'LocationScanned',
  ]),
  apply(db: Database, events: readonly StoredEvent[]) {
    const s = statementsOf(db);
    // Contents and totals of consecutive EntriesAdded are written together, before any other event can read them.
    const contents = new Map<string, ContentRow>();
    const totals = new PendingTotals();
    for (const event of events) {
      const e = event as unknown as LocationEvent;
      if (e.type !== 'EntriesAdded') {
        upsertContents(db, contents);
        totals.flush(s);
      }
      const locationId = event.streamId.slice('location-'.length);
      if (e.type === 'LocationAdded') {
        const d = e.data;
        s.insertLocation.run(d.locationId, d.name, d.path, d.mode, JSON.stringify(d.rules), d.deviceId, d.at, d.at);
        continue;
      }
      const key = s.locationKey.get(locationId) as number | undefined;
      if (key === undefined) continue; // events of a removed location that arrived after its removal
      switch (e.type) {
        case 'LocationRenamed':
          s.renameLocation.run(e.data.name, e.data.at, key);
          break;
        case 'LocationRemoved':
          removeLocation(s, key);
          break;
        case 'EntriesAdded':
          addEntries(db, key, e.data.parent, e.data.entries, contents, totals);
          break;
        case 'EntriesModified':
          modifyEntries(s, key, e.data.parent, e.data.entries);
          break;
        case 'EntriesMoved':
          for (const m of e.data.moves) moveEntry(s, key, m);
          break;
        case 'EntriesRemoved':
          for (const name of e.data.names) removeEntry(s, key, e.data.parent, name);
          break;
        case 'ContentIdentified':
          identify(s, key, e.data.parent, e.data.entries);
          break;
        case 'LocationScanned':
          s.recordScan.run(JSON.stringify(e.data), e.data.finishedAt, key);
          break;
      }
    }
    upsertContents(db, contents);
    totals.flush(s);
  },
};

interface EntryRow {
  id: number;
  kind: string;
  size: number;
  casId: string | null;
  aggregateSize: number | null;
  fileCount: number | null;
}

/** Rows per INSERT statement: one statement per row costs more than the row itself. */
const ROWS_PER_INSERT = 32;
const ENTRY_COLUMNS = 14;

/**
 * Inserts the entries; their contents are gathered into `contents`, to be upserted by `upsertContents`, and what they
 * add to their folders and location into `totals`.
 */
function addEntries(
  db: Database, key: number, parent: string, entries: readonly EntryFacts[], contents: Map<string, ContentRow>, totals: PendingTotals,
): void {
  let files = 0;
  let dirs = 0;
  let bytes = 0;
  const params: unknown[] = [];
  const flush = () => {
    if (params.length === 0) return;
    insertStatement(db, params.length / ENTRY_COLUMNS).run(params);
    params.length = 0;
  };
  for (const f of entries) {
    const isDir = f.kind === 'directory';
    params.push(
      key, parent, f.name, f.rawName ? Buffer.from(f.rawName) : null, isDir ? null : extensionOf(f.name), f.kind, f.size, f.inode,
      f.modifiedAt, f.hidden ? 1 : 0, f.content?.casId ?? null, isDir ? 0 : null, isDir ? 0 : null, isDir ? 0 : null,
    );
    if (params.length === ROWS_PER_INSERT * ENTRY_COLUMNS) flush();
    if (f.content) gatherContent(contents, f.content, f.size);
    if (isDir) dirs++;
    else {
      files++;
      bytes += f.size;
    }
  }
  flush();
  totals.add(key, parent, entries.length, files, dirs, bytes);
}

/** What entries added to one folder: to its aggregate size and file count (and those of every folder above), children. */
interface FolderDelta {
  parent: string;
  name: string;
  bytes: number;
  files: number;
  children: number;
}

/**
 * The changes to folder aggregates and location totals of consecutive EntriesAdded events, written once per folder
 * and location when another kind of event comes (which may read them) or the batch ends. Each event changes every
 * folder above its own: one UPDATE per ancestor per event cost a shallow index of /usr (11k folders, 8 levels deep
 * in places) some 90k UPDATEs; the folders of a batch share most of their ancestors. The sums are those of
 * `changeTotals` applied event by event.
 */
class PendingTotals {
  /** Per location key, per folder path. */
  private readonly folders = new Map<number, Map<string, FolderDelta>>();
  private readonly locations = new Map<number, { files: number; dirs: number; bytes: number }>();

  add(key: number, parent: string, children: number, files: number, dirs: number, bytes: number): void {
    const ancestors = ancestorsOf(parent);
    if (ancestors.length > 0) {
      let folders = this.folders.get(key);
      if (!folders) this.folders.set(key, (folders = new Map()));
      if (bytes !== 0 || files !== 0) {
        for (const a of ancestors) {
          const d = delta(folders, a);
          d.bytes += bytes;
          d.files += files;
        }
      }
      if (children !== 0) delta(folders, ancestors[ancestors.length - 1]).children += children;
    }
    if (files !== 0 || dirs !== 0 || bytes !== 0) {
      const t = this.locations.get(key);
      if (t) {
        t.files += files;
        t.dirs += dirs;
        t.bytes += bytes;
      } else this.locations.set(key, { files, dirs, bytes });
    }
  }

  flush(s: Statements): void {
    for (const [key, folders] of this.folders) {
      for (const d of folders.values()) {
        if (d.bytes !== 0 || d.files !== 0) s.directoryAggregates.run(d.bytes, d.files, key, d.parent, d.name);
        if (d.children !== 0) s.childCount.run(d.children, key, d.parent, d.name);
      }
    }
    for (const [key, t] of this.locations) s.locationTotals.run(t.files, t.dirs, t.bytes, key);
    this.folders.clear();
    this.locations.clear();
  }
}

function delta(folders: Map<string, FolderDelta>, folder: { parent: string; name: string }): FolderDelta {
  const path = joinPath(folder.parent, folder.name);
  let d = folders.get(path);
  if (!d) folders.set(path, (d = { parent: folder.parent, name: folder.name, bytes: 0, files: 0, children: 0 }));
  return d;
}

/** One content of the gathered entries: the facts of its first entry, media facts each from the first entry that has them. */
interface ContentRow {
  casId: string;
  kind: string;
  mime: string | null;
  size: number;
  width: number | null;
  height: number | null;
  format: string | null;
  entries: number;
}

function gatherContent(rows: Map<string, ContentRow>, c: ContentFacts, size: number): void {
  const row = rows.get(c.casId);
  if (!row) {
    const m = c.media;
    rows.set(c.casId, { casId: c.casId, kind: c.contentKind, mime: c.mime, size, width: m?.width ?? null, height: m?.height ?? null, format: m?.format ?? null, entries: 1 });
    return;
  }
  row.entries++;
  if (c.media) {
    row.width ??= c.media.width;
    row.height ??= c.media.height;
    row.format ??= c.media.format;
  }
}

/**
 * Upserts the gathered contents, one row per casId and in casId order, and forgets them. casIds are random keys: the
 * rows of an append (thousands) in key order cost about half as much as one directory's at a time in walk order. The
 * result is the one of upserting every entry's content in turn: the first entry's facts, a count per entry, and each
 * media fact from the first entry that has it.
 */
function upsertContents(db: Database, rows: Map<string, ContentRow>): void {
  if (rows.size === 0) return;
  // the default order of strings is code-unit order, which for hex digits is SQLite's; it sorts faster than a comparator
  const casIds = [...rows.keys()].sort();
  const params: unknown[] = [];
  for (let i = 0; i < casIds.length; i++) {
    const r = rows.get(casIds[i])!;
    params.push(r.casId, r.kind, r.mime, r.size, r.width, r.height, r.format, r.entries);
    if (params.length === ROWS_PER_INSERT * CONTENT_COLUMNS || i === casIds.length - 1) {
      contentStatement(db, params.length / CONTENT_COLUMNS).run(params);
      params.length = 0;
    }
  }
  rows.clear();
}

const CONTENT_COLUMNS = 8;

const inserts = new WeakMap<Database, Map<number, Statement>>();
const contentUpserts = new WeakMap<Database, Map<number, Statement>>();

function insertStatement(db: Database, rows: number): Statement {
  return multiRow(inserts, db, rows, ENTRY_COLUMNS, (values) =>
    `INSERT INTO entries (location, parent, name, raw_name, extension, kind, size, inode, modified_at, hidden, cas_id,
       child_count, aggregate_size, file_count) VALUES ${values}`,
  );
}

/** Each row counts its entries: a content met again adds them to the count. */
function contentStatement(db: Database, rows: number): Statement {
  return multiRow(contentUpserts, db, rows, CONTENT_COLUMNS, (values) =>
    `INSERT INTO content_identities (cas_id, kind, mime, size, width, height, media_format, entries)
       VALUES ${values}
       ON CONFLICT (cas_id) DO UPDATE SET entries = entries + excluded.entries,
         width = coalesce(width, excluded.width), height = coalesce(height, excluded.height),
         media_format = coalesce(media_format, excluded.media_format)`,
  );
}

function multiRow(
  cache: WeakMap<Database, Map<number, Statement>>, db: Database, rows: number, columns: number, sql: (values: string) => string,
): Statement {
  let byRows = cache.get(db);
  if (!byRows) cache.set(db, (byRows = new Map()));
  let statement = byRows.get(rows);
  if (!statement) {
    const values = `(${new Array(columns).fill('?').join(', ')})`;
    statement = db.prepare(sql(new Array(rows).fill(values).join(', ')));
    byRows.set(rows, statement);
  }
  return statement;
}

function modifyEntries(s: Statements, key: number, parent: string, entries: readonly EntryFacts[]): void {
  let bytes = 0;
  for (const f of entries) {
    const row = s.entry.get(key, parent, f.name) as EntryRow | undefined;
    if (!row) continue;
    const cas = f.content?.casId ?? null;
    if (row.casId !== null && row.casId !== cas) dropContent(s, row.casId, 1);
    if (cas !== null && cas !== row.casId) addContent(s, f.content!, f.size);
    s.updateEntryFacts.run(f.size, f.inode, f.modifiedAt, f.hidden ? 1 : 0, f.rawName ? Buffer.from(f.rawName) : null, cas, row.id);
    if (row.kind !== 'directory') bytes += f.size - row.size;
  }
  if (bytes !== 0) changeTotals(s, key, parent, 0, 0, 0, bytes);
}

function moveEntry(
  s: Statements,
  key: number,
  m: { fromParent: string; fromName: string; toParent: string; toName: string; modifiedAt: number },
): void {
  const row = s.entry.get(key, m.fromParent, m.fromName) as EntryRow | undefined;
  if (!row) return;
  const isDir = row.kind === 'directory';
  const files = isDir ? row.fileCount ?? 0 : 1;
  const bytes = isDir ? row.aggregateSize ?? 0 : row.size;
  changeTotals(s, key, m.fromParent, -1, -files, 0, -bytes, false);
  s.moveEntry.run(m.toParent, m.toName, isDir ? null : extensionOf(m.toName), m.modifiedAt, m.toName.startsWith('.') ? 1 : 0, row.id);
  if (isDir) {
    const from = joinPath(m.fromParent, m.fromName);
    s.moveSubtree.run(joinPath(m.toParent, m.toName), from, key, ...subtreeRange(from));
  }
  changeTotals(s, key, m.toParent, 1, files, 0, bytes, false);
}

function removeEntry(s: Statements, key: number, parent: string, name: string): void {
  const row = s.entry.get(key, parent, name) as EntryRow | undefined;
  if (!row) return;
  if (row.kind === 'directory') {
    const range = subtreeRange(joinPath(parent, name));
    for (const { casId, n } of s.subtreeCas.all(key, ...range) as { casId: string; n: number }[]) dropContent(s, casId, n);
    const dirs = (s.subtreeDirectories.get(key, ...range) as number) + 1;
    s.deleteSubtree.run(key, ...range);
    s.deleteEntry.run(row.id);
    changeTotals(s, key, parent, -1, -(row.fileCount ?? 0), -dirs, -(row.aggregateSize ?? 0));
    return;
  }
  if (row.casId !== null) dropContent(s, row.casId, 1);
  s.deleteEntry.run(row.id);
  changeTotals(s, key, parent, -1, -1, 0, -row.size);
}

function identify(s: Statements, key: number, parent: string, entries: readonly (ContentFacts & { name: string })[]): void {
  for (const c of entries) {
    const row = s.entry.get(key, parent, c.name) as EntryRow | undefined;
    if (!row) continue;
    if (row.casId === c.casId) {
      // the same content read in deep mode: its media facts, where the content has none yet
      if (c.media) s.addMedia.run(c.media.width, c.media.height, c.media.format, c.casId);
      continue;
    }
    if (row.casId !== null) dropContent(s, row.casId, 1);
    addContent(s, c, row.size);
    s.setCas.run(c.casId, row.id);
  }
}

function removeLocation(s: Statements, key: number): void {
  for (const { casId, n } of s.locationCas.all(key) as { casId: string; n: number }[]) dropContent(s, casId, n);
  s.deleteLocationEntries.run(key);
  s.deleteLocation.run(key);
}

function addContent(s: Statements, c: ContentFacts, size: number): void {
  s.addContent.run(c.casId, c.contentKind, c.mime, size, c.media?.width ?? null, c.media?.height ?? null, c.media?.format ?? null);
}

function dropContent(s: Statements, casId: string, n: number): void {
  s.dropContent.run(n, casId);
  s.pruneContent.run(casId);
}

/**
 * Applies a change under `parent` to every directory above it and to the location's totals. `children` changes the
 * child count of `parent` itself; `countInTotals` is false for moves, which change no totals of the location.
 */
function changeTotals(s: Statements, key: number, parent: string, children: number, files: number, dirs: number, bytes: number, countInTotals = true): void {
  const ancestors = ancestorsOf(parent);
  if (bytes !== 0 || files !== 0) for (const a of ancestors) s.directoryAggregates.run(bytes, files, key, a.parent, a.name);
  if (children !== 0 && ancestors.length > 0) {
    const own = ancestors[ancestors.length - 1];
    s.childCount.run(children, key, own.parent, own.name);
  }
  if (countInTotals && (files !== 0 || dirs !== 0 || bytes !== 0)) s.locationTotals.run(files, dirs, bytes, key);
}
