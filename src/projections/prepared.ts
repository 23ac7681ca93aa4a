import type { Database, Statement } from 'better-sqlite3';

/**
 * The statements of a projection, prepared once per database (the live one, or a scratch one for verify):
 * `preparedOnce(SQL)(db).name` is `db.prepare(SQL.name)`, plucked (returning its single column's value) when
 * `plucked` names it.
 */
export function preparedOnce<K extends string>(sql: Readonly<Record<K, string>>, plucked: readonly K[] = []): (db: Database) => Record<K, Statement> {
  const cache = new WeakMap<Database, Record<K, Statement>>();
  return (db) => {
    let s = cache.get(db);
    if (!s) {
      s = Object.fromEntries(
        Object.entries<string>(sql).map(([k, text]) => {
          const statement = db.prepare(text);
          return [k, plucked.includes(k as K) ? statement.pluck() : statement];
        }),
      ) as Record<K, Statement>;
      cache.set(db, s);
    }
    return s;
  };
}
