// A library log written with the first log schema (0001: every event row stores its stream, type, meta and prevHash)
// opens with this code: the migration to 0002 keeps every event, its hash chain and the positions to come.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventMeta, RecordedEvent, StoredEvent } from '../../src/domain/envelope.js';
import { formatHlc } from '../../src/domain/hlc.js';
import { migrationsOf } from '../../src/infra/database/migrations.js';
import { openDatabase, type SqliteDatabase } from '../../src/infra/database/open.js';
import { encode } from '../../src/infra/eventstore/codec.js';
import { HashChain, ZERO_HASH } from '../../src/infra/eventstore/hash-chain.js';
import { uuidv7 } from '../../src/infra/ids.js';
import { noted, tempLog } from './temp-log.js';

interface OldAppend {
  device: string;
  stream: string;
  meta: EventMeta;
  events: { type: string; data: unknown; schemaVersion?: number }[];
}

const T = Date.UTC(2026, 10, 21, 9, 0, 0);

/**
 * Writes appends the way the 0001 store did: one row per event with every column filled, one stream segment and
 * one chain segment per append, the chain heads and the clock. Returns the envelopes a read must give back.
 */
async function writeSchema1Log(db: SqliteDatabase, appends: OldAppend[]): Promise<RecordedEvent[]> {
  db.exec(`CREATE TABLE schema_migrations (
    migration_set TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (migration_set, version)
  ) WITHOUT ROWID`);
  const first = migrationsOf('log')[0];
  assert.is(first.version, 1);
  db.exec(first.sql);
  db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run('log', first.version, first.name);

  const hashChain = await HashChain.create();
  const chains = new Map<string, { chain: number; seq: number; hash: Uint8Array }>();
  const versions = new Map<string, number>();
  const written: RecordedEvent[] = [];
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, chain, seq, hlc, meta, data, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let tick = 0;
  for (const append of appends) {
    let c = chains.get(append.device);
    if (!c) {
      const chain = Number(
        db.prepare('INSERT INTO chains (device, epoch, seq, hash) VALUES (?, 1, 0, ?)').run(append.device, ZERO_HASH).lastInsertRowid,
      );
      c = { chain, seq: 0, hash: ZERO_HASH };
      chains.set(append.device, c);
    }
    const meta = encode(append.meta);
    const firstVersion = (versions.get(append.stream) ?? 0) + 1;
    const firstSeq = c.seq + 1;
    let firstPosition = 0;
    for (const e of append.events) {
      const eventId = uuidv7();
      const streamVersion = (versions.get(append.stream) ?? 0) + 1;
      versions.set(append.stream, streamVersion);
      const seq = ++c.seq;
      const hlc = formatHlc({ wall: T, counter: tick++ });
      const schemaVersion = e.schemaVersion ?? 1;
      const data = encode(e.data);
      const fields = { eventId, streamId: append.stream, type: e.type, schemaVersion, device: append.device, epoch: 1, seq, hlc, meta, data };
      const hash = hashChain.hash(c.hash, fields);
      const position = Number(
        insert.run(eventId, append.stream, streamVersion, e.type, schemaVersion, c.chain, seq, hlc, meta, data, c.hash, hash)
          .lastInsertRowid,
      );
      firstPosition ||= position;
      written.push({
        position,
        eventId,
        type: e.type,
        schemaVersion,
        streamId: append.stream,
        streamVersion,
        origin: { device: append.device, epoch: 1, seq },
        hlc,
        meta: append.meta,
        data: e.data,
        prevHash: Buffer.from(c.hash).toString('hex'),
        hash: Buffer.from(hash).toString('hex'),
      });
      c.hash = hash;
    }
    const count = append.events.length;
    db.prepare('INSERT INTO stream_segments VALUES (?, ?, ?, ?)').run(append.stream, firstVersion, firstPosition, count);
    db.prepare('INSERT INTO chain_segments VALUES (?, ?, ?, ?)').run(c.chain, firstSeq, firstPosition, count);
    db.prepare('UPDATE chains SET seq = ?, hash = ? WHERE chain = ?').run(c.seq, c.hash, c.chain);
  }
  const writer = chains.get('device-a')!.chain;
  db.prepare('INSERT INTO local_writer (singleton, chain, last_hlc) VALUES (1, ?, ?)').run(writer, formatHlc({ wall: T, counter: tick - 1 }));
  return written;
}

const metaA: EventMeta = { actionId: 'action-1', correlationId: 'corr-1', commandKind: 'location.add' };
const metaB: EventMeta = { actionId: 'action-2', causationId: 'action-1' };
const file = (path: string, size: number) => ({ type: 'FileSeen', data: { path, size, mtime: 1_700_000_000_000 + size } });
const appends: OldAppend[] = [
  { device: 'device-a', stream: 'location-1', meta: metaA, events: [file('/a', 1), file('/b', 2), { type: 'Noted', data: { text: 'x' } }, file('/c', 3)] },
  // the same stream and meta again: its first event must still store them, as the start of an append
  { device: 'device-a', stream: 'location-1', meta: metaA, events: [file('/d', 4), file('/e', 5)] },
  { device: 'device-b', stream: 'tags', meta: metaB, events: [{ type: 'Tagged', schemaVersion: 1, data: { name: 'old' } }] },
  { device: 'device-a', stream: 'job-1', meta: {}, events: [{ type: 'Noted', data: { text: 'y' } }, { type: 'Noted', data: { text: 'z' } }] },
];

const withoutChain = ({ prevHash: _p, hash: _h, ...stored }: RecordedEvent): StoredEvent => stored;

test('a log of schema 1 migrates: every event, envelope and hash chain reads back, appends continue', async () => {
  const log = tempLog();
  try {
    const old = openDatabase(log.file);
    const written = await writeSchema1Log(old, appends);
    // positions are never reused, even past the highest row: the migration keeps the table's sequence
    old.prepare("UPDATE sqlite_sequence SET seq = seq + 5 WHERE name = 'events'").run();
    old.close();

    const { db, store } = await log.open({ device: 'device-a' });
    assert.equal(db.prepare("SELECT version FROM schema_migrations WHERE migration_set = 'log' ORDER BY version").pluck().all(), [1, 2]);
    const report = await store.verifyChains();
    assert.equal(report, { ok: true, checked: written.length, chains: 2, breaks: [] });

    // the Tagged event of schema version 1 is upcast on read, as before
    const expected = written.map((e) =>
      e.type === 'Tagged' ? { ...e, schemaVersion: 3, data: { tag: 'old', color: 'none' } } : e,
    );
    assert.equal(await store.readAll(), expected);
    assert.equal(await store.readAll({ fromPosition: 3 }), expected.slice(2));
    assert.equal(await store.readStream('location-1', { fromVersion: 5 }), expected.slice(4, 6));
    for (const size of [1, 2, 3, 100]) assert.equal([...store.batches(1, size)].flat(), expected.map(withoutChain), `batch size ${size}`);
    assert.equal([...store.batches(2, 2)].flat(), expected.slice(1).map(withoutChain));

    // repeats are stored once per append: the first event of each append holds its stream and meta
    const starts = [1, 5, 7, 8];
    assert.equal(db.prepare('SELECT position FROM events WHERE stream_id IS NOT NULL ORDER BY position').pluck().all(), starts);
    assert.equal(db.prepare('SELECT position FROM events WHERE meta IS NOT NULL ORDER BY position').pluck().all(), starts);
    assert.equal(db.prepare('SELECT position FROM events WHERE type IS NOT NULL ORDER BY position').pluck().all(), [1, 3, 4, 5, 7, 8]);

    const next = noted('after the migration');
    const result = store.appendSync('location-1', [next], { expectedVersion: 6 });
    assert.equal(result, { nextExpectedVersion: 7, lastPosition: written.length + 6, appended: 1 });
    const [after] = await store.readAll({ fromPosition: written.length + 1 });
    assert.equal([after.eventId, after.origin.seq, after.prevHash], [next.eventId, 9, written[written.length - 1].hash]);
    assert.ok((await store.verifyChains()).ok);
  } finally {
    log.cleanup();
  }
});

test('an edit to a log of schema 1 is still found after the migration', async () => {
  const log = tempLog();
  try {
    const old = openDatabase(log.file);
    await writeSchema1Log(old, appends);
    old.prepare('UPDATE events SET meta = ? WHERE position = 6').run(encode({ actionId: 'forged' }));
    old.close();
    const { store } = await log.open();
    const report = await store.verifyChains();
    assert.equal(report.breaks.map((b) => [b.position, b.seq]), [[6, 6]]);
    assert.match(report.breaks[0].reason, /edited/);
  } finally {
    log.cleanup();
  }
});

test.run();
