// The event store contract (DESIGN §2), against real SQLite files: expected versions, idempotent ids, reads,
// concurrency, the hash chain, the clock, the envelope, upcasting, subscriptions and inline handlers.
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExpectedVersion, NewEvent, RecordedEvent, StoredEvent } from '../../src/domain/envelope.js';
import { DomainError, WrongExpectedVersion } from '../../src/domain/errors.js';
import { parseHlc } from '../../src/domain/hlc.js';
import { encode } from '../../src/infra/eventstore/codec.js';
import { HashChain } from '../../src/infra/eventstore/hash-chain.js';
import { uuidv7 } from '../../src/infra/ids.js';
import { noted, tempLog } from './temp-log.js';

const logs: ReturnType<typeof tempLog>[] = [];
function fresh(): ReturnType<typeof tempLog> {
  const log = tempLog();
  logs.push(log);
  return log;
}
test.after.each(() => {
  for (const log of logs.splice(0)) log.cleanup();
});

function expectWrongVersion(fn: () => unknown): WrongExpectedVersion {
  try {
    fn();
  } catch (err) {
    assert.instance(err, WrongExpectedVersion);
    return err as WrongExpectedVersion;
  }
  return assert.unreachable('expected WrongExpectedVersion') as never;
}

const withoutChain = ({ prevHash: _p, hash: _h, ...stored }: RecordedEvent): StoredEvent => stored;

// ---------------------------------------------------------------------------------------------------------------
// Expected versions

const versionCases: { expected: ExpectedVersion; existing: number; ok: boolean }[] = [
  { expected: 'any', existing: 0, ok: true },
  { expected: 'any', existing: 2, ok: true },
  { expected: 'no_stream', existing: 0, ok: true },
  { expected: 'no_stream', existing: 2, ok: false },
  { expected: 'stream_exists', existing: 0, ok: false },
  { expected: 'stream_exists', existing: 2, ok: true },
  { expected: 0, existing: 0, ok: true },
  { expected: 1, existing: 0, ok: false },
  { expected: 2, existing: 2, ok: true },
  { expected: 0, existing: 2, ok: false },
  { expected: 1, existing: 2, ok: false },
  { expected: 3, existing: 2, ok: false },
];

for (const { expected, existing, ok } of versionCases) {
  const name = `expected version ${JSON.stringify(expected)} on a stream of ${existing} events ${ok ? 'appends' : 'is refused'}`;
  test(name, async () => {
    const { store } = await fresh().open();
    store.appendSync('other', [noted('elsewhere')]); // versions are per stream, not global
    if (existing > 0) store.appendSync('s', [noted('one'), noted('two')]);
    const head = store.headPositionSync();
    const before = await store.readAll();
    const batch = [noted('x'), noted('y')];
    if (ok) {
      const r = store.appendSync('s', batch, { expectedVersion: expected });
      assert.equal(r, { nextExpectedVersion: existing + 2, lastPosition: head + 2, appended: 2 });
      const stream = await store.readStream('s');
      assert.equal(stream.map((e) => e.streamVersion), Array.from({ length: existing + 2 }, (_, i) => i + 1));
      assert.equal(stream.slice(-2).map((e) => e.eventId), batch.map((e) => e.eventId));
    } else {
      const err = expectWrongVersion(() => store.appendSync('s', batch, { expectedVersion: expected }));
      assert.is(err.code, 'WRONG_EXPECTED_VERSION');
      assert.is(err.streamId, 's');
      assert.is(err.expected, expected);
      assert.is(err.actual, existing);
      assert.is(store.headPositionSync(), head);
      assert.is(await store.streamVersion('s'), existing);
      assert.equal(await store.readAll(), before);
      // the refused ids were not consumed: the same batch appends once the version is right
      assert.is(store.appendSync('s', batch, { expectedVersion: existing }).appended, 2);
    }
  });
}

test('the async append rejects a wrong expected version with the typed error', async () => {
  const { store } = await fresh().open();
  await store.append('s', [noted('one')]);
  try {
    await store.append('s', [noted('two')], { expectedVersion: 'no_stream' });
    assert.unreachable('append resolved');
  } catch (err) {
    assert.instance(err, WrongExpectedVersion);
  }
  assert.is(await store.streamVersion('s'), 1);
});

test('an expected version that is not a count is refused', async () => {
  const { store } = await fresh().open();
  for (const bad of [-1, 1.5, Number.NaN]) {
    assert.throws(
      () => store.appendSync('s', [noted('x')], { expectedVersion: bad }),
      (err: unknown) => err instanceof DomainError && err.code === 'INVALID_EXPECTED_VERSION',
    );
  }
  assert.is(store.headPositionSync(), 0);
});

test('an empty append checks the version and writes nothing', async () => {
  const { store } = await fresh().open();
  store.appendSync('s', [noted('x')]);
  assert.equal(store.appendSync('s', [], { expectedVersion: 1 }), { nextExpectedVersion: 1, lastPosition: 0, appended: 0 });
  expectWrongVersion(() => store.appendSync('s', [], { expectedVersion: 'no_stream' }));
  assert.is(store.headPositionSync(), 1);
});

// ---------------------------------------------------------------------------------------------------------------
// Idempotency

test('retrying a committed batch with its now-stale expected version succeeds and appends nothing', async () => {
  const { store } = await fresh().open();
  const batch = [noted('a'), noted('b'), noted('c')];
  const first = store.appendSync('s', batch, { expectedVersion: 'no_stream' });
  assert.equal(first, { nextExpectedVersion: 3, lastPosition: 3, appended: 3 });
  store.appendSync('other', [noted('later')]);
  const before = await store.readAll();
  let notified = 0;
  store.subscribe(() => notified++);
  for (const expectedVersion of ['no_stream', 0, 3, 'any'] as const) {
    const retry = store.appendSync('s', batch, { expectedVersion });
    assert.equal(retry, { nextExpectedVersion: 3, lastPosition: 3, appended: 0 });
  }
  assert.equal(await store.readAll(), before);
  assert.is(notified, 0);
  assert.ok((await store.verifyChains()).ok);
});

test('a retry of a committed batch too large for one call frame is still a no-op', async () => {
  const { store } = await fresh().open();
  const batch = Array.from({ length: 150_000 }, (_, i): NewEvent => ({ eventId: uuidv7(), type: 'Noted', data: i }));
  store.appendSync('big', batch, { expectedVersion: 'no_stream' });
  assert.equal(store.appendSync('big', batch, { expectedVersion: 'no_stream' }), {
    nextExpectedVersion: 150_000,
    lastPosition: 150_000,
    appended: 0,
  });
});

test('a duplicate id inside a new batch is skipped and versions, seqs and hashes stay contiguous', async () => {
  const { store } = await fresh().open();
  const a = noted('a');
  const b = noted('b');
  store.appendSync('s', [a, b]);
  const elsewhere = noted('elsewhere');
  store.appendSync('t', [elsewhere]);
  const d = noted('d');
  const e = noted('e');
  const f = noted('f');
  // b exists in this stream, `elsewhere` in another one, e appears twice in the batch
  const r = store.appendSync('s', [d, b, e, elsewhere, e, f], { expectedVersion: 2 });
  assert.is(r.appended, 3);
  assert.is(r.nextExpectedVersion, 5);
  const stream = await store.readStream('s');
  assert.equal(stream.map((x) => x.eventId), [a, b, d, e, f].map((x) => x.eventId));
  assert.equal(stream.map((x) => x.streamVersion), [1, 2, 3, 4, 5]);
  assert.equal(stream.map((x) => x.data), [{ text: 'a' }, { text: 'b' }, { text: 'd' }, { text: 'e' }, { text: 'f' }]);
  assert.is(r.lastPosition, stream[4].position);
  assert.equal((await store.readStream('t')).map((x) => x.eventId), [elsewhere.eventId]);
  const all = await store.readAll();
  assert.equal(all.map((x) => x.origin.seq), [1, 2, 3, 4, 5, 6]);
  assert.equal(await store.readStream('s', { fromVersion: 4 }), stream.slice(3));
  const report = await store.verifyChains();
  assert.ok(report.ok, JSON.stringify(report.breaks));
  assert.is(report.checked, 6);
});

// ---------------------------------------------------------------------------------------------------------------
// Reads

test('reads see the writes: readStream, readAll with every filter, batches', async () => {
  const { store } = await fresh().open();
  const w = (stream: string, ...texts: string[]) => store.appendSync(stream, texts.map((t) => noted(t)));
  w('location-1', 'l1a', 'l1b', 'l1c');
  w('location-2', 'l2a', 'l2b');
  w('job-1', 'j1a');
  w('location-1', 'l1d', 'l1e');
  w('locations', 'ls');
  w('location-', 'bare');
  const text = (events: readonly StoredEvent[]) => events.map((e) => (e.data as { text: string }).text);

  const all = await store.readAll();
  assert.equal(text(all), ['l1a', 'l1b', 'l1c', 'l2a', 'l2b', 'j1a', 'l1d', 'l1e', 'ls', 'bare']);
  assert.equal(all.map((e) => e.position), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.is(store.headPositionSync(), 10);
  assert.is(await store.headPosition(), 10);

  assert.equal(text(await store.readStream('location-1')), ['l1a', 'l1b', 'l1c', 'l1d', 'l1e']);
  assert.equal((await store.readStream('location-1')).map((e) => e.streamVersion), [1, 2, 3, 4, 5]);
  assert.equal(text(await store.readStream('location-1', { fromVersion: 3 })), ['l1c', 'l1d', 'l1e']);
  assert.equal(text(await store.readStream('location-1', { maxCount: 2 })), ['l1a', 'l1b']);
  assert.equal(text(await store.readStream('location-1', { fromVersion: 3, maxCount: 2 })), ['l1c', 'l1d']);
  assert.equal(text(await store.readStream('location-1', { fromVersion: 6 })), []);
  assert.equal(await store.readStream('nothing'), []);
  assert.is(await store.streamVersion('location-1'), 5);
  assert.is(await store.streamVersion('nothing'), 0);

  assert.equal(text(await store.readAll({ fromPosition: 7 })), ['l1d', 'l1e', 'ls', 'bare']);
  assert.equal(text(await store.readAll({ fromPosition: 3, limit: 2 })), ['l1c', 'l2a']);
  assert.equal(text(await store.readAll({ fromPosition: 11 })), []);
  assert.equal(text(await store.readAll({ streamId: 'location-1' })), ['l1a', 'l1b', 'l1c', 'l1d', 'l1e']);
  assert.equal(text(await store.readAll({ streamId: 'location-1', fromPosition: 2, limit: 3 })), ['l1b', 'l1c', 'l1d']);
  assert.equal(text(await store.readAll({ streamId: 'location-' })), ['bare']);
  assert.equal(text(await store.readAll({ streamPrefix: 'location-' })), ['l1a', 'l1b', 'l1c', 'l2a', 'l2b', 'l1d', 'l1e', 'bare']);
  assert.equal(text(await store.readAll({ streamPrefix: 'location-', fromPosition: 5, limit: 3 })), ['l2b', 'l1d', 'l1e']);
  assert.equal(text(await store.readAll({ streamPrefix: 'loc' })), text(all.filter((e) => e.streamId !== 'job-1')));
  assert.equal(text(await store.readAll({ streamPrefix: 'job-' })), ['j1a']);
  assert.equal(text(await store.readAll({ streamPrefix: 'x' })), []);
  assert.equal(await store.readAll({ streamId: 'location-1' }), await store.readStream('location-1'));

  for (const size of [1, 3, 4, 10, 1000]) {
    const batches = [...store.batches(1, size)];
    assert.ok(batches.every((b) => b.length > 0 && b.length <= size), `batch sizes for ${size}`);
    assert.is(batches.length, Math.ceil(10 / size));
    assert.equal(batches.flat(), all.map(withoutChain));
  }
  assert.equal([...store.batches(8, 2)].flat(), all.slice(7).map(withoutChain));
  assert.equal([...store.batches(11)], []);
  assert.equal([...store.batches()].flat(), all.map(withoutChain));
});

test('batches return every envelope field, including stream, type and meta changing from one event to the next', async () => {
  const { store } = await fresh().open();
  const metas = [
    { actionId: 'a1', correlationId: 'c1', commandKind: 'location.add' },
    { actionId: 'a1', correlationId: 'c1', commandKind: 'location.add' },
    {},
    { actionId: 'a2', causationId: 'a1' },
  ];
  for (const [i, meta] of metas.entries()) {
    const seen = { eventId: uuidv7(), type: 'FileSeen', data: { path: `/${i}`, size: i, mtime: 0 } };
    store.appendSync(`s-${i % 2}`, [noted(`${i}.1`), seen, noted(`${i}.3`)], { meta });
  }
  const all = (await store.readAll()).map(withoutChain);
  assert.equal(all.map((e) => e.meta), metas.flatMap((m) => [m, m, m]));
  assert.equal(all.map((e) => e.type).slice(0, 4), ['Noted', 'FileSeen', 'Noted', 'Noted']);
  assert.equal(all.map((e) => e.streamId).slice(2, 4), ['s-0', 's-1']);
  for (const size of [1, 2, 3, 5, 100]) {
    assert.equal([...store.batches(1, size)].flat(), all, `batch size ${size}`);
    assert.equal([...store.batches(4, size)].flat(), all.slice(3), `batch size ${size} from 4`);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Concurrency

test('of two writers that read the same version, the second loses with WrongExpectedVersion', async () => {
  const log = fresh();
  const a = await log.open();
  const b = await log.open();
  a.store.appendSync('s', [noted('first')]);
  const seenByA = await a.store.streamVersion('s');
  const seenByB = await b.store.streamVersion('s');
  assert.is(seenByA, 1);
  assert.is(seenByB, 1);
  const won = a.store.appendSync('s', [noted('a1'), noted('a2')], { expectedVersion: seenByA });
  assert.is(won.nextExpectedVersion, 3);
  const lost = noted('b1');
  const err = expectWrongVersion(() => b.store.appendSync('s', [lost], { expectedVersion: seenByB }));
  assert.is(err.actual, 3);
  assert.equal((await b.store.readStream('s')).map((e) => e.data), [{ text: 'first' }, { text: 'a1' }, { text: 'a2' }]);
  // the loser reloads and retries; both writers share one chain whose seqs stay contiguous
  b.store.appendSync('s', [lost], { expectedVersion: await b.store.streamVersion('s') });
  const all = await a.store.readAll();
  assert.equal(all.map((e) => e.origin.seq), [1, 2, 3, 4]);
  assert.equal(all.map((e) => e.streamVersion), [1, 2, 3, 4]);
  assert.ok(all.every((e, i) => i === 0 || e.hlc > all[i - 1].hlc), 'hlc increases across writers');
  assert.ok((await a.store.verifyChains()).ok);
  assert.ok((await b.store.verifyChains()).ok);
});

// ---------------------------------------------------------------------------------------------------------------
// Hash chain

async function chainedLog() {
  const log = fresh();
  const { store } = await log.open();
  store.appendSync('s', [noted('one'), noted('two'), noted('three')], { meta: { actionId: 'x' } });
  store.appendSync('t', [noted('four'), noted('five')]);
  const report = await store.verifyChains();
  assert.equal(report, { ok: true, checked: 5, chains: 1, breaks: [] });
  return { log, store, raw: log.raw() };
}

test('the hash chain detects an edited payload at its position', async () => {
  const { store, raw } = await chainedLog();
  raw.prepare('UPDATE events SET data = ? WHERE position = 2').run(encode({ text: 'TWO' }));
  const report = await store.verifyChains();
  assert.not.ok(report.ok);
  assert.is(report.checked, 5);
  assert.equal(report.breaks.map((b) => [b.position, b.seq, b.device, b.epoch]), [[2, 2, 'device-a', 1]]);
  assert.match(report.breaks[0].reason, /edited/);
});

test('the hash chain detects edits to the meta, the clock, the stream and the type', async () => {
  for (const [column, value] of [
    ['meta', encode({ actionId: 'y' })],
    ['hlc', '2000-01-01T00:00:00.000Z-000000'],
    ['stream_id', 't'],
    ['type', 'Forged'],
  ] as const) {
    const { store, raw } = await chainedLog();
    raw.prepare(`UPDATE events SET ${column} = ? WHERE position = 3`).run(value);
    const report = await store.verifyChains();
    assert.equal(report.breaks.map((b) => b.position), [3], column);
  }
});

test('an edit that recomputes its own hash breaks the link to the next event', async () => {
  const { store, raw } = await chainedLog();
  const [e2] = await store.readAll({ fromPosition: 2, limit: 1 });
  const data = encode({ text: 'TWO' });
  const forged = (await HashChain.create()).hash(Buffer.from(e2.prevHash, 'hex'), {
    eventId: e2.eventId,
    streamId: e2.streamId,
    type: e2.type,
    schemaVersion: e2.schemaVersion,
    device: e2.origin.device,
    epoch: e2.origin.epoch,
    seq: e2.origin.seq,
    hlc: e2.hlc,
    meta: encode(e2.meta),
    data,
  });
  raw.prepare('UPDATE events SET data = ?, hash = ? WHERE position = 2').run(data, forged);
  const report = await store.verifyChains();
  assert.equal(report.breaks.map((b) => b.position), [3]);
  assert.match(report.breaks[0].reason, /prevHash/);
});

test('the hash chain detects a deleted event as a gap, and a deleted last event at the head', async () => {
  {
    const { store, raw } = await chainedLog();
    raw.prepare('DELETE FROM events WHERE position = 3').run();
    const report = await store.verifyChains();
    assert.not.ok(report.ok);
    assert.is(report.checked, 4);
    assert.ok(report.breaks.some((b) => b.position === 4 && /sequence gap/.test(b.reason)), JSON.stringify(report.breaks));
  }
  {
    const { store, raw } = await chainedLog();
    raw.prepare('DELETE FROM events WHERE position = 5').run();
    const report = await store.verifyChains();
    assert.not.ok(report.ok);
    assert.equal(report.breaks.map((b) => [b.position, b.seq]), [[0, 5]]);
    assert.match(report.breaks[0].reason, /head/);
  }
});

test('a payload that is not exactly one msgpack value fails a replay rather than shift payloads to other events', async () => {
  const { store, raw } = await chainedLog();
  // two values in one row and none in the next: as many values as rows, each one row off
  raw.prepare('UPDATE events SET data = ? WHERE position = 2').run(Buffer.concat([encode({ text: 'two' }), encode({ text: 'three' })]));
  raw.prepare("UPDATE events SET data = x'' WHERE position = 3").run();
  try {
    [...store.batches()];
    assert.unreachable('replayed a corrupt log');
  } catch (err) {
    assert.ok(err instanceof DomainError && err.code === 'CORRUPT_LOG' && /position 2\b/.test(err.message), String(err));
  }
  assert.equal([...store.batches(4)].flat().map((e) => e.data), [{ text: 'four' }, { text: 'five' }]);
  assert.equal((await store.verifyChains()).breaks.map((b) => b.position), [2, 3]);
});

test('each prevHash is the hash before it, starting from zeros', async () => {
  const { store } = await chainedLog();
  const all = await store.readAll();
  assert.is(all[0].prevHash, '0'.repeat(64));
  for (let i = 1; i < all.length; i++) assert.is(all[i].prevHash, all[i - 1].hash);
  assert.ok(all.every((e) => /^[0-9a-f]{64}$/.test(e.hash)));
  assert.is(new Set(all.map((e) => e.hash)).size, all.length);
});

// ---------------------------------------------------------------------------------------------------------------
// Clock

test('the HLC stays monotonic when the wall clock goes back, across appends and reopening', async () => {
  const log = fresh();
  let clock = Date.UTC(2026, 10, 21, 12, 0, 0);
  const now = () => clock;
  let { db, store } = await log.open({ now });
  const hlcs: string[] = [];
  const append = (n: number) => {
    store.appendSync('s', Array.from({ length: n }, (_, i) => noted(String(i))));
  };
  append(3);
  clock -= 60_000; // the clock goes back a minute
  append(2);
  clock += 30_000; // still behind the last value issued
  append(1);
  db.close();
  clock -= 3_600_000;
  ({ db, store } = await log.open({ now }));
  append(2);
  clock = Date.UTC(2026, 10, 21, 13, 0, 0); // ahead again: the wall time is taken, the counter restarts
  append(1);
  for (const e of await store.readAll()) hlcs.push(e.hlc);
  assert.is(hlcs.length, 9);
  for (let i = 1; i < hlcs.length; i++) assert.ok(hlcs[i] > hlcs[i - 1], `${hlcs[i]} > ${hlcs[i - 1]}`);
  assert.ok(hlcs.every((h) => h.length === 31));
  assert.is(hlcs[0], '2026-11-21T12:00:00.000Z-000000');
  assert.is(hlcs[7], '2026-11-21T12:00:00.000Z-000007');
  assert.is(hlcs[8], '2026-11-21T13:00:00.000Z-000000');
  assert.equal(parseHlc(hlcs[5]), { wall: Date.UTC(2026, 10, 21, 12, 0, 0), counter: 5 });
});

test('the HLC rolls over to the next millisecond rather than overflow its counter', async () => {
  const log = fresh();
  const wall = Date.UTC(2026, 0, 1);
  const { store, raw } = { ...(await log.open({ now: () => wall })), raw: log.raw() };
  store.appendSync('s', [noted('a')]);
  raw.prepare('UPDATE local_writer SET last_hlc = ?').run('2026-01-01T00:00:00.000Z-fffffe');
  store.appendSync('s', [noted('b'), noted('c'), noted('d')]);
  assert.equal((await store.readAll({ fromPosition: 2 })).map((e) => e.hlc), [
    '2026-01-01T00:00:00.000Z-ffffff',
    '2026-01-01T00:00:00.001Z-000000',
    '2026-01-01T00:00:00.001Z-000001',
  ]);
});

// ---------------------------------------------------------------------------------------------------------------
// Envelope

test('every envelope field is stored and read back', async () => {
  const log = fresh();
  const { store } = await log.open({ device: 'device-a' });
  const meta = { actionId: uuidv7(), correlationId: uuidv7(), causationId: uuidv7(), commandKind: 'location.add' };
  const payload = {
    path: '/Users/zoë/写真/🎞️ film/naïve café.mov',
    size: 2 ** 53 - 1,
    ratio: -0.125,
    flags: [true, false, null],
    nested: { deep: { deeper: { list: [{ a: 1 }, { b: 'ü' }], empty: {}, none: [] } } },
    blank: '',
  };
  const events: NewEvent[] = [
    { eventId: uuidv7(), type: 'FileSeen', data: payload },
    { eventId: uuidv7(), type: 'Noted', data: { text: 'x' }, schemaVersion: 1 },
    { eventId: uuidv7(), type: 'Unregistered', data: 'plain string' },
  ];
  store.appendSync('location-1', events, { meta });
  store.appendSync('job-1', [noted('y')], { meta: {} });
  store.appendSync('job-1', [noted('z')]);
  const all = await store.readAll();
  assert.equal(all.map((e) => e.eventId), [...events.map((e) => e.eventId), all[3].eventId, all[4].eventId]);
  assert.equal(all.map((e) => e.type), ['FileSeen', 'Noted', 'Unregistered', 'Noted', 'Noted']);
  assert.equal(all.map((e) => e.schemaVersion), [1, 1, 1, 1, 1]);
  assert.equal(all.map((e) => e.streamId), ['location-1', 'location-1', 'location-1', 'job-1', 'job-1']);
  assert.equal(all.map((e) => e.streamVersion), [1, 2, 3, 1, 2]);
  assert.equal(all.map((e) => e.origin), [1, 2, 3, 4, 5].map((seq) => ({ device: 'device-a', epoch: 1, seq })));
  assert.equal(all.map((e) => e.meta), [meta, meta, meta, {}, {}]);
  assert.equal(all[0].data, payload);
  assert.is(all[2].data, 'plain string');
  assert.equal(store.localOrigin, { device: 'device-a', epoch: 1 });
  assert.equal([...store.batches()].flat(), all.map(withoutChain));
});

test('origin seqs continue across reopening; another device on the same database gets its own chain', async () => {
  const log = fresh();
  let { db, store } = await log.open({ device: 'device-a' });
  store.appendSync('s', [noted('1'), noted('2')]);
  db.close();
  ({ db, store } = await log.open({ device: 'device-a' }));
  store.appendSync('s', [noted('3')]);
  db.close();
  ({ db, store } = await log.open({ device: 'device-b' }));
  assert.equal(store.localOrigin, { device: 'device-b', epoch: 1 });
  store.appendSync('s', [noted('4'), noted('5')]);
  const all = await store.readAll();
  assert.equal(all.map((e) => [e.origin.device, e.origin.epoch, e.origin.seq]), [
    ['device-a', 1, 1],
    ['device-a', 1, 2],
    ['device-a', 1, 3],
    ['device-b', 1, 1],
    ['device-b', 1, 2],
  ]);
  assert.is(all[3].prevHash, '0'.repeat(64));
  const report = await store.verifyChains();
  assert.equal([report.ok, report.checked, report.chains], [true, 5, 2]);
});

test('old schema versions are upcast on every read; the stored bytes keep their version', async () => {
  const log = fresh();
  const { store } = await log.open();
  store.appendSync('tags', [
    { eventId: uuidv7(), type: 'Tagged', schemaVersion: 1, data: { name: 'holiday' } },
    { eventId: uuidv7(), type: 'Tagged', schemaVersion: 2, data: { tag: 'work', colour: 'blue' } },
    { eventId: uuidv7(), type: 'Tagged', data: { tag: 'home', color: 'red' } },
  ]);
  const expected = [
    { schemaVersion: 3, data: { tag: 'holiday', color: 'none' } },
    { schemaVersion: 3, data: { tag: 'work', color: 'blue' } },
    { schemaVersion: 3, data: { tag: 'home', color: 'red' } },
  ];
  const pick = (events: readonly StoredEvent[]) => events.map(({ schemaVersion, data }) => ({ schemaVersion, data }));
  assert.equal(pick(await store.readStream('tags')), expected);
  assert.equal(pick(await store.readAll()), expected);
  assert.equal(pick([...store.batches()].flat()), expected);
  assert.equal(log.raw().prepare('SELECT schema_version FROM events ORDER BY position').pluck().all(), [1, 2, 3]);
  assert.ok((await store.verifyChains()).ok);
});

test('an event whose stored version cannot be upcast is refused at append, so the log stays readable', async () => {
  const log = fresh();
  const { store } = await log.open();
  store.appendSync('tags', [noted('before')]);
  try {
    store.appendSync('tags', [noted('with it'), { eventId: uuidv7(), type: 'Tagged', schemaVersion: 0, data: {} }]);
    assert.unreachable('appended an event no read can upcast');
  } catch (err) {
    assert.ok(err instanceof DomainError && err.code === 'NO_UPCASTER', String(err));
  }
  assert.is(store.headPositionSync(), 1);
  assert.is((await store.readAll()).length, 1);
});

test('a stored version without an upcaster fails to read with a clear error', async () => {
  const log = fresh();
  const { store } = await log.open();
  store.appendSync('tags', [{ eventId: uuidv7(), type: 'Tagged', data: { tag: 'a', color: 'b' } }]);
  log.raw().prepare('UPDATE events SET schema_version = 0').run();
  for (const read of [() => store.readAll(), async () => [...store.batches()]]) {
    try {
      await read();
      assert.unreachable('read an event it cannot upcast');
    } catch (err) {
      assert.ok(err instanceof DomainError && err.code === 'NO_UPCASTER', String(err));
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Subscriptions and inline handlers

test('subscribers receive the appended events after the commit, never for a failed append', async () => {
  const log = fresh();
  const { store } = await log.open();
  const other = log.raw();
  const received: RecordedEvent[][] = [];
  const committedWhenNotified: number[] = [];
  const unsubscribe = store.subscribe((events) => {
    received.push([...events]);
    committedWhenNotified.push(other.prepare('SELECT COUNT(*) FROM events').pluck().get() as number);
  });
  store.appendSync('s', [noted('a'), noted('b')], { meta: { actionId: 'act' } });
  assert.is(received.length, 1);
  assert.equal(received[0], await store.readAll());
  assert.equal(committedWhenNotified, [2]);

  expectWrongVersion(() => store.appendSync('s', [noted('c')], { expectedVersion: 'no_stream' }));
  store.setInlineHandler(() => {
    throw new Error('projection failed');
  });
  assert.throws(() => store.appendSync('s', [noted('d')]), /projection failed/);
  store.setInlineHandler(null);
  assert.is(received.length, 1);

  unsubscribe();
  store.appendSync('s', [noted('e')]);
  assert.is(received.length, 1);
});

test('a failing subscriber neither fails the committed append nor silences the others', async () => {
  const log = fresh();
  const { store } = await log.open();
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    const heard: string[] = [];
    store.subscribe(() => {
      throw new Error('boom');
    });
    store.subscribe((events) => heard.push(...events.map((e) => e.type)));
    const result = store.appendSync('s', [noted('a')]);
    assert.is(result.appended, 1);
    assert.equal(heard, ['Noted']);
    assert.is((await store.readAll()).length, 1);
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.ok(warnings.some((m) => m.includes('boom')), JSON.stringify(warnings));
  } finally {
    process.off('warning', onWarning);
  }
});

test('subscribers see events as they are read: upcast to the current schema version', async () => {
  const { store } = await fresh().open();
  const received: RecordedEvent[] = [];
  store.subscribe((events) => received.push(...events));
  store.setInlineHandler((events) => received.push(...events));
  store.appendSync('tags', [{ eventId: uuidv7(), type: 'Tagged', schemaVersion: 1, data: { name: 'old' } }]);
  const [read] = await store.readAll();
  assert.equal(received, [read, read]);
  assert.equal(read.data, { tag: 'old', color: 'none' });
});

test('subscribers see payloads as a replay will: msgpack round trip, undefined read as null', async () => {
  const { store } = await fresh().open();
  const received: RecordedEvent[] = [];
  store.setInlineHandler((events) => received.push(...events));
  store.appendSync('s', [{ eventId: uuidv7(), type: 'Noted', data: { text: 'x', description: undefined } }]);
  const [read] = await store.readAll();
  assert.equal(read.data, { text: 'x', description: null });
  assert.equal(received, [read]);
});

test('the inline handler runs inside the append transaction; if it throws, nothing is appended', async () => {
  const log = fresh();
  const { db, store } = await log.open();
  const other = log.raw();
  db.exec('CREATE TABLE folded (event_id TEXT PRIMARY KEY, stream_id TEXT)');
  const fold = db.prepare('INSERT INTO folded (event_id, stream_id) VALUES (?, ?)');
  let seenInside: { inTransaction: boolean; ownCount: number; otherCount: number } | undefined;
  let fail = false;
  store.setInlineHandler((events) => {
    for (const e of events) fold.run(e.eventId, e.streamId);
    seenInside = {
      inTransaction: db.inTransaction,
      ownCount: db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number,
      otherCount: other.prepare('SELECT COUNT(*) FROM events').pluck().get() as number,
    };
    if (fail) throw new Error('read model constraint failed');
  });
  store.appendSync('s', [noted('a'), noted('b')]);
  assert.equal(seenInside, { inTransaction: true, ownCount: 2, otherCount: 0 });
  assert.is(other.prepare('SELECT COUNT(*) FROM folded').pluck().get(), 2);

  const chainBefore = other.prepare('SELECT seq, hash FROM chains').get();
  const hlcBefore = other.prepare('SELECT last_hlc FROM local_writer').pluck().get();
  fail = true;
  const rejected = [noted('c'), noted('d')];
  assert.throws(() => store.appendSync('s', rejected, { expectedVersion: 2 }), /read model constraint failed/);
  assert.is(store.headPositionSync(), 2);
  assert.is(await store.streamVersion('s'), 2);
  assert.is(other.prepare('SELECT COUNT(*) FROM folded').pluck().get(), 2);
  assert.equal(other.prepare('SELECT seq, hash FROM chains').get(), chainBefore);
  assert.is(other.prepare('SELECT last_hlc FROM local_writer').pluck().get(), hlcBefore);

  fail = false;
  assert.is(store.appendSync('s', rejected, { expectedVersion: 2 }).appended, 2);
  assert.is(other.prepare('SELECT COUNT(*) FROM folded').pluck().get(), 4);
  assert.ok((await store.verifyChains()).ok);
});

test('a unique constraint failing in the inline handler fails the append; it is not taken for a duplicate event id', async () => {
  const log = fresh();
  const { db, store } = await log.open();
  db.exec('CREATE TABLE names (name TEXT PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO names (name) VALUES (?)');
  store.setInlineHandler((events) => {
    for (const e of events) insert.run((e.data as { text: string }).text);
  });
  store.appendSync('s', [noted('a')]);
  const batch = [noted('b'), noted('a')];
  assert.throws(() => store.appendSync('s', batch), /UNIQUE constraint failed: names.name/);
  assert.is(store.headPositionSync(), 1);
  assert.equal(db.prepare('SELECT name FROM names').pluck().all(), ['a']);
});

test('the store refuses a UTF-16 database, whose text functions would transcode stored payloads', async () => {
  const log = fresh();
  const utf16 = new Database(log.file);
  utf16.pragma("encoding = 'UTF-16le'");
  utf16.exec('CREATE TABLE fixes_the_encoding (x)');
  utf16.close();
  try {
    await log.open();
    assert.unreachable('opened a UTF-16 log');
  } catch (err) {
    assert.ok(err instanceof DomainError && err.code === 'UNSUPPORTED_DATABASE', String(err));
  }
});

test('a store reopened on a database written by another store verifies its chains', async () => {
  const log = fresh();
  const first = await log.open();
  first.store.appendSync('s', [noted('a')]);
  const second = await log.open({ device: 'device-b' });
  second.store.appendSync('s', [noted('b')]);
  // `first` has never seen device-b's chain: verifying and reading must look it up
  const report = await first.store.verifyChains();
  assert.equal([report.ok, report.chains], [true, 2]);
  assert.equal((await first.store.readAll()).map((e) => e.origin.device), ['device-a', 'device-b']);
});

test.run();
