import type { Database } from 'better-sqlite3';

/** SQL condition: tag `t` is live (its last TagCreated is newer than its last TagDeleted). */
export const LIVE_TAG = `(t.created_stamp IS NOT NULL AND t.created_stamp > coalesce(t.deleted_stamp, ''))`;

/** SQL condition: application `a` of tag `t` is newer than the tag's last deletion and no removal saw it. */
export const LIVE_APPLICATION = `(a.stamp > coalesce(t.deleted_stamp, '')
  AND NOT EXISTS (SELECT 1 FROM tag_removals r WHERE r.application_event_id = a.event_id AND r.target = a.target))`;

export interface TagRecord {
  id: string;
  name: string;
  color: string | null;
  icon: string | null;
  /** Null when the tag is at the top, or when its parent was deleted. */
  parentId: string | null;
  /** Live applications (entries and contents). */
  applied: number;
  live: boolean;
}

const TAG_COLUMNS = `t.id, t.name, t.color, t.icon,
  (SELECT p.id FROM tags p WHERE p.id = t.parent_id AND p.created_stamp > coalesce(p.deleted_stamp, '')) AS parentId,
  (SELECT count(*) FROM tag_applications a WHERE a.tag_id = t.id AND ${LIVE_APPLICATION}) AS applied,
  ${LIVE_TAG} AS live`;

const toRecord = (r: TagRecord): TagRecord => ({ ...r, live: Boolean(r.live) });

export function listTags(db: Database): TagRecord[] {
  return (db.prepare(`SELECT ${TAG_COLUMNS} FROM tags t WHERE ${LIVE_TAG} ORDER BY t.name COLLATE NOCASE, t.id`).all() as TagRecord[]).map(toRecord);
}

/** A tag row whether live or deleted; null when no event of it is known. */
export function tagById(db: Database, id: string): TagRecord | null {
  const r = db.prepare(`SELECT ${TAG_COLUMNS} FROM tags t WHERE t.id = ? AND t.name IS NOT NULL`).get(id) as TagRecord | undefined;
  return r ? toRecord(r) : null;
}

/** Tags, live or deleted, whose current name is this one (any case). */
export function tagsNamed(db: Database, name: string): TagRecord[] {
  const key = name.toLowerCase();
  return (db.prepare(`SELECT ${TAG_COLUMNS} FROM tags t WHERE t.name IS NOT NULL`).all() as TagRecord[]).map(toRecord).filter((t) => t.name.toLowerCase() === key);
}

/** Live applications of a tag on these targets (by target key). */
export function liveApplications(db: Database, tagId: string, targets: readonly string[]): { eventId: string; target: string }[] {
  const stmt = db.prepare(
    `SELECT a.event_id AS eventId, a.target FROM tag_applications a JOIN tags t ON t.id = a.tag_id
     WHERE a.tag_id = ? AND a.target = ? AND ${LIVE_APPLICATION} ORDER BY a.event_id`,
  );
  return targets.flatMap((key) => stmt.all(tagId, key) as { eventId: string; target: string }[]);
}

/** The live tags on these targets, each with the target that carries it. */
export function tagsOnTargets(db: Database, targets: readonly string[]): (TagRecord & { target: string })[] {
  const stmt = db.prepare(
    `SELECT DISTINCT ${TAG_COLUMNS}, a.target FROM tag_applications a JOIN tags t ON t.id = a.tag_id
     WHERE a.target = ? AND ${LIVE_TAG} AND ${LIVE_APPLICATION} ORDER BY t.name COLLATE NOCASE`,
  );
  return targets.flatMap((key) => (stmt.all(key) as (TagRecord & { target: string })[]).map((r) => ({ ...toRecord(r), target: r.target })));
}

/** How many log events applied or removed a tag on these targets. */
export function tagEventCount(db: Database, targets: readonly string[]): number {
  const stmt = db.prepare(
    `SELECT count(*) FROM (SELECT event_id FROM tag_applications WHERE target = :key UNION SELECT removal_event_id FROM tag_removals WHERE target = :key)`,
  ).pluck();
  return targets.reduce((n, key) => n + (stmt.get({ key }) as number), 0);
}
