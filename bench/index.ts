// Indexing throughput on the reference synthetic tree (../shared/tools/gen-tree.mjs: 100k files, 5k dirs, 15%
// duplicate contents). Prints files/s for shallow and content indexing, for a no-change rescan, and peak RSS.
// Run with `npm run bench:index`; never part of `npm test`. Targets on a 2-core machine: shallow ≥ 50,000 files/s,
// content ≥ 25,000 files/s, no-change rescan ≥ 100,000 files/s, peak RSS ≤ 300 MB.
// Wall time swings with whatever else runs on the machine; the CPU time per file of each thread (main, walk and hashing
// threads, the rest: garbage collection and libuv) swings far less, and shows where the time goes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../src/infra/container.js';
import { ContentIdentifier } from '../src/infra/filesystem/content-identifier.js';
import type { IndexMode } from '../src/domain/location/events.js';
import { sharedPath } from '../test/support/shared.js';

const FILES = process.env.BENCH_FILES ?? '100000';
const DIRS = process.env.BENCH_DIRS ?? '5000';
const tree = path.join(os.tmpdir(), `sd-bench-tree-${FILES}-${DIRS}`);

const gen = spawnSync(process.execPath, [sharedPath('tools/gen-tree.mjs'), tree, FILES, DIRS, '15'], { stdio: 'inherit' });
if (gen.status !== 0) throw new Error('gen-tree failed');

/**
 * Reads the whole tree once, untimed, so every run finds it in the page cache as gen-tree leaves it when it writes
 * it: the figures are the indexer's, not the disk's. A tree cached from an earlier run may have been evicted since
 * (this machine reclaims idle pages): the first run after that measured content indexing at 5.8k files/s, the next
 * ones at 25k–29k.
 */
function warmUp(dir: string): number {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) bytes += warmUp(p);
    else if (e.isFile()) bytes += readFileSync(p).length;
  }
  return bytes;
}

/** CPU time of each thread of this process, in µs (Linux: /proc/self/task/<tid>/schedstat). */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      out.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'latin1').split(' ')[0]) / 1000);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

await stat('/'); // starts libuv's thread pool, so that every thread that exists now is the runtime's
const runtimeThreads = new Set(threadCpu().keys());

interface CpuPerFile {
  main: number;
  /** The library's own threads: the walk thread (a scan that stats its entries) and the hashing threads. */
  threads: number;
  other: number;
}

/**
 * CPU µs per file between two samples: the main thread, the runtime's threads (GC, libuv), and the rest of the
 * process's CPU time: threads started since (walk, hashing), counted even when they ended before the second sample
 * (hashing threads end with their job).
 */
function cpuPerFile(before: Sample, after: Sample, files: number): CpuPerFile {
  let main = 0;
  let other = 0;
  for (const [tid, us] of after.threads) {
    const spent = us - (before.threads.get(tid) ?? 0);
    if (tid === process.pid) main += spent;
    else if (runtimeThreads.has(tid)) other += spent;
  }
  const total = after.process.user + after.process.system - before.process.user - before.process.system;
  return { main: main / files, threads: (total - main - other) / files, other: other / files };
}

interface Sample {
  threads: Map<number, number>;
  process: NodeJS.CpuUsage;
}

const sample = (): Sample => ({ threads: threadCpu(), process: process.cpuUsage() });

async function indexRun(mode: IndexMode): Promise<{ filesPerSec: number; rescanPerSec: number; files: number; dirs: number; cpu: CpuPerFile }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-data-'));
  const core = await openCore({ dataDir });
  try {
    const library = await core.libraries.open();
    const cpu0 = sample();
    let t0 = performance.now();
    const { location, job } = await library.locations.add({ path: tree, mode });
    const record = await job.done;
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = sample();
    if (record.status !== 'completed') throw new Error(`index job ${record.status}: ${JSON.stringify(record.failure)}`);
    const l = library.locations.byId(location.id)!;
    t0 = performance.now();
    const again = await (await library.locations.index(l, {})).done;
    const rescanSeconds = (performance.now() - t0) / 1000;
    if (again.output?.added !== 0 || again.output?.modified !== 0) throw new Error(`the no-change rescan recorded changes: ${JSON.stringify(again.output)}`);
    return { filesPerSec: l.files / seconds, rescanPerSec: l.files / rescanSeconds, files: l.files, dirs: l.directories, cpu: cpuPerFile(cpu0, cpu1, l.files) };
  } finally {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * How fast this machine is right now, on the work that dominates content indexing: one thread opening, reading,
 * hashing (BLAKE3 in WebAssembly) and typing the tree's first 20,000 files, in CPU µs per file. This machine's speed
 * swings by half between hours (neighbours on the host); the same figure in two runs says they ran on the same machine.
 */
async function referenceWork(dir: string): Promise<number> {
  const files: string[] = [];
  const collect = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (files.length >= 20_000) return;
      if (e.isDirectory()) collect(path.join(d, e.name));
      else if (e.isFile()) files.push(path.join(d, e.name));
    }
  };
  collect(dir);
  const identifier = await ContentIdentifier.create();
  const c0 = process.cpuUsage();
  for (const f of files) identifier.identify(f, path.basename(f), false);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / files.length;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const cpuLine = (c: CpuPerFile) => `CPU µs/file: main ${c.main.toFixed(1)}, walk and hashing threads ${c.threads.toFixed(1)}, other ${c.other.toFixed(1)}`;
const warm0 = performance.now();
const warmed = warmUp(tree);
console.log(`load average: ${os.loadavg()[0].toFixed(2)} (${os.availableParallelism()} cores); tree read once first (${fmt(warmed / 2 ** 20)} MiB in ${((performance.now() - warm0) / 1000).toFixed(1)} s)`);
console.log(`reference work (one thread: open, read, BLAKE3, type; the tree's first 20,000 files): ${(await referenceWork(tree)).toFixed(1)} CPU µs/file`);
const shallow = await indexRun('shallow');
console.log(`tree: ${shallow.files} files, ${shallow.dirs} directories (${tree})`);
console.log(`shallow index:      ${fmt(shallow.filesPerSec)} files/s   (target ≥ 50,000)   ${cpuLine(shallow.cpu)}`);
console.log(`no-change rescan:   ${fmt(shallow.rescanPerSec)} files/s   (target ≥ 100,000)`);
const content = await indexRun('content');
console.log(`content index:      ${fmt(content.filesPerSec)} files/s   (target ≥ 25,000)   ${cpuLine(content.cpu)}`);
console.log(`peak RSS:           ${fmt(process.resourceUsage().maxRSS / 1024)} MiB   (target ≤ 300 MB)`);
