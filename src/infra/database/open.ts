import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** Opens a library database with the settings DESIGN §2 fixes: WAL, synchronous=NORMAL. */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  const db = new Database(file, { readonly: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  return db;
}
