import type { Database, Statement } from 'better-sqlite3';

/**
 * The statements of a projection, prepared once per database (the live one, or a scratch one for verify):
 * `preparedOnce(SQL)(db).name` is `db.prepare(SQL.name)`.
 */
export function preparedOnce<K extends string>(sql: Readonly<Record<K, string>>): (db: Database) => Record<K, Statement> {
  const cache = new WeakMap<Database, Record<K, Statement>>();
  return (db) => {
    let s = cache.get(db);
    if (!s) {
      s = Object.fromEntries(Object.entries<string>(sql).map(([k, text]) => [k, db.prepare(text)])) as Record<K, Statement>;
      cache.set(db, s);
    }
    return s;
  };
}
