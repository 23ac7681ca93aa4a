import type { Database, Statement } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import { splitEntryPath, targetKey, type Target } from '../../domain/metadata/target.js';
import type { TagEvent } from '../../domain/tag/events.js';
import type { Projection } from '../projection.js';
import { stampOf } from '../stamp.js';

/** A register changes only for a newer stamp, so events folded in any order leave the same row. */
const register = (column: string, stamp = `${column}_stamp`) =>
  `UPDATE tags SET ${column} = ?, ${stamp} = ? WHERE id = ? AND (${stamp} IS NULL OR ${stamp} < ?)`;

const SQL = {
  ensure: 'INSERT INTO tags (id) VALUES (?) ON CONFLICT (id) DO NOTHING',
  name: register('name'),
  color: register('color'),
  icon: register('icon'),
  parent: register('parent_id', 'parent_stamp'),
  created: 'UPDATE tags SET created_stamp = ? WHERE id = ? AND (created_stamp IS NULL OR created_stamp < ?)',
  deleted: 'UPDATE tags SET deleted_stamp = ? WHERE id = ? AND (deleted_stamp IS NULL OR deleted_stamp < ?)',
  apply: `INSERT INTO tag_applications (event_id, target, tag_id, stamp, location_id, parent, name, cas_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  remove: 'INSERT INTO tag_removals (application_event_id, target, removal_event_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
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
          s.name.run(e.data.name, stamp, id, stamp);
          s.color.run(e.data.color, stamp, id, stamp);
          s.icon.run(e.data.icon, stamp, id, stamp);
          s.parent.run(e.data.parentId, stamp, id, stamp);
          s.created.run(stamp, id, stamp);
          break;
        case 'TagRenamed':
          s.name.run(e.data.name, stamp, id, stamp);
          break;
        case 'TagRecolored':
          if (e.data.color !== undefined) s.color.run(e.data.color, stamp, id, stamp);
          if (e.data.icon !== undefined) s.icon.run(e.data.icon, stamp, id, stamp);
          break;
        case 'TagMoved':
          s.parent.run(e.data.parentId, stamp, id, stamp);
          break;
        case 'TagDeleted':
          s.deleted.run(stamp, id, stamp);
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
