import type { Database, Statement } from 'better-sqlite3';

/**
 * Appended to every indexed name (migration 0007): each 1-2 character substring of a name then starts one of its
 * trigrams, so a short query finds its candidates among the terms of the index.
 */
export const NAME_END = '\u0001\u0001';

/** New entries from which a catch-up builds the indexes of `search_names` at the end rather than row by row. */
const BULK = 100_000;

/** Entries re-indexed per transaction: large enough that a catch-up is bulk work, small enough to show progress. */
const CHUNK = 50_000;

export interface SearchIndexProgress {
  done: number;
  total: number;
}

/**
 * The deferred search index (migrations 0004, 0007): trigram names, names in order with their sort facts, contents,
 * directory paths. It is kept off the indexer's write path and caught up before it is read, in bulk, with only what
 * changed since the last catch-up: the entries above `intact_to` and the ids in `search_pending`. The result depends
 * only on `entries`, so a caught-up index is the same whether it was kept incrementally or rebuilt.
 */
export class SearchIndex {
  private readonly s: Record<
    | 'intactTo' | 'setIntactTo' | 'top' | 'anyPending' | 'pendingCount' | 'newCount' | 'rangeCount' | 'staleCount' | 'pendingChunk'
    | 'newChunkEnd' | 'indexedAbove' | 'indexedIn' | 'unindexFts' | 'namesCount' | 'deferred' | 'anyDeferred',
    Statement
  >;

  /** `bulkFrom`: new entries from which a catch-up builds the indexes of `search_names` at the end. */
  constructor(
    private readonly db: Database,
    private readonly bulkFrom = BULK,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      intactTo: p('SELECT intact_to FROM search_state').pluck(),
      setIntactTo: p('UPDATE search_state SET intact_to = ?'),
      anyPending: p('SELECT 1 FROM search_pending LIMIT 1'),
      rangeCount: p('SELECT count(*) FROM entries WHERE id > ? AND id <= ?').pluck(),
      staleCount: p('SELECT count(*) FROM search_names WHERE id > ?').pluck(),
      top: p('SELECT coalesce(max(id), 0) FROM entries').pluck(),
      pendingCount: p('SELECT count(*) FROM search_pending WHERE id <= ?').pluck(),
      newCount: p('SELECT count(*) FROM entries WHERE id > ?').pluck(),
      pendingChunk: p(`SELECT id FROM search_pending WHERE id <= ? ORDER BY id LIMIT ${CHUNK}`).pluck(),
      newChunkEnd: p(`SELECT id FROM entries WHERE id > ? ORDER BY id LIMIT 1 OFFSET ${CHUNK - 1}`).pluck(),
      indexedAbove: p('SELECT id FROM search_names WHERE id > ?').pluck(),
      indexedIn: p('SELECT id FROM search_names WHERE id IN (SELECT id FROM search_pending WHERE id BETWEEN ? AND ?)').pluck(),
      unindexFts: p('DELETE FROM entry_names WHERE rowid = ?'),
      namesCount: p('SELECT count(*) FROM search_names').pluck(),
      deferred: p('SELECT name, sql FROM search_deferred_indexes ORDER BY name'),
      anyDeferred: p('SELECT 1 FROM search_deferred_indexes LIMIT 1'),
    };
  }

  /** Entries whose index rows are not current (an upper bound: some pending ids may have changed back). */
  behind(): number {
    const intactTo = this.s.intactTo.get() as number;
    return (this.s.pendingCount.get(intactTo) as number) + (this.s.newCount.get(intactTo) as number) + (this.s.staleCount.get(intactTo) as number);
  }

  /**
   * Whether the index can be read as is: nothing pending, nothing above `intact_to`, no index left out by a bulk
   * catch-up (what a reader can check).
   */
  isCurrent(): boolean {
    const intactTo = this.s.intactTo.get() as number;
    return this.s.top.get() === intactTo && this.s.anyPending.get() === undefined && this.s.anyDeferred.get() === undefined;
  }

  /** Brings the index up to `entries`; returns how many entries were re-indexed. */
  catchUp(onProgress?: (p: SearchIndexProgress) => void): number {
    if (this.isCurrent()) return 0;
    const total = this.behind();
    let done = 0;
    const report = () => onProgress?.({ done, total });
    report();
    let intactTo = this.s.intactTo.get() as number;
    // pending ids: unindexed and indexed again from their current row (gone, renamed, moved, re-identified)
    for (;;) {
      const ids = this.s.pendingChunk.all(intactTo) as number[];
      if (ids.length === 0) break;
      const [lo, hi] = [ids[0], ids[ids.length - 1]];
      this.db.transaction(() => {
        for (const id of this.s.indexedIn.all(lo, hi) as number[]) this.s.unindexFts.run(id);
        const these = `id IN (SELECT id FROM search_pending WHERE id BETWEEN ${lo} AND ${hi})`;
        this.db.exec(`DELETE FROM search_names WHERE ${these}; DELETE FROM search_dirs WHERE ${these};`);
        this.index(these);
        this.db.exec(`DELETE FROM search_pending WHERE id BETWEEN ${lo} AND ${hi}`);
      })();
      done += ids.length;
      report();
    }
    // above `intact_to`: what is indexed there may be stale (ids taken again after deletes), the rest is new
    this.db.transaction(() => {
      for (const id of this.s.indexedAbove.all(intactTo) as number[]) this.s.unindexFts.run(id);
      this.db.exec(`DELETE FROM search_names WHERE id > ${intactTo}; DELETE FROM search_dirs WHERE id > ${intactTo};
        DELETE FROM search_pending;`);
    })();
    // most of the index to build: its name-order, content and sort indexes are built once at the end (sorted), not
    // kept row by row (random B-tree inserts), which halves a first catch-up
    const fresh = this.s.newCount.get(intactTo) as number;
    if (fresh >= this.bulkFrom && fresh > (this.s.namesCount.get() as number)) {
      this.db.transaction(() => {
        this.db.exec(`INSERT OR IGNORE INTO search_deferred_indexes (name, sql)
          SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_names' AND sql IS NOT NULL`);
        for (const { name } of this.deferredIndexes()) this.db.exec(`DROP INDEX IF EXISTS "${name}"`);
      })();
    }
    for (;;) {
      const end = (this.s.newChunkEnd.get(intactTo) as number | undefined) ?? (this.s.top.get() as number);
      if (end <= intactTo) break;
      const from = intactTo;
      this.db.transaction(() => {
        this.index(`id > ${from} AND id <= ${end}`);
        this.s.setIntactTo.run(end);
      })();
      done += this.s.rangeCount.get(from, end) as number;
      intactTo = end;
      report();
    }
    this.restoreIndexes();
    return done;
  }

  /** Creates the indexes a bulk catch-up left out (also after a catch-up that was interrupted). */
  private restoreIndexes(): void {
    const deferred = this.deferredIndexes();
    if (deferred.length === 0) return;
    this.db.transaction(() => {
      for (const { sql } of deferred) this.db.exec(sql);
      this.db.exec('DELETE FROM search_deferred_indexes');
    })();
  }

  private deferredIndexes(): { name: string; sql: string }[] {
    return this.s.deferred.all() as { name: string; sql: string }[];
  }

  /** Indexes the entries a condition on `id` picks (none of them may be indexed). */
  private index(which: string): void {
    this.db.exec(`
      INSERT INTO entry_names (rowid, name) SELECT id, name || '${NAME_END}' FROM entries WHERE ${which};
      INSERT INTO search_names (id, name, cas_id, extension, size, modified_at)
        SELECT id, name, cas_id, extension, CASE WHEN kind = 'directory' THEN NULL ELSE size END, modified_at FROM entries WHERE ${which};
      INSERT INTO search_dirs (id, location, path)
        SELECT id, location, CASE WHEN parent = '' THEN name ELSE parent || '/' || name END FROM entries
        WHERE kind = 'directory' AND ${which};`);
  }
}
