// Volume layer figures: how long detection (`volume list --all` without the CLI start-up) and `volumeOf` take, and a
// speed test of the temp directory's volume. Run with `npm run bench:volumes`; never part of `npm test`.
// BENCH_RUNS (default 5) repeats each figure: the median and the range are printed (the machine is shared).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createVolumeProbe } from '../src/infra/volumes/volume-probe.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SPEED_BYTES = Number(process.env.BENCH_SPEED_MIB ?? 256) * 1024 * 1024;
const probe = createVolumeProbe('01a1fce8-bf1a-77d4-a35b-c70454d7eb96');

function summary(values: number[], unit: string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(2)} ${unit} (range ${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}, ${values.length} runs)`;
}

async function timed(fn: () => Promise<unknown>, repeat: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / repeat;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-volumes-'));
try {
  const mounts = (await probe.detect()).length;
  const detect: number[] = [];
  const lookup: number[] = [];
  const write: number[] = [];
  const read: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    detect.push(await timed(() => probe.detect(), 20));
    lookup.push(await timed(() => probe.volumeOf(dir), 50));
    const volume = await probe.volumeOf(dir);
    const r = await probe.speedTest(volume, { bytes: SPEED_BYTES, dir });
    write.push(r.writeMBps);
    read.push(r.readMBps);
  }
  console.log(`detect (${mounts} mounts): ${summary(detect, 'ms')}`);
  console.log(`volumeOf(${dir}): ${summary(lookup, 'ms')}`);
  console.log(`speed test ${SPEED_BYTES / 1024 / 1024} MiB in ${dir}: write ${summary(write, 'MB/s')}; read ${summary(read, 'MB/s')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
