import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { EventMeta, EventStore } from '../../domain/envelope.js';
import type { EventCatalog } from '../../domain/event-catalog.js';
import { joinPath } from '../../domain/location/entry-path.js';
import { locationStream, type EntryFacts } from '../../domain/location/events.js';
import { EntryQueries, listLocations, locationById, type IndexedFacts, type LocationRecord } from '../../projections/locations/queries.js';
import { LocationWriter } from '../locations/location-writer.js';
import type { IndexerFileSystem, WalkedEntry } from '../locations/ports.js';

const ENTRIES_PER_EVENT = 1000;

export interface LocationSyncDeps {
  store: EventStore;
  catalog: EventCatalog;
  db: Database;
  fs: IndexerFileSystem;
}

interface Located {
  location: LocationRecord;
  /** The directory inside the location, '' for its root. */
  dir: string;
}

/**
 * Keeps indexed locations in step with what a file operation did, without a rescan: the changed names and their
 * subtrees are compared with the index as the indexer would (same rules, same facts, content identified in
 * content and deep modes), and the differences are appended to the location's stream. Comparing rather than
 * assuming makes it idempotent: a resumed job runs it again and records only what is still missing.
 */
export class LocationSync {
  private readonly queries: EntryQueries;

  constructor(
    private readonly deps: LocationSyncDeps,
    private readonly meta: EventMeta,
    private readonly newId: () => string,
  ) {
    this.queries = new EntryQueries(deps.db);
  }

  /** A rename inside one location: recorded as a move, so the entry keeps its content identity. */
  async moved(from: string, to: string): Promise<void> {
    const a = this.locate(path.dirname(from));
    const b = this.locate(path.dirname(to));
    if (!a || !b || a.location.id !== b.location.id) return;
    const fromName = path.basename(from);
    if (!this.queries.entry(a.location.key, a.dir, fromName)) return;
    const st = lstatSync(to, { throwIfNoEntry: false });
    if (!st) return;
    const writer = await this.writer(a.location);
    writer.push('EntriesMoved', {
      moves: [{ fromParent: a.dir, fromName, toParent: b.dir, toName: path.basename(to), modifiedAt: Math.trunc(st.mtimeMs) }],
    });
    await writer.flush();
  }

  /** `names` changed in the directory `dir` (added, replaced or removed): brings its location's index up to date. */
  async changed(dir: string, names: readonly string[]): Promise<void> {
    const at = this.locate(dir);
    if (!at) return;
    const { location } = at;
    const writer = await this.writer(location);
    const wanted = new Set(names);
    const listing = this.listing(dir, location, 0);
    if (listing) {
      const present = new Map(listing.entries.filter((e) => wanted.has(e.name)).map((e) => [e.name, e]));
      const indexed = this.queries.indexedChildren(location.key, at.dir);
      for (const name of [...indexed.keys()]) if (!wanted.has(name)) indexed.delete(name);
      await this.apply(writer, location, at.dir, [...present.values()], indexed);
      for (const e of present.values()) {
        if (e.kind !== 'directory') continue;
        const base = joinPath(at.dir, e.name);
        for (const sub of this.deps.fs.walk(path.join(dir, e.name), { rules: location.rules })) {
          if (sub.error) continue;
          const parent = sub.relPath === '' ? base : joinPath(base, sub.relPath);
          await this.apply(writer, location, parent, sub.entries, this.queries.indexedChildren(location.key, parent));
        }
      }
    }
    await this.refreshDirectory(writer, location, dir, at.dir);
    await writer.flush();
  }

  /** The directory's own entry: adding or removing children changed its time. */
  private async refreshDirectory(writer: LocationWriter, location: LocationRecord, abs: string, rel: string): Promise<void> {
    if (rel === '') return;
    const slash = rel.lastIndexOf('/');
    const parent = slash < 0 ? '' : rel.slice(0, slash);
    const listing = this.listing(path.dirname(abs), location, 0);
    const self = listing?.entries.find((e) => e.name === rel.slice(slash + 1));
    if (!self) return;
    const indexed = this.queries.indexedChildren(location.key, parent);
    const only = new Map([...indexed].filter(([n]) => n === self.name));
    await this.apply(writer, location, parent, [self], only);
  }

  /** Compares entries on disk with the indexed ones of the same names, and pushes the differences. */
  private async apply(writer: LocationWriter, location: LocationRecord, parent: string, onDisk: readonly WalkedEntry[], indexed: Map<string, IndexedFacts>): Promise<void> {
    const added: WalkedEntry[] = [];
    const modified: WalkedEntry[] = [];
    const removed: string[] = [];
    for (const e of onDisk) {
      const old = indexed.get(e.name);
      indexed.delete(e.name);
      if (!old) added.push(e);
      else if (old.kind !== e.kind) {
        removed.push(e.name);
        added.push(e);
      } else if (old.size !== e.size || old.modifiedAt !== e.modifiedAt || old.inode !== e.inode || old.hidden !== e.hidden) modified.push(e);
    }
    removed.push(...indexed.keys());
    for (let i = 0; i < removed.length; i += ENTRIES_PER_EVENT) writer.push('EntriesRemoved', { parent, names: removed.slice(i, i + ENTRIES_PER_EVENT) });
    for (const [type, list] of [['EntriesAdded', added], ['EntriesModified', modified]] as const) {
      const facts = await this.facts(location, list);
      for (let i = 0; i < facts.length; i += ENTRIES_PER_EVENT) writer.push(type, { parent, entries: facts.slice(i, i + ENTRIES_PER_EVENT) });
    }
    await writer.flush();
  }

  private async facts(location: LocationRecord, entries: readonly WalkedEntry[]): Promise<EntryFacts[]> {
    const facts = entries.map((e): EntryFacts => {
      const f: EntryFacts = { name: e.name, kind: e.kind, size: e.size, inode: e.inode, modifiedAt: e.modifiedAt, hidden: e.hidden };
      if (e.rawName) f.rawName = e.rawName;
      return f;
    });
    if (location.mode === 'shallow') return facts;
    const toIdentify = facts.map((f, i) => ({ f, e: entries[i] })).filter(({ f }) => f.kind === 'file' && f.size > 0);
    if (toIdentify.length === 0) return facts;
    const results = await this.deps.fs.identifyMany(
      toIdentify.map(({ f, e }) => ({ diskPath: e.diskPath, name: f.name, expected: { size: f.size, modifiedAt: f.modifiedAt } })),
      location.mode === 'deep',
    );
    results.forEach((r, i) => {
      // a file that changed since its stat is left without content: the next scan identifies it
      if ('content' in r && r.content && r.size === toIdentify[i].f.size) toIdentify[i].f.content = r.content;
    });
    return facts;
  }

  private listing(dir: string, location: LocationRecord, maxDepth: number) {
    for (const l of this.deps.fs.walk(dir, { rules: location.rules, maxDepth })) return l.error ? null : l;
    return null;
  }

  private async writer(location: LocationRecord): Promise<LocationWriter> {
    const { store, catalog, db } = this.deps;
    const version = await store.streamVersion(locationStream(location.id));
    return new LocationWriter(store, catalog, this.meta, this.newId, location.id, version, () => locationById(db, location.id) !== null);
  }

  private locate(dir: string): Located | null {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return null;
    }
    for (const location of listLocations(this.deps.db)) {
      const rel = path.relative(location.path, real);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return { location, dir: rel.split(path.sep).join('/') };
    }
    return null;
  }
}
