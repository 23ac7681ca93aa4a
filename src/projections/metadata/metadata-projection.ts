import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { MetadataEvent } from '../../domain/metadata/events.js';
import { splitEntryPath, targetKey } from '../../domain/metadata/target.js';
import { preparedOnce } from '../prepared.js';
import type { Projection } from '../projection.js';
import { registerUpdate, stampOf } from '../stamp.js';

const register = (column: string) => registerUpdate('user_metadata', 'target', `${column}_stamp`, column);

const SQL = {
  ensure: 'INSERT INTO user_metadata (target, location_id, parent, name) VALUES (?, ?, ?, ?) ON CONFLICT (target) DO NOTHING',
  note: register('note'),
  favorite: register('favorite'),
  hidden: register('hidden'),
} as const;

const statementsOf = preparedOnce(SQL);

/** Notes, favourite and hidden flags of entries: last-writer-wins registers with their stamps (shared data). */
export const metadataProjection: Projection = {
  name: 'user-metadata',
  version: 1,
  handles: new Set(['EntryNoted', 'EntryFavorited', 'EntryHidden']),
  apply(db: Database, events: readonly StoredEvent[]) {
    const s = statementsOf(db);
    for (const event of events) {
      const e = event as unknown as MetadataEvent;
      const stamp = stampOf(event);
      const key = targetKey(e.data.target);
      const { parent, name } = splitEntryPath(e.data.target.path);
      s.ensure.run(key, e.data.target.locationId, parent, name);
      switch (e.type) {
        case 'EntryNoted':
          s.note.run({ value: e.data.note, stamp, key });
          break;
        case 'EntryFavorited':
          s.favorite.run({ value: e.data.favorite ? 1 : 0, stamp, key });
          break;
        case 'EntryHidden':
          s.hidden.run({ value: e.data.hidden ? 1 : 0, stamp, key });
          break;
      }
    }
  },
};
