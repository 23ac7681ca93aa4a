import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import { packageRoot } from './package-root.js';

/**
 * Numbered SQL migrations in two sets: `log` (the event store, never dropped) and `read-models` (dropped and
 * re-applied from scratch by a rebuild, so each file is the next step of the read-model schema).
 */
export type MigrationSet = 'log' | 'read-models';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const cache = new Map<MigrationSet, Migration[]>();

export function migrationsOf(set: MigrationSet): Migration[] {
  let list = cache.get(set);
  if (!list) {
    const dir = path.join(packageRoot(), 'migrations', set);
    list = readdirSync(dir)
      .filter((f) => /^\d+_.+\.sql$/.test(f))
      .sort()
      .map((f) => ({ version: parseInt(f, 10), name: f, sql: readFileSync(path.join(dir, f), 'utf8') }));
    cache.set(set, list);
  }
  return list;
}

function ensureTable(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    migration_set TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (migration_set, version)
  ) WITHOUT ROWID`);
}

/** Applies the pending migrations of a set in one transaction; refuses a database newer than this code. */
export function migrate(db: Database, set: MigrationSet): void {
  ensureTable(db);
  const known = migrationsOf(set);
  const applied = db
    .prepare('SELECT version FROM schema_migrations WHERE migration_set = ?')
    .pluck()
    .all(set) as number[];
  const newest = Math.max(0, ...applied);
  const latest = Math.max(0, ...known.map((m) => m.version));
  if (newest > latest) {
    throw new DomainError(
      'SCHEMA_TOO_NEW',
      'user',
      `this library was written by a newer spacedrive (${set} schema ${newest}, this one knows ${latest}): upgrade spacedrive`,
    );
  }
  const done = new Set(applied);
  const pending = known.filter((m) => !done.has(m.version));
  if (pending.length === 0) return;
  db.transaction(() => {
    const record = db.prepare('INSERT INTO schema_migrations (migration_set, version, name) VALUES (?, ?, ?)');
    for (const m of pending) {
      db.exec(m.sql);
      record.run(set, m.version, m.name);
    }
  })();
}

/** Forgets that the read-model migrations ran, so the next `migrate` re-creates the read models from scratch. */
export function forgetReadModelMigrations(db: Database): void {
  ensureTable(db);
  db.prepare("DELETE FROM schema_migrations WHERE migration_set = 'read-models'").run();
}
