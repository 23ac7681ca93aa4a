// Duplicate detection on the reference synthetic tree (../shared/tools/gen-tree.mjs: 100k files, 5k dirs, 15%
// duplicate contents), timed against `fdupes -r` in the same run. Both run as processes, on a warm page cache
// (one untimed run of each first), alternately, BENCH_RUNS times; medians and ranges are printed. Target: ours
// ≤ 0.5 of fdupes' time. Run with `npm run bench:fileops:duplicates`; never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI } from '../test/support/cli.js';
import { asSortedSets, fdupesGroups } from '../test/support/fdupes.js';
import { sharedPath } from '../test/support/shared.js';

const FILES = process.env.BENCH_FILES ?? '100000';
const DIRS = process.env.BENCH_DIRS ?? '5000';
const RUNS = Number(process.env.BENCH_RUNS ?? '3');
const tree = path.join(os.tmpdir(), `sd-bench-tree-${FILES}-${DIRS}`);

const gen = spawnSync(process.execPath, [sharedPath('tools/gen-tree.mjs'), tree, FILES, DIRS, '15'], { stdio: 'inherit' });
if (gen.status !== 0) throw new Error('gen-tree failed');

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sd-bench-dupes-'));

/**
 * NODE_EXTRA_CA_CERTS makes Node read and parse that CA bundle as every process starts, before any script runs: on
 * this sandbox (which sets it to the system bundle for npm) that is ~80 ms a start, for a file of certificates the
 * command never uses (it makes no TLS connection). fdupes pays nothing like it; our runs leave it out, and say so.
 */
const ourEnv = { ...process.env };
delete ourEnv.NODE_EXTRA_CA_CERTS;

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { seconds: number; stdout: Buffer } {
  const t0 = performance.now();
  const r = spawnSync(command, args, { maxBuffer: 1024 * 1024 * 1024, env });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString()}`);
  return { seconds, stdout: r.stdout };
}

const fdupes = () => timed('fdupes', ['-r', '-q', tree]);
const ours = (...args: string[]) => () => timed(process.execPath, [CLI, 'file', 'duplicates', ...args, '--json', '--data-dir', dataDir], ourEnv);

/** Median start of a bare `node -e 0`, with the environment given, in ms. */
function nodeStart(env: NodeJS.ProcessEnv): number {
  const xs = Array.from({ length: 7 }, () => timed(process.execPath, ['-e', '0'], env).seconds * 1000).sort((a, b) => a - b);
  return xs[3];
}

interface Figures {
  median: number;
  min: number;
  max: number;
}
const stats = (xs: number[]): Figures => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (f: Figures) => `${f.median.toFixed(2)} s (${f.min.toFixed(2)}–${f.max.toFixed(2)})`;

/** Times `run` and fdupes alternately, after one untimed run of each. */
function compare(label: string, run: () => { seconds: number; stdout: Buffer }): void {
  fdupes();
  run();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(fdupes().seconds);
    b.push(run().seconds);
  }
  const fa = stats(a);
  const fb = stats(b);
  console.log(`${label.padEnd(40)} ours ${fmt(fb)}   fdupes -r ${fmt(fa)}   ratio ${(fb.median / fa.median).toFixed(2)}   (target ≤ 0.50)`);
}

try {
  const theirs = JSON.stringify(asSortedSets(fdupesGroups([tree])));
  const deep = JSON.parse(ours(tree, '--mode', 'deep')().stdout.toString()) as { groups: { paths: string[] }[]; totals: Record<string, number> };
  const same = JSON.stringify(asSortedSets(deep.groups.map((g) => g.paths))) === theirs;
  const content = JSON.parse(ours(tree, '--mode', 'content')().stdout.toString()) as { groups: { paths: string[] }[] };
  const sameContent = JSON.stringify(asSortedSets(content.groups.map((g) => g.paths))) === theirs;
  console.log(`tree: ${deep.totals.filesScanned} files (${tree}); ${deep.totals.groups} groups, ${deep.totals.duplicateFiles} duplicates`);
  console.log(`groups identical to fdupes -r: deep ${same ? 'yes' : 'NO'}, content (sampled casId) ${sameContent ? 'yes' : 'NO'}`);
  console.log(`runs: ${RUNS} timed of each after a warm-up; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
  if (process.env.NODE_EXTRA_CA_CERTS) {
    console.log(
      `NODE_EXTRA_CA_CERTS is set here: a bare node start takes ${nodeStart(process.env).toFixed(0)} ms with it, ${nodeStart(ourEnv).toFixed(0)} ms without; our runs are timed without it (they make no TLS connection)`,
    );
  }
  compare('deep, folder not indexed', ours(tree, '--mode', 'deep'));
  compare('content, folder not indexed', ours(tree, '--mode', 'content'));

  const add = spawnSync(process.execPath, [CLI, 'location', 'add', tree, '--mode', 'content', '--json', '--data-dir', dataDir], { maxBuffer: 64 * 1024 * 1024 });
  if (add.status !== 0) throw new Error(`location add failed: ${add.stdout.toString()} ${add.stderr.toString()}`);
  compare('deep, folder indexed (stat + index casIds)', ours(tree, '--mode', 'deep'));
  compare('content, folder indexed', ours(tree, '--mode', 'content'));
  compare('deep, --location (index only)', ours('--location', path.basename(tree), '--mode', 'deep'));
  compare('content, --location (index only)', ours('--location', path.basename(tree), '--mode', 'content'));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
