import type { Database } from 'better-sqlite3';
import { contentUuidOf } from '../../domain/content/content-uuid.js';
import type { EventStore } from '../../domain/envelope.js';
import { locationStream, type EntriesEvent } from '../../domain/location/events.js';
import { entryStream, splitEntryPath, targetKey, type Target } from '../../domain/metadata/target.js';
import { indexEventVersions } from '../../projections/locations/index-history-projection.js';
import { EntryQueries, type EntryRecord, type LocationRecord } from '../../projections/locations/queries.js';
import { metadataOf, type MetadataRecord } from '../../projections/metadata/queries.js';
import { tagEventCount, tagsOnTargets } from '../../projections/tags/queries.js';
import type { CommandBus } from '../bus.js';
import type { LocationQueries } from '../locations/location-queries.js';
import type { TagQueries } from '../tags/tag-queries.js';
import { resolveEntry } from './entry-refs.js';
import { favoriteEntries, hideEntries, noteEntry } from './metadata-commands.js';

export interface EntryDetails extends MetadataRecord {
  location: LocationRecord;
  path: string;
  entry: EntryRecord;
  content: { casId: string; contentUuid: string; kind: string | null; mime: string | null; copies: number } | null;
  tags: { id: string; name: string; path: string; color: string | null; icon: string | null; via: 'entry' | 'content' }[];
  /** Events of the log about this entry: its index facts, its notes and flags, its tags. */
  history: { total: number; index: number; metadata: number; tags: number };
}

/** Notes, favourites and hidden flags of entries, and everything known about one entry. */
export class EntryMetadata {
  constructor(
    private readonly bus: CommandBus,
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly locations: LocationQueries,
    private readonly tags: TagQueries,
  ) {}

  async note(ref: string, text: string | null): Promise<{ changed: boolean }> {
    return this.bus.execute(noteEntry, { target: this.resolve(ref).target, note: text });
  }

  async favorite(refs: readonly string[], favorite: boolean): Promise<{ changed: number }> {
    return this.bus.execute(favoriteEntries, { targets: refs.map((r) => this.resolve(r).target), favorite });
  }

  async hide(refs: readonly string[], hidden: boolean): Promise<{ changed: number }> {
    return this.bus.execute(hideEntries, { targets: refs.map((r) => this.resolve(r).target), hidden });
  }

  async show(ref: string): Promise<EntryDetails> {
    const r = this.resolve(ref);
    const targets: Target[] = [r.target, ...(r.entry.casId ? [{ kind: 'content' as const, casId: r.entry.casId }] : [])];
    const keys = targets.map(targetKey);
    const content = r.entry.casId
      ? {
          casId: r.entry.casId,
          contentUuid: contentUuidOf(r.entry.casId),
          kind: r.entry.contentKind,
          mime: r.entry.mime,
          copies: (this.db.prepare('SELECT entries FROM content_identities WHERE cas_id = ?').pluck().get(r.entry.casId) as number | undefined) ?? 0,
        }
      : null;
    const tags = tagsOnTargets(this.db, keys).map((t) => ({
      id: t.id, name: t.name, path: this.tags.pathOf(t), color: t.color, icon: t.icon, via: t.target === keys[0] ? ('entry' as const) : ('content' as const),
    }));
    const metadata = (await this.store.readStream(entryStream(r.target))).length;
    const index = await this.indexEvents(r.location.id, r.path);
    const tagEvents = tagEventCount(this.db, keys);
    return {
      location: r.location,
      path: r.path,
      entry: r.entry,
      content,
      tags,
      ...metadataOf(this.db, keys[0]),
      history: { total: index + metadata + tagEvents, index, metadata, tags: tagEvents },
    };
  }

  private resolve(ref: string) {
    return resolveEntry(this.locations, new EntryQueries(this.db), ref);
  }

  /**
   * Index events of the location that name this entry at this path: only the events that name its directory are
   * read (index_history), in runs of consecutive versions.
   */
  private async indexEvents(locationId: string, path: string): Promise<number> {
    const { parent, name } = splitEntryPath(path);
    const versions = indexEventVersions(this.db, locationId, parent);
    let n = 0;
    for (let i = 0; i < versions.length; ) {
      let run = 1;
      while (i + run < versions.length && versions[i + run] === versions[i] + run) run++;
      for (const event of await this.store.readStream(locationStream(locationId), { fromVersion: versions[i], maxCount: run })) {
        if (namesEntry(event as unknown as EntriesEvent, parent, name)) n++;
      }
      i += run;
    }
    return n;
  }
}

/** Whether an index event names the entry at `parent`/`name`. */
function namesEntry(e: EntriesEvent, parent: string, name: string): boolean {
  switch (e.type) {
    case 'EntriesAdded':
    case 'EntriesModified':
    case 'ContentIdentified':
      return e.data.parent === parent && e.data.entries.some((f) => f.name === name);
    case 'EntriesRemoved':
      return e.data.parent === parent && e.data.names.includes(name);
    case 'EntriesMoved':
      return e.data.moves.some((m) => (m.fromParent === parent && m.fromName === name) || (m.toParent === parent && m.toName === name));
    default:
      return false;
  }
}
