// Log throughput: appends 1,000,000 small events to a fresh SQLite log, then replays them through a projection.
// Run with `npm run bench:log`; never part of `npm test`. Targets on a 2-core machine: append ≥ 100k events/s,
// replay ≥ 250k events/s.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import type { NewEvent, StoredEvent } from '../src/domain/envelope.js';
import { EventCatalog, defineEvent } from '../src/domain/event-catalog.js';
import { openDatabase } from '../src/infra/database/open.js';
import { migrate } from '../src/infra/database/migrations.js';
import { SqliteEventStore } from '../src/infra/eventstore/sqlite-event-store.js';
import { uuidv7 } from '../src/infra/ids.js';
import type { Projection } from '../src/projections/projection.js';
import { ProjectionRunner, type ReadModelSchema } from '../src/projections/runner.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PER_APPEND = 1_000;
const STREAMS = 100;

const FileSeen = defineEvent('FileSeen', z.object({ path: z.string(), size: z.number(), mtime: z.number() }));
const catalog = new EventCatalog([FileSeen]);

/** Per-stream event counts and byte totals, written once per batch. */
const streamTotals: Projection = {
  name: 'stream-totals',
  version: 1,
  handles: new Set(['FileSeen']),
  apply(db: Database, events: readonly StoredEvent[]) {
    const totals = new Map<string, { files: number; bytes: number }>();
    for (const e of events) {
      const t = totals.get(e.streamId) ?? { files: 0, bytes: 0 };
      t.files++;
      t.bytes += (e.data as { size: number }).size;
      totals.set(e.streamId, t);
    }
    const upsert = db.prepare(
      `INSERT INTO stream_totals (stream_id, files, bytes) VALUES (?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET files = files + excluded.files, bytes = bytes + excluded.bytes`,
    );
    for (const [stream, t] of totals) upsert.run(stream, t.files, t.bytes);
  },
};

const schema: ReadModelSchema = {
  create: (db) =>
    db.exec('CREATE TABLE IF NOT EXISTS stream_totals (stream_id TEXT PRIMARY KEY, files INTEGER NOT NULL, bytes INTEGER NOT NULL)'),
  forget: () => {},
};

let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};

function rate(events: number, ms: number): string {
  return `${Math.round(events / (ms / 1000)).toLocaleString('en-US')} events/s`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-log-'));
  const file = path.join(dir, 'library.db');
  try {
    const db = openDatabase(file);
    migrate(db, 'log');
    schema.create(db);
    const store = await SqliteEventStore.open({ db, device: 'bench-device', catalog });
    const versions = new Array<number>(STREAMS).fill(0);
    const meta = { actionId: uuidv7(), correlationId: uuidv7(), commandKind: 'location.index' };

    let t0 = performance.now();
    for (let appended = 0, n = 0; appended < EVENTS; n++) {
      const s = n % STREAMS;
      const count = Math.min(PER_APPEND, EVENTS - appended);
      const events: NewEvent[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const k = appended + i;
        events[i] = {
          eventId: uuidv7(),
          type: 'FileSeen',
          data: { path: `/Users/alice/Projects/loc-${s}/src/dir-${k % 97}/file-${k}.ts`, size: (k * 7919) % 1_000_000, mtime: 1_700_000_000_000 + k },
        };
      }
      const result = store.appendSync(`location-${s}`, events, { expectedVersion: versions[s], meta });
      versions[s] = result.nextExpectedVersion;
      appended += count;
      if (n % 100 === 0) sampleRss();
    }
    const appendMs = performance.now() - t0;
    sampleRss();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = statSync(file).size;

    const runner = new ProjectionRunner(db, [streamTotals], schema);
    t0 = performance.now();
    const { applied } = runner.catchUp({
      *batches(from, size) {
        for (const batch of store.batches(from, size)) {
          sampleRss();
          yield batch;
        }
      },
      headPositionSync: () => store.headPositionSync(),
    });
    const replayMs = performance.now() - t0;
    const { files } = db.prepare('SELECT SUM(files) AS files FROM stream_totals').get() as { files: number };
    if (applied !== EVENTS || files !== EVENTS) throw new Error(`replayed ${applied} events, folded ${files}, expected ${EVENTS}`);
    db.close();

    console.log(`events:  ${EVENTS.toLocaleString('en-US')} in ${STREAMS} streams, ${PER_APPEND} per append`);
    console.log(`append:  ${rate(EVENTS, appendMs)} (${(appendMs / 1000).toFixed(2)} s)`);
    console.log(`replay:  ${rate(EVENTS, replayMs)} (${(replayMs / 1000).toFixed(2)} s, projection catch-up)`);
    console.log(`file:    ${(bytes / 1048576).toFixed(1)} MiB (${Math.round(bytes / EVENTS)} bytes/event)`);
    console.log(`peak RSS: ${(peakRss / 1048576).toFixed(0)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
