import type { Database, Statement } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { MetadataEvent } from '../../domain/metadata/events.js';
import { splitEntryPath, targetKey } from '../../domain/metadata/target.js';
import type { Projection } from '../projection.js';
import { stampOf } from '../stamp.js';

const register = (column: string) =>
  `UPDATE user_metadata SET ${column} = ?, ${column}_stamp = ? WHERE target = ? AND (${column}_stamp IS NULL OR ${column}_stamp < ?)`;

const SQL = {
  ensure: 'INSERT INTO user_metadata (target, location_id, parent, name) VALUES (?, ?, ?, ?) ON CONFLICT (target) DO NOTHING',
  note: register('note'),
  favorite: register('favorite'),
  hidden: register('hidden'),
} as const;

const cache = new WeakMap<Database, Record<keyof typeof SQL, Statement>>();

function statementsOf(db: Database): Record<keyof typeof SQL, Statement> {
  let s = cache.get(db);
  if (!s) {
    s = Object.fromEntries(Object.entries(SQL).map(([k, sql]) => [k, db.prepare(sql)])) as Record<keyof typeof SQL, Statement>;
    cache.set(db, s);
  }
  return s;
}

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
          s.note.run(e.data.note, stamp, key, stamp);
          break;
        case 'EntryFavorited':
          s.favorite.run(e.data.favorite ? 1 : 0, stamp, key, stamp);
          break;
        case 'EntryHidden':
          s.hidden.run(e.data.hidden ? 1 : 0, stamp, key, stamp);
          break;
      }
    }
  },
};
