import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../domain/envelope.js';
import type { Projection } from './projection.js';

/** What the runner needs from the log: batches in position order. */
export interface EventSource {
  batches(fromPosition?: number, batchSize?: number): Iterable<StoredEvent[]>;
  headPositionSync(): number;
}

/** Creates the read-model tables, from scratch, in a database (the read-model migrations). */
export type ReadModelSchema = {
  create(db: Database): void;
  /** Forgets that the read models were created, so `create` makes them anew after they are dropped. */
  forget(db: Database): void;
};

export interface TableComparison {
  name: string;
  equal: boolean;
  liveRows: number;
  rebuiltRows: number;
  liveDigest: string;
  rebuiltDigest: string;
}

export interface VerifyReport {
  equal: boolean;
  events: number;
  tables: TableComparison[];
}

/**
 * Runs projections in two modes: inline (inside each append's transaction, so read models and checkpoints commit
 * with the events) and catch-up (on open, from each stored checkpoint). Also rebuilds and verifies the read models.
 */
export class ProjectionRunner {
  private readonly setCheckpoint;
  private readonly getCheckpoints;

  constructor(
    private readonly db: Database,
    private readonly projections: readonly Projection[],
    private readonly schema: ReadModelSchema,
  ) {
    this.setCheckpoint = db.prepare(
      `INSERT INTO projection_checkpoints (name, position, version) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, version = excluded.version`,
    );
    this.getCheckpoints = db.prepare('SELECT name, position, version FROM projection_checkpoints');
  }

  /** Inline mode: call inside the append transaction. */
  applyInline(events: readonly StoredEvent[]): void {
    const last = events[events.length - 1].position;
    for (const p of this.projections) {
      fold(this.db, p, events);
      this.setCheckpoint.run(p.name, last, p.version);
    }
  }

  /**
   * Catch-up mode: brings every projection to the head of the log, batch by batch, each batch in one transaction
   * with its checkpoints. A projection whose code version changed makes every read model rebuild.
   */
  catchUp(source: EventSource): { rebuilt: boolean; applied: number } {
    const stored = new Map(
      (this.getCheckpoints.all() as { name: string; position: number; version: number }[]).map((c) => [c.name, c]),
    );
    if (this.projections.some((p) => stored.has(p.name) && stored.get(p.name)!.version !== p.version)) {
      return { rebuilt: true, applied: this.rebuild(source).events };
    }
    const head = source.headPositionSync();
    const behind = this.projections.filter((p) => (stored.get(p.name)?.position ?? 0) < head);
    if (behind.length === 0) return { rebuilt: false, applied: 0 };
    const from = Math.min(...behind.map((p) => stored.get(p.name)?.position ?? 0)) + 1;
    let applied = 0;
    for (const batch of source.batches(from)) {
      this.db.transaction(() => {
        const last = batch[batch.length - 1].position;
        for (const p of behind) {
          const checkpoint = stored.get(p.name)?.position ?? 0;
          fold(this.db, p, checkpoint >= batch[0].position ? batch.filter((e) => e.position > checkpoint) : batch);
          this.setCheckpoint.run(p.name, last, p.version);
        }
      })();
      applied += batch.length;
    }
    return { rebuilt: false, applied };
  }

  /** Drops every read model and replays the whole log into it, in one transaction: all or nothing. */
  rebuild(source: EventSource): { events: number } {
    let events = 0;
    this.db.transaction(() => {
      for (const table of readModelTables(this.db, this.schema)) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
      this.schema.forget(this.db);
      this.schema.create(this.db);
      this.db.prepare('DELETE FROM projection_checkpoints').run();
      let last = 0;
      for (const batch of source.batches(1)) {
        for (const p of this.projections) fold(this.db, p, batch);
        last = batch[batch.length - 1].position;
        events += batch.length;
      }
      for (const p of this.projections) this.setCheckpoint.run(p.name, last, p.version);
    })();
    return { events };
  }

  /**
   * Rebuilds into a scratch database and compares a digest of every read-model table with the live one.
   * The live read models must first be caught up (they are, on open); `settle` brings the scratch database's
   * deferred read models (the search index) to where the live ones were brought before comparing.
   */
  verify(source: EventSource, scratch: Database, settle?: (db: Database) => void): VerifyReport {
    this.schema.create(scratch);
    let events = 0;
    scratch.transaction(() => {
      for (const batch of source.batches(1)) {
        for (const p of this.projections) fold(scratch, p, batch);
        events += batch.length;
      }
    })();
    settle?.(scratch);
    const tables = readModelTables(scratch, this.schema).map((name) => {
      const live = digestTable(this.db, name);
      const rebuilt = digestTable(scratch, name);
      return {
        name,
        equal: live.digest === rebuilt.digest,
        liveRows: live.rows,
        rebuiltRows: rebuilt.rows,
        liveDigest: live.digest,
        rebuiltDigest: rebuilt.digest,
      };
    });
    return { equal: tables.every((t) => t.equal), events, tables };
  }
}

function fold(db: Database, p: Projection, events: readonly StoredEvent[]): void {
  const mine = events.filter((e) => p.handles.has(e.type));
  if (mine.length > 0) p.apply(db, mine);
}

/** The tables the read-model schema creates, found by creating it in an empty in-memory database. */
function readModelTables(db: Database, schema: ReadModelSchema): string[] {
  const Ctor = db.constructor as new (file: string) => Database;
  const probe = new Ctor(':memory:');
  try {
    schema.create(probe);
    const tables = probe
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name")
      .all() as { name: string; sql: string }[];
    // A virtual table's shadow tables (FTS5 `<name>_data`, …) hold its index, whose bytes depend on merge history:
    // the virtual table is digested, they are not (and dropping it drops them).
    const virtual = tables.filter((t) => t.sql.startsWith('CREATE VIRTUAL TABLE')).map((t) => `${t.name}_`);
    return tables.filter((t) => !virtual.some((prefix) => t.name.startsWith(prefix))).map((t) => t.name);
  } finally {
    probe.close();
  }
}

/** Digest of a table's rows in a canonical order (every column), so insertion order does not matter. */
function digestTable(db: Database, table: string): { digest: string; rows: number } {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  if (!exists) return { digest: 'missing', rows: 0 };
  const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => `"${c.name}"`);
  const h = createHash('sha256');
  let rows = 0;
  for (const row of db.prepare(`SELECT ${columns.join(', ')} FROM "${table}" ORDER BY ${columns.join(', ')}`).raw().iterate() as IterableIterator<unknown[]>) {
    h.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? v.toString() : v)));
    h.update('\n');
    rows++;
  }
  return { digest: h.digest('hex'), rows };
}
