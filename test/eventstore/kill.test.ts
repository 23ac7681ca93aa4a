// A process killed (SIGKILL) in the middle of a large append leaves each batch whole or absent, and a log that
// verifies and takes new appends.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { noted, tempLog } from './temp-log.js';

const BATCH = 50_000;
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'append-batches.js');

interface Run {
  /** The last batch the child reported committed. */
  committed: number;
  /** Whether the kill landed between `appending n` and `committed n`, inside the append transaction. */
  midAppend: boolean;
  signal: NodeJS.Signals | null;
}

/** Runs the child until it starts its third batch, then kills it part way through that append. */
function appendAndKill(file: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, file, String(BATCH)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    const started = new Map<number, number>();
    let appendMs = 0;
    let signal: NodeJS.Signals | null = null;
    const guard = setTimeout(() => proc.kill('SIGKILL'), 12_000);
    createInterface({ input: proc.stdout }).on('line', (line) => {
      lines.push(line);
      const [word, n] = line.split(' ');
      if (word === 'appending') started.set(Number(n), performance.now());
      if (word === 'committed' && n === '2') appendMs = performance.now() - started.get(2)!;
      if (word === 'appending' && n === '3') {
        // somewhere in the first 60% of the time an append takes: inside the transaction, not after it
        setTimeout(() => proc.kill('SIGKILL'), Math.random() * appendMs * 0.6);
      }
    });
    proc.on('error', reject);
    proc.on('exit', (_code, s) => {
      signal = s;
    });
    proc.on('close', () => {
      clearTimeout(guard);
      const committed = Math.max(0, ...lines.filter((l) => l.startsWith('committed')).map((l) => Number(l.split(' ')[1])));
      resolve({ committed, midAppend: lines.includes('appending 3') && committed === 2, signal });
    });
  });
}

test('SIGKILL in the middle of a 50,000-event append leaves whole batches, a valid chain and a working log', async () => {
  let landedMidAppend = false;
  // A kill that happens to land after the third commit proves less: try again, a few times at most.
  for (let attempt = 0; attempt < 3 && !landedMidAppend; attempt++) {
    const log = tempLog();
    try {
      const run = await appendAndKill(log.file);
      assert.is(run.signal, 'SIGKILL');
      assert.ok(run.committed >= 2, `the child committed ${run.committed} batches before it was killed`);
      landedMidAppend = run.midAppend;

      const raw = log.raw();
      assert.is(raw.pragma('integrity_check', { simple: true }), 'ok');
      const count = raw.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
      assert.is(count % BATCH, 0, `${count} events is not a whole number of batches`);
      assert.ok(count >= 2 * BATCH, `${count} events`);
      // every batch reported committed is there; at most the one being appended when killed may also be
      assert.ok(count === run.committed * BATCH || count === (run.committed + 1) * BATCH, `${count} events`);
      if (run.midAppend) assert.is(count, 2 * BATCH);

      const { store } = await log.open({ device: 'killed-device' });
      const report = await store.verifyChains();
      assert.ok(report.ok, JSON.stringify(report.breaks.slice(0, 3)));
      assert.is(report.checked, count);
      assert.is(store.headPositionSync(), count);
      let versions = 0;
      for (const stream of ['location-0', 'location-1', 'location-2']) versions += await store.streamVersion(stream);
      assert.is(versions, count);

      const version = await store.streamVersion('location-1');
      const result = store.appendSync('location-1', [noted('after the crash')], { expectedVersion: version });
      assert.equal(result, { nextExpectedVersion: version + 1, lastPosition: count + 1, appended: 1 });
      const [after] = await store.readAll({ fromPosition: count + 1 });
      assert.equal(after.origin, { device: 'killed-device', epoch: 1, seq: count + 1 });
      assert.ok((await store.verifyChains()).ok);
    } finally {
      log.cleanup();
    }
  }
  assert.ok(landedMidAppend, 'no kill landed inside an append transaction');
});

test.run();
