import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, runCli, spawnCli } from '../support/cli.js';
import { mountTmpfs, skipped, unmount } from '../support/mounts.js';
import { tempDir } from '../support/temp.js';

const Durability = suite('file copy / move durability (system calls under strace) and crash safety (built binary)');

/** One traced system call: its name, the paths it names, and the line indexes where it started and returned. */
interface Call {
  name: string;
  paths: string[];
  start: number;
  end: number;
  ok: boolean;
}

const TRACED = 'fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat';

/** Runs the CLI under `strace -f -y` and returns the traced calls in the order they started. */
function traced(dataDir: string, args: string[], log: string): { code: number; stderr: string; calls: Call[] } | null {
  const { FORCE_COLOR: _forced, ...env } = process.env;
  const r = spawnSync('strace', ['-f', '-qq', '-y', '-o', log, '-e', `trace=${TRACED}`, process.execPath, CLI, ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...env, NO_COLOR: '1' },
  });
  if (r.error) return null;
  const pending = new Map<string, Omit<Call, 'end' | 'ok'>>();
  const calls: Call[] = [];
  readFileSync(log, 'utf8').split('\n').forEach((line, index) => {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) return;
    const [, pid, rest] = m;
    const resumed = /^<\.\.\. (\w+) resumed>.*= (-?\d+)/.exec(rest);
    if (resumed) {
      const started = pending.get(pid);
      pending.delete(pid);
      if (started) calls.push({ ...started, end: index, ok: resumed[2] === '0' });
      return;
    }
    const call = /^(\w+)\((.*)$/.exec(rest);
    if (!call) return;
    const paths = [...call[2].matchAll(/"([^"]*)"|<(\/[^>]*)>/g)].map((p) => p[1] ?? p[2]).filter((p) => p.startsWith('/') && !p.startsWith('/proc'));
    const started = { name: call[1], paths, start: index };
    if (rest.endsWith('<unfinished ...>')) pending.set(pid, started);
    else calls.push({ ...started, end: index, ok: / = 0$/.test(rest) });
  });
  return { code: r.status ?? -1, stderr: r.stderr, calls: calls.sort((a, b) => a.start - b.start) };
}

const isRename = (c: Call) => c.name.startsWith('rename') && c.ok;
const isFsync = (c: Call) => (c.name === 'fsync' || c.name === 'fdatasync') && c.ok;
const isUnlink = (c: Call) => c.name.startsWith('unlink') && c.ok;

/** Every file and folder below `root` (relative), folders with a trailing slash. */
function listTree(root: string, rel = ''): string[] {
  return readdirSync(path.join(root, rel)).sort().flatMap((n) => {
    const r = path.join(rel, n);
    return lstatSync(path.join(root, r)).isDirectory() ? [`${r}/`, ...listTree(root, r)] : [r];
  });
}

function sourceTree(root: string): void {
  for (const d of ['one', 'two/deeper']) {
    mkdirSync(path.join(root, d), { recursive: true });
    for (let f = 0; f < 6; f++) writeFileSync(path.join(root, d, `file ${f}.txt`), `${d} ${f}`);
  }
  writeFileSync(path.join(root, 'top.bin'), Buffer.alloc(70_000, 7));
}

/** The temporary name each final path was renamed from. */
function tempsOf(calls: Call[], under: string): Map<string, Call> {
  const out = new Map<string, Call>();
  for (const c of calls) if (isRename(c) && c.paths.length === 2 && c.paths[1].startsWith(under) && path.basename(c.paths[0]).startsWith('.sd-')) out.set(c.paths[1], c);
  return out;
}

Durability('a default copy fsyncs nothing but still renames each file into place; --sync fsyncs each file before its rename and every folder; a move across filesystems deletes a source only after its copy and folder are fsynced', () => {
  const t = tempDir();
  const far = path.join(t.dir, 'far');
  let mounted = false;
  try {
    const data = path.join(t.dir, 'data');
    const src = path.join(t.dir, 'src');
    sourceTree(src);
    const files = listTree(src).filter((r) => !r.endsWith('/'));

    const plain = traced(data, ['file', 'copy', src, path.join(t.dir, 'plain')], path.join(t.dir, 'plain.log'));
    if (!plain) return skipped('durability under strace', 'strace is not installed');
    assert.is(plain.code, 0, plain.stderr);
    const plainDest = path.join(t.dir, 'plain');
    assert.equal(plain.calls.filter((c) => isFsync(c) && c.paths.some((p) => p.startsWith(plainDest))), [], 'the default copy fsyncs nothing it wrote');
    assert.equal([...tempsOf(plain.calls, plainDest).keys()].sort(), files.map((f) => path.join(plainDest, f)).sort(), 'every file is renamed from its temporary name');

    const syncDest = path.join(t.dir, 'synced');
    const synced = traced(data, ['file', 'copy', src, syncDest, '--sync'], path.join(t.dir, 'synced.log'));
    assert.is(synced!.code, 0, synced!.stderr);
    const renames = tempsOf(synced!.calls, syncDest);
    for (const f of files) {
      const rename = renames.get(path.join(syncDest, f));
      assert.ok(rename, `${f} renamed into place`);
      const fsync = synced!.calls.find((c) => isFsync(c) && c.paths[0] === rename!.paths[0]);
      assert.ok(fsync && fsync.end < rename!.start, `${f}: its temporary file is fsynced before the rename`);
    }
    const fsyncedFolders = new Set(synced!.calls.filter(isFsync).map((c) => c.paths[0]));
    for (const d of [t.dir, syncDest, ...listTree(syncDest).filter((r) => r.endsWith('/')).map((r) => path.join(syncDest, r.slice(0, -1)))]) {
      assert.ok(fsyncedFolders.has(d), `${d} is fsynced`);
    }

    mkdirSync(far);
    const refused = mountTmpfs(far, '16m');
    if (refused) return skipped('durable move across filesystems', refused);
    mounted = true;
    const farDest = path.join(far, 'moved');
    const moved = traced(data, ['file', 'move', src, farDest], path.join(t.dir, 'moved.log'));
    assert.is(moved!.code, 0, moved!.stderr);
    assert.not.ok(existsSync(src), 'the source folder is gone');
    assert.equal(listTree(farDest).filter((r) => !r.endsWith('/')), files);
    const moveRenames = tempsOf(moved!.calls, farDest);
    for (const f of files) {
      const unlink = moved!.calls.find((c) => isUnlink(c) && c.paths.includes(path.join(src, f)));
      assert.ok(unlink, `${f}: its source is unlinked`);
      const rename = moveRenames.get(path.join(farDest, f));
      assert.ok(rename && rename.end < unlink!.start, `${f}: renamed into place before its source is deleted`);
      const fileSync = moved!.calls.find((c) => isFsync(c) && c.paths[0] === rename!.paths[0]);
      assert.ok(fileSync && fileSync.end < rename!.start, `${f}: fsynced before its rename`);
      const folderSync = moved!.calls.find((c) => isFsync(c) && c.paths[0] === path.dirname(path.join(farDest, f)) && c.start > rename!.end);
      assert.ok(folderSync && folderSync.end < unlink!.start, `${f}: its folder is fsynced before its source is deleted`);
    }
    assert.is(readFileSync(path.join(farDest, 'one/file 3.txt'), 'utf8'), 'one 3');
  } finally {
    if (mounted) unmount(far);
    t.cleanup();
  }
});

Durability('kill -9 in the middle of a move across filesystems loses nothing: each missing source has its whole copy; resume finishes, each path recorded once', async () => {
  const t = tempDir();
  const far = path.join(t.dir, 'far');
  mkdirSync(far);
  let mounted = false;
  try {
    const refused = mountTmpfs(far, '64m');
    if (refused) return skipped('kill -9 during a move across filesystems', refused);
    mounted = true;
    const data = path.join(t.dir, 'data');
    const src = path.join(t.dir, 'src');
    const content = (d: number, f: number) => `dir ${d} file ${f} `.repeat(40 + f);
    for (let d = 0; d < 20; d++) {
      mkdirSync(path.join(src, `dir ${d}`), { recursive: true });
      for (let f = 0; f < 60; f++) writeFileSync(path.join(src, `dir ${d}`, `file ${f}`), content(d, f));
    }
    assert.is(runCli(data, ['library', 'create', 'Test']).code, 0);
    const dest = path.join(far, 'moved');
    const child = spawnCli(data, ['file', 'move', src, dest]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const remaining = () => (existsSync(src) ? readdirSync(src).reduce((n, d) => n + (existsSync(path.join(src, d)) ? readdirSync(path.join(src, d)).length : 0), 0) : 0);
    for (let waited = 0; remaining() > 1200 - 300; waited += 5) {
      if (waited > 60_000) throw new Error('the move never got going');
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    let gone = 0;
    for (let d = 0; d < 20; d++) {
      for (let f = 0; f < 60; f++) {
        if (existsSync(path.join(src, `dir ${d}`, `file ${f}`))) continue;
        gone++;
        assert.is(readFileSync(path.join(dest, `dir ${d}`, `file ${f}`), 'utf8'), content(d, f), `dir ${d}/file ${f}: its source is gone, so its copy is whole`);
      }
    }
    assert.ok(gone >= 300 && gone < 1200, `the kill lands mid-move (${gone} sources gone)`);
    const job = runCli(data, ['job', 'list', '--json']).json<{ id: string; name: string; status: string }[]>().find((j) => j.name === 'file-transfer')!;
    assert.is(job.status, 'running');
    const resumed = runCli(data, ['job', 'resume', job.id, '--json']);
    assert.is(resumed.code, 0, resumed.stderr + resumed.stdout);
    assert.not.ok(existsSync(src), 'every source is removed once moved');
    for (let d = 0; d < 20; d++) for (let f = 0; f < 60; f++) assert.is(readFileSync(path.join(dest, `dir ${d}`, `file ${f}`), 'utf8'), content(d, f));
    const recorded = runCli(data, ['audit', '--json']).json<{ jobId: string; paths: { source: string }[] }[]>().filter((r) => r.jobId === job.id).flatMap((r) => r.paths.map((p) => p.source));
    assert.is(recorded.length, 1 + 20 + 20 * 60);
    assert.is(new Set(recorded).size, recorded.length, 'no path is recorded twice');
    assert.not.ok(listTree(dest).some((n) => path.basename(n).startsWith('.sd-')), 'no temporary file is left');
    assert.not.match(runCli(data, ['job', 'list']).stdout, /copying/, 'a finished job shows no progress');
  } finally {
    if (mounted) unmount(far);
    t.cleanup();
  }
});

Durability.run();
