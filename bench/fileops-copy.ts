// Copy throughput against `cp -a`, in the same run, on the same warm sources: one 1 GiB file and 10,000 small files
// (1–8 KiB in 100 folders). Ours runs as a job (`library.files.transfer`, --preserve-timestamps like cp -a) with the
// default durability (temporary name + rename, no fsync, like cp); BENCH_SYNC=1 times `--sync` instead (every file
// and folder fsynced before it is recorded), for which `cp -a; sync -f` is the fair comparison, printed as well.
// Prints the median and range of BENCH_ROUNDS rounds (default 3). Targets: ratio ≥ 0.8 large, ≥ 0.5 small.
// Run with `npm run bench:fileops:copy`; never part of `npm test`.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../src/infra/container.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SYNC = process.env.BENCH_SYNC === '1';
const LARGE_MIB = Number(process.env.BENCH_LARGE_MIB ?? 1024);
const SMALL_FILES = Number(process.env.BENCH_SMALL_FILES ?? 10_000);
const root = path.join(os.tmpdir(), 'sd-bench-fileops');
const large = path.join(root, `large-${LARGE_MIB}`);
const small = path.join(root, `small-${SMALL_FILES}`);

function prepare(): void {
  const big = path.join(large, 'big.bin');
  if (!existsSync(big) || statSync(big).size !== LARGE_MIB << 20) {
    mkdirSync(large, { recursive: true });
    const block = randomBytes(1 << 20);
    const fd = openSync(big, 'w');
    for (let i = 0; i < LARGE_MIB; i++) {
      block.writeUInt32LE(i, 0);
      writeSync(fd, block);
    }
    closeSync(fd);
  }
  if (!existsSync(path.join(small, 'done'))) {
    rmSync(small, { recursive: true, force: true });
    const perDir = Math.ceil(SMALL_FILES / 100);
    for (let f = 0; f < SMALL_FILES; f++) {
      const dir = path.join(small, `dir-${Math.floor(f / perDir)}`);
      if (f % perDir === 0) mkdirSync(dir, { recursive: true });
      const fd = openSync(path.join(dir, `file-${f}.dat`), 'w');
      writeSync(fd, randomBytes(1024 + ((f * 7919) % 7168)));
      closeSync(fd);
    }
    closeSync(openSync(path.join(small, 'done'), 'w'));
  }
  // warm: both sides read from the page cache
  execFileSync('sh', ['-c', `cat ${large}/big.bin > /dev/null; find ${small} -type f -exec cat {} + > /dev/null`]);
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

function timeCp(source: string, dest: string, sync: boolean): number {
  rmSync(dest, { recursive: true, force: true });
  execFileSync('sync');
  const t0 = performance.now();
  execFileSync('cp', ['-a', source, dest]);
  if (sync) execFileSync('sync', ['-f', dest]);
  const s = seconds(t0);
  rmSync(dest, { recursive: true, force: true });
  return s;
}

async function timeOurs(source: string, dest: string): Promise<number> {
  rmSync(dest, { recursive: true, force: true });
  execFileSync('sync');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-data-'));
  const core = await openCore({ dataDir });
  try {
    const library = await core.libraries.open();
    const t0 = performance.now();
    const { job } = await library.files.transfer({ action: 'copy', sources: [source], destination: dest, overwrite: 'error', verify: false, preserveTimestamps: true, sync: SYNC });
    const record = await job.done;
    const s = seconds(t0);
    if (record.status !== 'completed' || Number(record.output?.failed) > 0) throw new Error(`copy job ${record.status}: ${JSON.stringify(record.output ?? record.failure)}`);
    return s;
  } finally {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dest, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

async function compare(label: string, source: string, bytes: number, files: number, target: number): Promise<void> {
  const cp: number[] = [];
  const cpSync: number[] = [];
  const ours: number[] = [];
  const dest = path.join(root, 'dest');
  for (let r = 0; r < ROUNDS; r++) {
    // alternate who goes first, so neither always meets a cache the other just filled
    if (r % 2 === 0) {
      cp.push(timeCp(source, dest, false));
      ours.push(await timeOurs(source, dest));
    } else {
      ours.push(await timeOurs(source, dest));
      cp.push(timeCp(source, dest, false));
    }
    cpSync.push(timeCp(source, dest, true));
  }
  const ratios = cp.map((c, i) => c / ours[i]);
  const ratiosSync = cpSync.map((c, i) => c / ours[i]);
  const mbps = (s: number) => (bytes / s / 1e6).toFixed(0);
  console.log(`${label}: ${files} files, ${(bytes / 2 ** 20).toFixed(0)} MiB, ${ROUNDS} rounds`);
  console.log(`  cp -a:          ${median(cp).toFixed(2)} s (${range(cp)})  ${mbps(median(cp))} MB/s  ${(files / median(cp)).toFixed(0)} files/s`);
  console.log(`  cp -a; sync -f: ${median(cpSync).toFixed(2)} s (${range(cpSync)})`);
  console.log(`  spacedrive:     ${median(ours).toFixed(2)} s (${range(ours)})  ${mbps(median(ours))} MB/s  ${(files / median(ours)).toFixed(0)} files/s`);
  console.log(`  ratio to cp -a:          ${median(ratios).toFixed(2)} (${range(ratios)})   target ≥ ${target}`);
  console.log(`  ratio to cp -a; sync -f: ${median(ratiosSync).toFixed(2)} (${range(ratiosSync)})`);
}

prepare();
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${root}; ours ${SYNC ? 'with --sync' : 'default (no fsync)'}`);
await compare('large file', large, LARGE_MIB << 20, 1, 0.8);
await compare('small files', small, Number(execFileSync('du', ['-sb', small], { encoding: 'utf8' }).split('\t')[0]), SMALL_FILES, 0.5);
