import type { Database } from 'better-sqlite3';

export interface MetadataRecord {
  note: string | null;
  favorite: boolean;
  hidden: boolean;
  /** The `<hlc> <device>` stamp of each field's last write. */
  stamps: { note: string | null; favorite: string | null; hidden: string | null };
}

export function metadataOf(db: Database, target: string): MetadataRecord {
  const r = db
    .prepare('SELECT note, favorite, hidden, note_stamp, favorite_stamp, hidden_stamp FROM user_metadata WHERE target = ?')
    .get(target) as { note: string | null; favorite: number; hidden: number; note_stamp: string | null; favorite_stamp: string | null; hidden_stamp: string | null } | undefined;
  if (!r) return { note: null, favorite: false, hidden: false, stamps: { note: null, favorite: null, hidden: null } };
  return {
    note: r.note,
    favorite: r.favorite === 1,
    hidden: r.hidden === 1,
    stamps: { note: r.note_stamp, favorite: r.favorite_stamp, hidden: r.hidden_stamp },
  };
}
