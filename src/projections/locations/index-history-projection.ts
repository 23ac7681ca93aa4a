import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { LocationEvent } from '../../domain/location/events.js';
import { preparedOnce } from '../prepared.js';
import type { Projection } from '../projection.js';

const SQL = {
  record: 'INSERT OR IGNORE INTO index_history (location_id, parent, version) VALUES (?, ?, ?)',
  forget: 'DELETE FROM index_history WHERE location_id = ?',
  versions: 'SELECT version FROM index_history WHERE location_id = ? AND parent = ? ORDER BY version',
} as const;

const statementsOf = preparedOnce(SQL);

/**
 * Which index events of a location name a directory (migration 0007): `meta show` counts an entry's index events by
 * reading only those of its directory instead of the location's whole stream. Index events are batched per
 * directory, so this is one row per event (two for a move between directories), never one per entry. Its own
 * projection, so a library indexed before it existed fills it from its log on open.
 */
export const indexHistoryProjection: Projection = {
  name: 'index-history',
  version: 1,
  handles: new Set(['EntriesAdded', 'EntriesModified', 'EntriesMoved', 'EntriesRemoved', 'ContentIdentified', 'LocationRemoved']),
  apply(db: Database, events: readonly StoredEvent[]) {
    const s = statementsOf(db);
    for (const event of events) {
      const e = event as unknown as LocationEvent;
      const locationId = event.streamId.slice('location-'.length);
      switch (e.type) {
        case 'EntriesAdded':
        case 'EntriesModified':
        case 'EntriesRemoved':
        case 'ContentIdentified':
          s.record.run(locationId, e.data.parent, event.streamVersion);
          break;
        case 'EntriesMoved':
          for (const m of e.data.moves) {
            s.record.run(locationId, m.fromParent, event.streamVersion);
            s.record.run(locationId, m.toParent, event.streamVersion);
          }
          break;
        case 'LocationRemoved':
          s.forget.run(locationId);
          break;
      }
    }
  },
};

/** Stream versions of the index events of a location that name the directory `parent`, in order. */
export function indexEventVersions(db: Database, locationId: string, parent: string): number[] {
  return statementsOf(db).versions.pluck().all(locationId, parent) as number[];
}
