import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import { splitEntryPath, targetKey, type Target } from '../../domain/metadata/target.js';
import type { TagEvent } from '../../domain/tag/events.js';
import { preparedOnce } from '../prepared.js';
import type { Projection } from '../projection.js';
import { registerUpdate, stampOf } from '../stamp.js';

const register = (column: string, stamp = `${column}_stamp`) => registerUpdate('tags', 'id', stamp, column);

const SQL = {
  ensure: 'INSERT INTO tags (id) VALUES (?) ON CONFLICT (id) DO NOTHING',
  name: register('name'),
  color: register('color'),
  icon: register('icon'),
  parent: register('parent_id', 'parent_stamp'),
  created: registerUpdate('tags', 'id', 'created_stamp'),
  deleted: registerUpdate('tags', 'id', 'deleted_stamp'),
  apply: `INSERT INTO tag_applications (event_id, target, tag_id, stamp, location_id, parent, name, cas_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  remove: 'INSERT INTO tag_removals (application_event_id, target, removal_event_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
} as const;

const statementsOf = preparedOnce(SQL);

/**
 * Tags and their applications: shared data, folded order-insensitively (last-writer-wins registers with their
 * stamps, an add-set of applications keyed by event, the set of removed applications).
 */
export const tagsProjection: Projection = {
  name: 'tags',
  version: 1,
  handles: new Set(['TagCreated', 'TagRenamed', 'TagRecolored', 'TagMoved', 'TagDeleted', 'TagApplied', 'TagRemoved']),
  apply(db: Database, events: readonly StoredEvent[]) {
    const s = statementsOf(db);
    for (const event of events) {
      const e = event as unknown as TagEvent;
      const stamp = stampOf(event);
      const id = e.data.tagId;
      s.ensure.run(id);
      switch (e.type) {
        case 'TagCreated':
          s.name.run({ value: e.data.name, stamp, key: id });
          s.color.run({ value: e.data.color, stamp, key: id });
          s.icon.run({ value: e.data.icon, stamp, key: id });
          s.parent.run({ value: e.data.parentId, stamp, key: id });
          s.created.run({ stamp, key: id });
          break;
        case 'TagRenamed':
          s.name.run({ value: e.data.name, stamp, key: id });
          break;
        case 'TagRecolored':
          if (e.data.color !== undefined) s.color.run({ value: e.data.color, stamp, key: id });
          if (e.data.icon !== undefined) s.icon.run({ value: e.data.icon, stamp, key: id });
          break;
        case 'TagMoved':
          s.parent.run({ value: e.data.parentId, stamp, key: id });
          break;
        case 'TagDeleted':
          s.deleted.run({ stamp, key: id });
          break;
        case 'TagApplied':
          for (const t of e.data.targets) s.apply.run(event.eventId, targetKey(t), id, stamp, ...targetColumns(t));
          break;
        case 'TagRemoved':
          for (const a of e.data.applications) s.remove.run(a.eventId, targetKey(a.target), event.eventId);
          break;
      }
    }
  },
};

function targetColumns(t: Target): [string | null, string | null, string | null, string | null] {
  if (t.kind === 'content') return [null, null, null, t.casId];
  const { parent, name } = splitEntryPath(t.path);
  return [t.locationId, parent, name, null];
}
