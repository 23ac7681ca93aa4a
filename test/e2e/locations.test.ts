import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, renameSync, rmdirSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, runCli, runCliUnprivileged, spawnCli, unprivilegedDataDir } from '../support/cli.js';
import { sharedPath } from '../support/shared.js';
import { tempDir } from '../support/temp.js';
import { writeTree } from '../support/trees.js';

const Cli = suite('spacedrive location / ls / job (built binary)');

interface LsRow { name: string; path: string; relativePath: string; kind: string; size: number; casId: string | null; contentKind: string | null; mime: string | null; modifiedAt: string }

const comparable = (rows: LsRow[]) => rows.map((r) => [r.relativePath, r.kind, r.size, r.casId, r.contentKind, r.mime, r.modifiedAt]);

Cli('location add, list, info, ls, rename, remove, job list and info, with JSON shapes', () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const files = path.join(t.dir, 'Pictures');
    writeTree(files, { 'test1.txt': 'one', 'test2.rs': 'fn main() {}', 'subdir/test3.md': '# three', '.DS_Store': 'x', 'node_modules/package.json': '{}' });
    const added = runCli(data, ['location', 'add', files, '--mode', 'content', '--wait', '--json']);
    assert.is(added.code, 0, added.stderr);
    const out = added.json<{ location: { id: string; name: string; path: string; mode: string; files: number; directories: number }; job: { id: string; name: string; status: string; output: Record<string, number> } }>();
    assert.equal([out.location.name, out.location.mode, out.location.files, out.location.directories], ['Pictures', 'content', 3, 1]);
    assert.is(out.job.status, 'completed');

    const list = runCli(data, ['location', 'list', '--json']).json<{ id: string; name: string; path: string; mode: string; state: string; files: number; directories: number; bytes: number }[]>();
    assert.equal(list.map((l) => [l.id, l.files, l.directories, l.bytes, l.state]), [[out.location.id, 3, 1, 3 + 12 + 7, 'indexed']]);

    const ls = runCli(data, ['ls', 'Pictures', '--json']).json<LsRow[]>();
    assert.equal(ls.map((r) => [r.name, r.kind]).sort(), [['subdir', 'directory'], ['test1.txt', 'file'], ['test2.rs', 'file']]);
    const rs = ls.find((r) => r.name === 'test2.rs')!;
    assert.is(rs.contentKind, 'code');
    assert.match(rs.casId ?? '', /^[0-9a-f]{16}$/);
    assert.is(rs.path, path.join(out.location.path, 'test2.rs'));
    const sub = runCli(data, ['ls', path.join(files, 'subdir'), '--json']).json<LsRow[]>();
    assert.equal(sub.map((r) => r.name), ['test3.md']);
    assert.is(runCli(data, ['ls', 'Pictures', '--recursive', '--json']).json<LsRow[]>().length, 4);

    const info = runCli(data, ['location', 'info', 'Pictures']);
    assert.is(info.code, 0, info.stderr);
    assert.match(info.stdout, /honour \.gitignore:\s+on/);
    assert.match(info.stdout, /totals:\s+3 files, 1 directory, 22 bytes\n/);

    const jobs = runCli(data, ['job', 'list', '--json']).json<{ id: string; name: string; status: string; progress: unknown }[]>();
    assert.equal(jobs.map((j) => [j.id, j.status]), [[out.job.id, 'completed']]);
    const job = runCli(data, ['job', 'info', out.job.id.slice(0, 13), '--json']).json<{ id: string; status: string; output: { added: number } }>();
    assert.is(job.output.added, 4);

    const refused = runCli(data, ['location', 'add', path.join(files, 'subdir')]);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /^error: .*inside the location "Pictures"/, refused.stderr);
    const noWait = runCli(data, ['location', 'add', path.join(t.dir, 'nope'), '--no-wait']);
    assert.is(noWait.code, 1);
    assert.match(noWait.stderr, /^error: jobs run in the foreground until a daemon exists/);
    const missing = runCli(data, ['location', 'add', path.join(t.dir, 'nope'), '--json']);
    assert.is(missing.code, 1);
    assert.is(missing.json<{ error: { code: string } }>().error.code, 'LOCATION_PATH_MISSING');
    const pausedAgain = runCli(data, ['job', 'pause', out.job.id]);
    assert.is(pausedAgain.code, 1);
    assert.match(pausedAgain.stderr, /completed: there is nothing to pause/);

    assert.is(runCli(data, ['location', 'rename', 'Pictures', 'Photos']).code, 0);
    assert.is(runCli(data, ['location', 'remove', 'Photos']).code, 0);
    assert.equal(runCli(data, ['location', 'list', '--json']).json(), []);
    const verify = runCli(data, ['verify', '--json']);
    assert.is(verify.code, 0, verify.stdout);
  } finally {
    t.cleanup();
  }
});

Cli('index browse lists a folder without writing a library; deep mode records image dimensions; --scope current stays on top', () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const files = path.join(t.dir, 'files');
    writeTree(files, { 'test1.txt': 'one', 'test2.rs': 'fn main() {}', 'subdir/test3.md': '# three', '.DS_Store': 'x', 'node_modules/package.json': '{}' });
    const browsed = runCli(data, ['index', 'browse', files, '--scope', 'recursive', '--content', '--json']);
    assert.is(browsed.code, 0, browsed.stderr);
    const lines = browsed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { relativePath: string; casId: string | null; contentKind: string | null });
    assert.equal(lines.map((l) => l.relativePath), ['subdir', 'test1.txt', 'test2.rs', 'subdir/test3.md']);
    assert.ok(lines.filter((l) => l.relativePath !== 'subdir').every((l) => /^[0-9a-f]{16}$/.test(l.casId ?? '')));
    assert.equal(runCli(data, ['library', 'list', '--json']).json(), [], 'browsing creates no library');

    // a 3×2 PNG: signature, IHDR with width 3 and height 2
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0]), Buffer.alloc(4),
      Buffer.from('0000000049454e44ae426082', 'hex'),
    ]);
    writeTree(files, { 'pics/tiny.png': png });
    const added = runCli(data, ['location', 'add', files, '--mode', 'deep', '--json']);
    assert.is(added.code, 0, added.stderr);
    const pics = runCli(data, ['ls', path.join(files, 'pics'), '--json']).json<{ name: string; contentKind: string; mime: string; media: { width: number; height: number } | null }[]>();
    assert.equal(pics.map((p) => [p.name, p.contentKind, p.mime, p.media?.width, p.media?.height]), [['tiny.png', 'image', 'image/png', 3, 2]]);

    writeTree(files, { 'top.txt': 'top', 'subdir/deeper.txt': 'deeper' });
    const shallowScan = runCli(data, ['location', 'rescan', 'files', '--scope', 'current', '--json']);
    assert.is(shallowScan.code, 0, shallowScan.stderr);
    const names = runCli(data, ['ls', 'files', '--recursive', '--json']).json<{ relativePath: string }[]>().map((r) => r.relativePath);
    assert.ok(names.includes('top.txt'));
    assert.not.ok(names.includes('subdir/deeper.txt'), '--scope current does not descend');
  } finally {
    t.cleanup();
  }
});

/** Polls the library database (read-only, beside the running writer) until `ready` holds. */
async function waitFor(dataDir: string, ready: (db: Database.Database) => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    const found = spawnSync('sh', ['-c', `ls ${JSON.stringify(dataDir)}/libraries/*/library.db 2>/dev/null`], { encoding: 'utf8' }).stdout.trim();
    if (found) {
      try {
        const db = new Database(found, { readonly: true, fileMustExist: true });
        try {
          if (ready(db)) return;
        } finally {
          db.close();
        }
      } catch {
        // tables not created yet
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out waiting for the indexer');
}

const entriesAtLeast = (n: number) => (db: Database.Database) => (db.prepare('SELECT count(*) FROM entries').pluck().get() as number) >= n;

Cli('SIGTERM pauses at a checkpoint, kill -9 leaves a resumable job; both resume to the read model of an uninterrupted run', async () => {
  const t = tempDir();
  try {
    const tree = path.join(t.dir, 'tree');
    const gen = spawnSync(process.execPath, [sharedPath('tools/gen-tree.mjs'), tree, '12000', '600', '15']);
    assert.is(gen.status, 0, String(gen.stderr));

    const reference = path.join(t.dir, 'reference');
    const uninterrupted = runCli(reference, ['location', 'add', tree, '--mode', 'content', '--json']);
    assert.is(uninterrupted.code, 0);
    // what a job's summary counts: the same for a job paused or killed and resumed
    type Output = { output: Record<string, number> };
    const counts = (j: Output) => ['added', 'modified', 'moved', 'removed', 'identified'].map((k) => j.output[k]);
    const expectedCounts = counts(uninterrupted.json<{ job: Output }>().job);
    const expected = comparable(runCli(reference, ['ls', 'tree', '--recursive', '--json']).json<LsRow[]>());
    assert.ok(expected.length > 12000);

    // SIGTERM: the job pauses at its next checkpoint and the process exits cleanly
    const paused = path.join(t.dir, 'paused');
    const child = spawnCli(paused, ['location', 'add', tree, '--mode', 'content', '--json']);
    let stdout = '';
    child.stdout!.on('data', (c) => (stdout += c));
    await waitFor(paused, entriesAtLeast(500));
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.is(code, 0);
    // the signal lands with 500 of ~12,600 entries recorded: the job cannot have finished meanwhile
    const pausedJob = (JSON.parse(stdout) as { job: { id: string; status: string } }).job;
    assert.is(pausedJob.status, 'paused');
    const state = (data: string) => runCli(data, ['location', 'list', '--json']).json<{ state: string }[]>().map((l) => l.state);
    assert.equal(state(paused), ['paused'], 'a partial index says so');
    const afterPause = runCli(paused, ['job', 'resume', pausedJob.id, '--json']);
    assert.is(afterPause.code, 0, afterPause.stderr);
    assert.is(afterPause.json<{ status: string }>().status, 'completed');
    assert.equal(counts(afterPause.json<Output>()), expectedCounts);
    assert.equal(comparable(runCli(paused, ['ls', 'tree', '--recursive', '--json']).json<LsRow[]>()), expected);
    assert.equal(state(paused), ['indexed']);

    // `job pause` from another process pauses the foreground job there, which exits
    const other = path.join(t.dir, 'other');
    const runner = spawnCli(other, ['location', 'add', tree, '--mode', 'content', '--json']);
    let runnerOut = '';
    runner.stdout!.on('data', (c) => (runnerOut += c));
    await waitFor(other, (db) => (db.prepare("SELECT count(*) FROM jobs WHERE status = 'running'").pluck().get() as number) === 1);
    const running = (() => {
      const db = new Database(spawnSync('sh', ['-c', `ls ${JSON.stringify(other)}/libraries/*/library.db`], { encoding: 'utf8' }).stdout.trim(), { readonly: true });
      try {
        return db.prepare("SELECT id FROM jobs WHERE status = 'running'").pluck().get() as string;
      } finally {
        db.close();
      }
    })();
    // while the job runs, queries read the library without its lock
    const whileRunning = runCli(other, ['job', 'list', '--json']);
    assert.is(whileRunning.code, 0, whileRunning.stderr);
    assert.ok(whileRunning.json<{ id: string }[]>().some((j) => j.id === running));
    // resume and cancel say that the job runs elsewhere and what to do (unless it ended meanwhile, as below)
    for (const verb of ['resume', 'cancel']) {
      const refused = runCli(other, ['job', verb, running]);
      assert.is(refused.code, 1, refused.stdout + refused.stderr);
      assert.match(refused.stderr, new RegExp(`^error: (job ${running} is running in process \\d+: there is nothing to ${verb} while it runs. Pause it with \`spacedrive job pause|.*completed)`));
    }
    // (the job may end meanwhile on a fast machine, as below)
    assert.ok(['indexing', 'indexed'].includes(state(other)[0]), String(state(other)));
    // spawned, not spawnSync: this process must stay free to reap the runner when it exits
    const pauser = spawnCli(other, ['job', 'pause', running, '--json']);
    let pauseOut = '';
    pauser.stdout!.on('data', (c) => (pauseOut += c));
    const [[runnerCode], [pauseCode]] = await Promise.all([
      runner.exitCode === null ? once(runner, 'exit') : [runner.exitCode],
      once(pauser, 'exit'),
    ]);
    const pause = { code: pauseCode as number, stdout: pauseOut, stderr: '', json: <T>() => JSON.parse(pauseOut) as T };
    assert.is(runnerCode, 0);
    if ((JSON.parse(runnerOut) as { job: { status: string } }).job.status === 'paused') {
      assert.is(pause.code, 0, pause.stderr + pause.stdout);
      assert.equal(pause.json<{ id: string; status: string }>(), { ...pause.json<object>(), id: running, status: 'paused' });
      assert.is(runCli(other, ['job', 'resume', running, '--json']).json<{ status: string }>().status, 'completed');
    } else {
      // this machine finished the job before the pause arrived: the refusal must say so
      assert.is(pause.code, 1);
      assert.is(pause.json<{ error: { code: string } }>().error.code, 'JOB_FINISHED');
    }
    assert.equal(comparable(runCli(other, ['ls', 'tree', '--recursive', '--json']).json<LsRow[]>()), expected);

    // SIGKILL mid-index: the job is left running; resuming it finishes without redoing or duplicating work
    const killed = path.join(t.dir, 'killed');
    const victim = spawnCli(killed, ['location', 'add', tree, '--mode', 'content', '--json']);
    await waitFor(killed, entriesAtLeast(1)); // the first batch is in; most of the tree is still to do
    victim.kill('SIGKILL');
    await once(victim, 'exit');
    const jobs = runCli(killed, ['job', 'list', '--json']).json<{ id: string; status: string }[]>();
    assert.equal(jobs.map((j) => j.status), ['running'], 'the killed process left its job running');
    assert.equal(state(killed), ['interrupted']);
    // another command holds the library now: the killed job is not its job, so it is neither paused nor said to run there
    const container = pathToFileURL(path.resolve(path.dirname(CLI), '../infra/container.js')).href;
    const holder = spawn(process.execPath, ['--input-type=module', '-e',
      `const { openCore } = await import(${JSON.stringify(container)}); const core = await openCore({ dataDir: ${JSON.stringify(killed)} });
       await core.libraries.open(); console.log('holding'); setTimeout(() => core.close(), 60000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(holder.stdout!, 'data');
      for (const verb of ['pause', 'resume', 'cancel']) {
        const refused = runCli(killed, ['job', verb, jobs[0].id]);
        assert.is(refused.code, 1, refused.stdout + refused.stderr);
        assert.match(refused.stderr, new RegExp(`^error: job ${jobs[0].id} was interrupted \\(the process that ran it ended\\) and process ${holder.pid} holds the library now, for another command: ${verb} the job once`));
      }
      assert.equal([holder.exitCode, holder.signalCode], [null, null], 'the holder was not asked to pause (SIGTERM)');
      assert.equal(state(killed), ['interrupted']);
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit').catch(() => undefined);
    }
    const resumed = runCli(killed, ['job', 'resume', jobs[0].id, '--json']);
    assert.is(resumed.code, 0, resumed.stderr);
    assert.is(resumed.json<{ status: string }>().status, 'completed');
    assert.equal(counts(resumed.json<Output>()), expectedCounts, 'what the killed process appended after its last checkpoint is counted');
    assert.equal(comparable(runCli(killed, ['ls', 'tree', '--recursive', '--json']).json<LsRow[]>()), expected);
    const verify = runCli(killed, ['verify', '--json']);
    assert.is(verify.code, 0, verify.stdout);
  } finally {
    t.cleanup();
  }
});

Cli('a permission-denied folder or file is a non-critical job error; the job completes; the file is an entry', () => {
  const t = tempDir();
  try {
    chmodSync(t.dir, 0o777);
    const files = path.join(t.dir, 'files');
    writeTree(files, { 'open/a.txt': 'a', 'locked/secret.txt': 's', 'b.txt': 'b', 'unreadable.txt': 'twelve bytes', 'empty-unreadable': '' });
    chmodSync(path.join(files, 'locked'), 0o000);
    chmodSync(path.join(files, 'unreadable.txt'), 0o000);
    // an empty file has nothing to read: that it cannot be opened is no error
    chmodSync(path.join(files, 'empty-unreadable'), 0o000);
    const data = unprivilegedDataDir(path.join(t.dir, 'data'));
    const cli = (...args: string[]) => runCliUnprivileged(data, args);
    const r = cli('location', 'add', files, '--mode', 'content');
    if (r.error) {
      console.log(`skipped: cannot run the CLI as an unprivileged user (${r.error.message})`);
      return;
    }
    assert.is(r.status, 0, r.stderr + r.stdout);
    const out = JSON.parse(r.stdout) as { location: { files: number; directories: number }; job: { id: string; status: string; errors: number } };
    assert.is(out.job.status, 'completed');
    assert.is(out.job.errors, 2);
    assert.equal([out.location.files, out.location.directories], [4, 2]);
    // the first scan learns a file's stat as it reads it: one it cannot open is still listed, with the stat of its folder entry
    const ls = JSON.parse(cli('ls', files).stdout) as { name: string; size: number; casId: string | null }[];
    assert.equal(ls.find((e) => e.name === 'unreadable.txt'), { ...ls.find((e) => e.name === 'unreadable.txt'), size: 12, casId: null });
    const info = JSON.parse(cli('job', 'info', out.job.id).stdout) as { errors: { path: string; message: string }[] };
    assert.equal(info.errors.map((e) => [e.path, e.message]).sort(), [['locked', 'permission denied'], ['unreadable.txt', 'permission denied']]);
    const again = JSON.parse(cli('location', 'rescan', files).stdout) as { job: { output: { added: number; modified: number; removed: number } } };
    assert.equal([again.job.output.added, again.job.output.modified, again.job.output.removed], [0, 0, 0]);
  } finally {
    chmodSync(path.join(t.dir, 'files', 'locked'), 0o755);
    t.cleanup();
  }
});

Cli('a job refused by what it finds (the location folder replaced) exits 1 with error: on stderr; the index is left as it was', () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const files = path.join(t.dir, 'Disk');
    writeTree(files, { 'a.txt': 'a', 'sub/b.txt': 'b' });
    assert.is(runCli(data, ['location', 'add', files, '--wait']).code, 0);
    renameSync(files, `${files}.away`);
    mkdirSync(files); // as an unmounted disk leaves its mount point
    const r = runCli(data, ['location', 'rescan', 'Disk']);
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: .*Disk is not the folder that was indexed .*the index was left as it was/);
    assert.match(r.stdout, /failed \(LOCATION_OFFLINE\)/);
    const list = () => runCli(data, ['location', 'list', '--json']).json<{ files: number; directories: number; state: string }[]>();
    assert.equal(list().map((l) => [l.files, l.directories, l.state]), [[2, 1, 'offline']]);
    rmdirSync(files);
    assert.equal(list().map((l) => l.state), ['offline'], 'no folder there at all');
    renameSync(`${files}.away`, files);
    assert.equal(list().map((l) => l.state), ['offline'], 'the last scan found another folder: offline until a scan tells otherwise');
    assert.is(runCli(data, ['location', 'rescan', 'Disk']).code, 0);
    assert.equal(list().map((l) => [l.files, l.directories, l.state]), [[2, 1, 'indexed']]);
    // a name with a newline and an escape sequence is shown escaped, never sent to the terminal as it is
    assert.is(runCli(data, ['location', 'rename', 'Disk', 'bad\nname\u001b[31mRED']).code, 0);
    const shown = runCli(data, ['location', 'list']).stdout;
    assert.ok(shown.startsWith('bad\\nname\\x1b[31mRED  '), JSON.stringify(shown));
    assert.not.ok(shown.includes('\u001b'));
  } finally {
    t.cleanup();
  }
});

Cli.run();
