// Indexing throughput on the reference synthetic tree (../shared/tools/gen-tree.mjs: 100k files, 5k dirs, 15%
// duplicate contents). Prints files/s for shallow and content indexing, for a no-change rescan, and peak RSS.
// Run with `npm run bench:index`; never part of `npm test`. Targets on a 2-core machine: shallow ≥ 50,000 files/s,
// content ≥ 25,000 files/s, no-change rescan ≥ 100,000 files/s, peak RSS ≤ 300 MB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../src/infra/container.js';
import type { IndexMode } from '../src/domain/location/events.js';
import { sharedPath } from '../test/support/shared.js';

const FILES = process.env.BENCH_FILES ?? '100000';
const DIRS = process.env.BENCH_DIRS ?? '5000';
const tree = path.join(os.tmpdir(), `sd-bench-tree-${FILES}-${DIRS}`);

const gen = spawnSync(process.execPath, [sharedPath('tools/gen-tree.mjs'), tree, FILES, DIRS, '15'], { stdio: 'inherit' });
if (gen.status !== 0) throw new Error('gen-tree failed');

async function indexRun(mode: IndexMode): Promise<{ filesPerSec: number; rescanPerSec: number; files: number; dirs: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-data-'));
  const core = await openCore({ dataDir });
  try {
    const library = await core.libraries.open();
    let t0 = performance.now();
    const { location, job } = await library.locations.add({ path: tree, mode });
    const record = await job.done;
    const seconds = (performance.now() - t0) / 1000;
    if (record.status !== 'completed') throw new Error(`index job ${record.status}: ${JSON.stringify(record.failure)}`);
    const l = library.locations.byId(location.id)!;
    t0 = performance.now();
    const again = await (await library.locations.index(l, {})).done;
    const rescanSeconds = (performance.now() - t0) / 1000;
    if (again.output?.added !== 0 || again.output?.modified !== 0) throw new Error(`the no-change rescan recorded changes: ${JSON.stringify(again.output)}`);
    return { filesPerSec: l.files / seconds, rescanPerSec: l.files / rescanSeconds, files: l.files, dirs: l.directories };
  } finally {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const shallow = await indexRun('shallow');
console.log(`tree: ${shallow.files} files, ${shallow.dirs} directories (${tree})`);
console.log(`shallow index:      ${fmt(shallow.filesPerSec)} files/s   (target ≥ 50,000)`);
console.log(`no-change rescan:   ${fmt(shallow.rescanPerSec)} files/s   (target ≥ 100,000)`);
const content = await indexRun('content');
console.log(`content index:      ${fmt(content.filesPerSec)} files/s   (target ≥ 25,000)`);
console.log(`peak RSS:           ${fmt(process.resourceUsage().maxRSS / 1024)} MiB   (target ≤ 300 MB)`);
