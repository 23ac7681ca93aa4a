import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError } from '../../src/domain/errors.js';
import { MAX_DRIFT_MS, compareHlc, formatHlc, parseHlc, receiveHlc, tickHlc, type Hlc } from '../../src/domain/hlc.js';

const T = Date.UTC(2026, 10, 21, 6, 48, 0, 123);

test('tick: the first value is the wall time', () => {
  assert.equal(tickHlc(null, T), { wall: T, counter: 0 });
});

test('tick: a later wall time resets the counter', () => {
  assert.equal(tickHlc({ wall: T, counter: 7 }, T + 1), { wall: T + 1, counter: 0 });
});

test('tick: the same or an earlier wall time advances the counter, never the clock backwards', () => {
  assert.equal(tickHlc({ wall: T, counter: 7 }, T), { wall: T, counter: 8 });
  assert.equal(tickHlc({ wall: T, counter: 7 }, T - 60_000), { wall: T, counter: 8 });
});

test('tick: a full counter moves to the next millisecond', () => {
  assert.equal(tickHlc({ wall: T, counter: 0xffffff }, T), { wall: T + 1, counter: 0 });
});

test('tick: a thousand ticks on a frozen clock are strictly increasing', () => {
  let h: Hlc | null = null;
  const seen: string[] = [];
  for (let i = 0; i < 1000; i++) {
    h = tickHlc(h, T);
    seen.push(formatHlc(h));
  }
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1]);
});

test('receive: a remote clock ahead (within the drift limit) moves this clock past it', () => {
  const last = { wall: T, counter: 3 };
  const remote = { wall: T + 60_000, counter: 9 };
  const h = receiveHlc(last, remote, T);
  assert.equal(h, { wall: T + 60_000, counter: 10 });
  assert.ok(compareHlc(h, remote) > 0 && compareHlc(h, last) > 0);
});

test('receive: a remote clock behind this one still ticks past the local value', () => {
  assert.equal(receiveHlc({ wall: T, counter: 3 }, { wall: T - 5000, counter: 99 }, T), { wall: T, counter: 4 });
  assert.equal(receiveHlc(null, { wall: T - 5000, counter: 99 }, T), { wall: T, counter: 0 });
  assert.equal(receiveHlc({ wall: T, counter: 3 }, { wall: T - 5000, counter: 99 }, T + 10), { wall: T + 10, counter: 0 });
});

test('receive: the same wall time takes the larger counter', () => {
  assert.equal(receiveHlc({ wall: T, counter: 3 }, { wall: T, counter: 40 }, T), { wall: T, counter: 41 });
});

test('receive: a remote clock more than 5 minutes ahead is refused; exactly 5 minutes is accepted', () => {
  assert.is(MAX_DRIFT_MS, 5 * 60 * 1000);
  const last = { wall: T, counter: 0 };
  const refused = { wall: T + MAX_DRIFT_MS + 1, counter: 0 };
  try {
    receiveHlc(last, refused, T);
    assert.unreachable('accepted a clock beyond the drift limit');
  } catch (err) {
    assert.instance(err, DomainError);
    assert.is((err as DomainError).code, 'CLOCK_DRIFT');
  }
  assert.equal(receiveHlc(last, { wall: T + MAX_DRIFT_MS, counter: 2 }, T), { wall: T + MAX_DRIFT_MS, counter: 3 });
});

test('format: fixed width, ISO time and a 6-digit hex counter', () => {
  assert.is(formatHlc({ wall: T, counter: 42 }), '2026-11-21T06:48:00.123Z-00002a');
  assert.is(formatHlc({ wall: 0, counter: 0 }), '1970-01-01T00:00:00.000Z-000000');
  assert.is(formatHlc({ wall: T, counter: 0xffffff }).length, 31);
});

test('parse inverts format', () => {
  for (const h of [{ wall: T, counter: 0 }, { wall: T, counter: 0xabcdef }, { wall: 0, counter: 1 }]) {
    assert.equal(parseHlc(formatHlc(h)), h);
  }
});

test('formatted values sort as the clocks compare', () => {
  const values: Hlc[] = [];
  for (const wall of [0, 999, 1000, T - 1, T, T + 1, Date.UTC(2099, 0, 1)]) {
    for (const counter of [0, 1, 9, 10, 15, 16, 255, 256, 0xfffff, 0xffffff]) values.push({ wall, counter });
  }
  const byClock = [...values].sort(compareHlc).map(formatHlc);
  const byText = values.map(formatHlc).sort();
  assert.equal(byText, byClock);
});

test('parse refuses what is not a clock value', () => {
  for (const bad of [
    '',
    'garbage',
    '2026-11-21T06:48:00.123Z-00002', // counter too short
    '2026-11-21T06:48:00.123Z-00002g', // not hex
    '2026-11-21T06:48:00.123Z-+0002a',
    '2026-11-21T06:48:00.123+00-02a',
    '2026-13-21T06:48:00.123Z-00002a', // no 13th month
    'Sat, 21 Nov 2026 06:48:0-00002a',
  ]) {
    assert.throws(
      () => parseHlc(bad),
      (err: unknown) => err instanceof DomainError && err.code === 'INVALID_HLC',
      JSON.stringify(bad),
    );
  }
});

test.run();
