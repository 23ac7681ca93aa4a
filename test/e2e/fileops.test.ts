import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createBLAKE3 } from 'hash-wasm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, spawnCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { treeDifferences, treeFacts, type TreeFact } from '../support/tree-compare.js';

const Files = suite('spacedrive file copy / move / delete / audit (built binary)');

interface JobOut { job: { id: string; status: string; output: Record<string, unknown> | null } }
interface AuditRow { at: string; kind: string; device: string; jobId: string; paths: { source: string; destination?: string; strategy?: string; hash?: string; bytes: number; trashedTo?: string }[]; failures: { source: string; code: string }[] }

const b = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p, i) => Buffer.concat([i ? Buffer.from('/') : Buffer.alloc(0), Buffer.from(p)])));

/** Nested folders, symlinks (relative, absolute, dangling, to a folder), empty files, modes, and odd names. */
function hostileTree(root: string, bigFile: number): void {
  mkdirSync(path.join(root, 'a/b/c'), { recursive: true });
  writeFileSync(path.join(root, 'a/b/c/deep.txt'), 'deep');
  writeFileSync(path.join(root, 'empty'), '');
  writeFileSync(path.join(root, 'a/empty too'), '');
  writeFileSync(path.join(root, 'with space.txt'), 'space');
  writeFileSync(path.join(root, 'new\nline'), 'newline');
  writeFileSync(path.join(root, 'emoji 🎉🐈.md'), '# emoji');
  writeFileSync(path.join(root, 'script.sh'), '#!/bin/sh\n');
  chmodSync(path.join(root, 'script.sh'), 0o755);
  writeFileSync(path.join(root, 'secret'), 'private');
  chmodSync(path.join(root, 'secret'), 0o600);
  const bad = Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x2e, 0x62, 0x69, 0x6e]); // "bad\xff\xfe.bin"
  writeFileSync(b(root, bad), randomBytes(3000));
  mkdirSync(b(root, Buffer.from([0x64, 0x69, 0x72, 0xc3, 0x28])));
  writeFileSync(b(root, Buffer.from([0x64, 0x69, 0x72, 0xc3, 0x28]), 'inside'), 'inside a badly named folder');
  symlinkSync('with space.txt', path.join(root, 'link-relative'));
  symlinkSync('/etc/hostname', path.join(root, 'link-absolute'));
  symlinkSync('nowhere/at/all', path.join(root, 'link-dangling'));
  symlinkSync('a/b', path.join(root, 'link-to-dir'));
  mkdirSync(path.join(root, 'locked'));
  writeFileSync(path.join(root, 'locked/kept'), 'kept');
  chmodSync(path.join(root, 'locked'), 0o555);
  mkdirSync(path.join(root, 'empty dir'));
  chmodSync(path.join(root, 'a/b'), 0o700);
  // hard links: two names of one file in different folders, and three of another (cp -a keeps them linked)
  linkSync(path.join(root, 'with space.txt'), path.join(root, 'a/b/hard link.txt'));
  writeFileSync(path.join(root, 'a/thrice'), 'one file, three names');
  linkSync(path.join(root, 'a/thrice'), path.join(root, 'a/b/c/thrice 2'));
  linkSync(path.join(root, 'a/thrice'), path.join(root, 'thrice 3'));
  if (bigFile > 0) writeBigFile(path.join(root, 'big.bin'), bigFile);
  // distinct times, so a copy that forgets them is caught
  utimesSync(path.join(root, 'with space.txt'), new Date('2001-02-03T04:05:06.789Z'), new Date('2002-03-04T05:06:07.891Z'));
  utimesSync(path.join(root, 'a/b/c'), new Date('2003-01-01T00:00:00Z'), new Date('2004-01-01T00:00:00.123456Z'));
}

/** Real (not sparse) data, fast: one random MiB written again and again with a counter. */
function writeBigFile(file: string, mib: number): void {
  const block = randomBytes(1 << 20);
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < mib; i++) {
      block.writeUInt32LE(i, 0);
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
}

function allNames(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: Buffer) => {
    for (const n of readdirSync(dir, { encoding: 'buffer' }) as Buffer[]) {
      out.push(n.toString('latin1'));
      const p = Buffer.concat([dir, Buffer.from('/'), n]);
      if (lstatSync(p).isDirectory()) visit(p);
    }
  };
  visit(Buffer.from(root));
  return out;
}

Files('copy gives the same tree as cp -a (nested folders, symlinks, empty files, modes, times, odd names, 200 MiB); verify, dry-run and audit', async () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const src = path.join(t.dir, 'src');
    hostileTree(src, 200);
    execFileSync('cp', ['-a', src, path.join(t.dir, 'by-cp')]);
    const expected = treeFacts(path.join(t.dir, 'by-cp'));

    const dry = runCli(data, ['file', 'copy', src, path.join(t.dir, 'ours'), '--dry-run', '--json']);
    assert.is(dry.code, 0, dry.stderr);
    const plan = dry.json<{ plan: { bytes: number; files: number; items: { strategy: string }[]; targetVolume: { mountPoint: string; fileSystem: string; copyOnWrite: boolean; availableBytes: number } } }>().plan;
    assert.ok(plan.bytes > 200 * (1 << 20));
    const volume = runCli(data, ['volume', 'for', t.dir, '--json']).json<{ mountPoint: string; fileSystem: string; copyOnWrite: boolean }>();
    assert.equal([plan.targetVolume.mountPoint, plan.targetVolume.fileSystem], [volume.mountPoint, volume.fileSystem], 'the plan names the target volume');
    assert.ok(plan.targetVolume.availableBytes > 0);
    assert.is(plan.items[0].strategy, volume.copyOnWrite ? 'clone' : 'copy', 'the strategy the volume layer picks');
    assert.not.ok(existsSync(path.join(t.dir, 'ours')), 'a dry run writes nothing');
    assert.is(runCli(data, ['events', '--json']).stdout.includes('FilesCopied'), false, 'a dry run appends nothing');

    const copied = runCli(data, ['file', 'copy', src, path.join(t.dir, 'ours'), '--preserve-timestamps', '--json']);
    assert.is(copied.code, 0, copied.stderr + copied.stdout);
    assert.is(copied.json<JobOut>().job.status, 'completed');
    assert.equal(treeDifferences(expected, treeFacts(path.join(t.dir, 'ours')), { mtimes: true }), []);

    // without --preserve-timestamps everything but the times matches; with --verify each file's BLAKE3 is recorded
    const into = path.join(t.dir, 'verified');
    const sources = [path.join(src, 'a'), path.join(src, 'secret'), path.join(src, 'emoji 🎉🐈.md')];
    const missing = runCli(data, ['file', 'copy', ...sources, into, '--verify', '--json']);
    assert.is(missing.json<{ error: { code: string } }>().error.code, 'DESTINATION_NOT_DIRECTORY');
    mkdirSync(into);
    const ok = runCli(data, ['file', 'copy', ...sources, into, '--verify', '--json']);
    assert.is(ok.code, 0, ok.stderr + ok.stdout);
    const audit = runCli(data, ['audit', '--path', path.join(into, 'a/b/c/deep.txt'), '--json']).json<AuditRow[]>();
    const deep = audit.flatMap((r) => r.paths).find((p) => p.destination === path.join(into, 'a/b/c/deep.txt'))!;
    assert.is(deep.strategy, 'stream');
    const blake = await createBLAKE3();
    assert.is(deep.hash, blake.init().update('deep').digest('hex'));
    const a = Buffer.from('a').toString('hex');
    // copied alone, `a` keeps the hard links among its own names only
    const inA = (facts: TreeFact[]) =>
      facts.filter((f) => f.rel.startsWith(a)).map((f) => ({ ...f, linkedWith: f.linkedWith?.split(' ').filter((r) => r.startsWith(a)).join(' ') || null }));
    const withoutTimes = treeDifferences(inA(expected), inA(treeFacts(into)), { mtimes: false });
    assert.equal(withoutTimes, []);

    // `link/`, a symlink to a folder with a trailing slash, is the folder, as for cp; a move of it is refused, as by mv
    execFileSync('cp', ['-a', `${path.join(src, 'link-to-dir')}/`, path.join(t.dir, 'by-cp-followed')]);
    const followed = runCli(data, ['file', 'copy', `${path.join(src, 'link-to-dir')}/`, path.join(t.dir, 'followed'), '--preserve-timestamps']);
    assert.is(followed.code, 0, followed.stderr + followed.stdout);
    assert.equal(treeDifferences(treeFacts(path.join(t.dir, 'by-cp-followed')), treeFacts(path.join(t.dir, 'followed')), { mtimes: true }), []);
    assert.ok(lstatSync(path.join(t.dir, 'followed')).isDirectory());
    const moveFollowed = runCli(data, ['file', 'move', `${path.join(src, 'link-to-dir')}/`, path.join(t.dir, 'moved-link')]);
    assert.is(moveFollowed.code, 1);
    assert.match(moveFollowed.stderr, /link-to-dir\/ is a symlink to a folder: leave out the trailing slash to move the symlink itself, or name the folder \(.*\/src\/a\/b\)/);

    const verify = runCli(data, ['verify', '--json']);
    assert.is(verify.code, 0, verify.stdout);
    assert.is(verify.json<{ equal: boolean }>().equal, true);
    assert.not.ok(allNames(t.dir).some((n) => n.startsWith('.sd-')), 'no temporary file is left');
  } finally {
    chmodSync(path.join(t.dir, 'src/locked'), 0o755);
    for (const d of ['by-cp', 'ours']) if (existsSync(path.join(t.dir, d, 'locked'))) chmodSync(path.join(t.dir, d, 'locked'), 0o755);
    t.cleanup();
  }
});

Files('kill -9 in the middle of a copy, then job resume: the tree cp -a gives, no temporary file, each path recorded once', async () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const src = path.join(t.dir, 'src');
    for (let d = 0; d < 20; d++) {
      mkdirSync(path.join(src, `dir ${d}`), { recursive: true });
      for (let f = 0; f < 60; f++) writeFileSync(path.join(src, `dir ${d}`, `file ${f}.bin`), randomBytes(2048 + f));
    }
    writeBigFile(path.join(src, 'dir 12/big.bin'), 32);
    // hard links within each folder, and one whose first name is copied long before the kill, its second after it
    for (let d = 0; d < 20; d++) linkSync(path.join(src, `dir ${d}`, 'file 0.bin'), path.join(src, `dir ${d}`, 'zz link.bin'));
    linkSync(path.join(src, 'dir 0/file 1.bin'), path.join(src, 'dir 19/zz far link.bin'));
    execFileSync('cp', ['-a', src, path.join(t.dir, 'by-cp')]);
    assert.is(runCli(data, ['library', 'create', 'Test']).code, 0);
    const dest = path.join(t.dir, 'ours');
    const child = spawnCli(data, ['file', 'copy', src, dest, '--preserve-timestamps']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // kill once a few hundred files are in place, well before the end: by then a record lists dir 0 as copied
    for (let waited = 0; ; waited += 5) {
      const n = existsSync(dest) ? readdirSync(dest).reduce((s, d) => s + (existsSync(path.join(dest, d)) && lstatSync(path.join(dest, d)).isDirectory() ? readdirSync(path.join(dest, d)).length : 0), 0) : 0;
      if (n >= 400) break;
      if (waited > 60_000) throw new Error('the copy never got going');
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    const jobs = runCli(data, ['job', 'list', '--json']).json<{ id: string; name: string; status: string }[]>();
    const job = jobs.find((j) => j.name === 'file-transfer')!;
    assert.is(job.status, 'running', 'the kill must land before the copy ends');
    const resumed = runCli(data, ['job', 'resume', job.id, '--json']);
    assert.is(resumed.code, 0, resumed.stderr + resumed.stdout);
    assert.is(resumed.json<{ status: string }>().status, 'completed');
    assert.equal(treeDifferences(treeFacts(path.join(t.dir, 'by-cp')), treeFacts(dest), { mtimes: true }), []);
    assert.not.ok(allNames(dest).some((n) => n.startsWith('.sd-')), 'no temporary file is left');
    const recorded = runCli(data, ['audit', '--json']).json<AuditRow[]>().filter((r) => r.jobId === job.id).flatMap((r) => r.paths.map((p) => p.destination));
    assert.is(new Set(recorded).size, recorded.length, 'no path is recorded twice');
    assert.is(recorded.length, 1 + 20 + 20 * 60 + 20 + 1 + 1);
    assert.is(runCli(data, ['verify', '--json']).json<{ equal: boolean }>().equal, true);
  } finally {
    t.cleanup();
  }
});

Files('delete to the freedesktop trash: trash-list shows it and trash-restore brings it back; permanent needs --yes', () => {
  const t = tempDir();
  try {
    const env = { HOME: path.join(t.dir, 'home'), XDG_DATA_HOME: path.join(t.dir, 'xdg') };
    mkdirSync(env.HOME);
    const data = path.join(t.dir, 'data');
    const work = path.join(t.dir, 'work');
    mkdirSync(work);
    const name = 'odd name 🎉 %20.txt';
    writeFileSync(path.join(work, name), 'keep me');
    mkdirSync(path.join(work, 'folder/inner'), { recursive: true });
    writeFileSync(path.join(work, 'folder/inner/x'), 'x');

    const refused = runCli(data, ['file', 'delete', path.join(work, name), '--mode', 'permanent'], env);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /cannot be undone: add --yes/);
    assert.ok(existsSync(path.join(work, name)));

    const trashed = runCli(data, ['file', 'delete', path.join(work, name), path.join(work, 'folder'), '--json'], env);
    assert.is(trashed.code, 0, trashed.stderr + trashed.stdout);
    assert.not.ok(existsSync(path.join(work, name)));
    const listed = execFileSync('trash-list', { env: { ...process.env, ...env }, encoding: 'utf8' });
    assert.match(listed, new RegExp(`${path.join(work, name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(listed, new RegExp(`${path.join(work, 'folder')}$`, 'm'));
    const restore = spawnSync('trash-restore', [path.join(work, name)], { cwd: work, env: { ...process.env, ...env }, input: '0\n', encoding: 'utf8' });
    assert.is(restore.status, 0, restore.stderr);
    assert.is(readFileSync(path.join(work, name), 'utf8'), 'keep me');

    // a name too long to take `.trashinfo` after it goes in under a shorter one; Path= keeps the real one
    const long = `${'L'.repeat(240)}é.txt`;
    writeFileSync(path.join(work, long), 'long');
    const longTrashed = runCli(data, ['file', 'delete', path.join(work, long)], env);
    assert.is(longTrashed.code, 0, longTrashed.stderr + longTrashed.stdout);
    const infos = readdirSync(path.join(env.XDG_DATA_HOME, 'Trash', 'info')).map((f) => readFileSync(path.join(env.XDG_DATA_HOME, 'Trash', 'info', f), 'utf8'));
    assert.ok(infos.some((i) => i.includes(`Path=${path.join(work, 'L'.repeat(240))}%C3%A9.txt\n`)), infos.join('\n'));

    // a file on another volume goes to that volume's $topdir/.Trash-$uid, where trash-list finds it too
    const shm = '/dev/shm';
    const otherVolume = existsSync(shm) && lstatSync(shm).dev !== lstatSync(work).dev;
    if (otherVolume) {
      const own = `.Trash-${process.getuid?.() ?? 0}`;
      const hadTrash = existsSync(path.join(shm, own));
      const probe = `sd-trash-test-${process.pid}.txt`;
      writeFileSync(path.join(shm, probe), 'far away');
      try {
        assert.is(runCli(data, ['file', 'delete', path.join(shm, probe)], env).code, 0);
        assert.is(readFileSync(path.join(shm, own, 'files', probe), 'utf8'), 'far away');
        assert.match(readFileSync(path.join(shm, own, 'info', `${probe}.trashinfo`), 'utf8'), new RegExp(`^Path=${probe}$`, 'm'));
        assert.match(execFileSync('trash-list', { env: { ...process.env, ...env }, encoding: 'utf8' }), new RegExp(`${shm}/${probe}$`, 'm'));
      } finally {
        rmSync(path.join(shm, own, 'files', probe), { force: true });
        rmSync(path.join(shm, own, 'info', `${probe}.trashinfo`), { force: true });
        if (!hadTrash) rmSync(path.join(shm, own), { recursive: true, force: true });
      }
    }

    writeFileSync(path.join(work, 'gone'), 'bye');
    const permanent = runCli(data, ['file', 'delete', path.join(work, 'gone'), '--mode', 'permanent', '--yes'], env);
    assert.is(permanent.code, 0, permanent.stderr);
    assert.not.ok(existsSync(path.join(work, 'gone')));
    writeFileSync(path.join(work, 'erased'), 'secret');
    const secure = runCli(data, ['file', 'delete', path.join(work, 'erased'), '--mode', 'secure', '--yes'], env);
    assert.is(secure.code, 0, secure.stderr);
    assert.not.ok(existsSync(path.join(work, 'erased')));
    const deletes = runCli(data, ['audit', '--kind', 'delete', '--json']).json<(AuditRow & { mode: string })[]>();
    assert.equal(deletes.map((d) => d.mode), ['trash', 'trash', 'trash', ...(otherVolume ? ['trash'] : []), 'permanent', 'secure']);
    assert.ok(deletes[0].paths[0].trashedTo?.startsWith(path.join(env.XDG_DATA_HOME, 'Trash/files/')));
  } finally {
    t.cleanup();
  }
});

Files('audit --path follows a file through its copy, move and delete, in order, with device and job; audit verify', () => {
  const t = tempDir();
  try {
    const env = { HOME: path.join(t.dir, 'home'), XDG_DATA_HOME: path.join(t.dir, 'xdg') };
    const data = path.join(t.dir, 'data');
    mkdirSync(path.join(t.dir, 'in'));
    mkdirSync(path.join(t.dir, 'out'));
    writeFileSync(path.join(t.dir, 'in/report.txt'), 'report');
    const copy = runCli(data, ['file', 'copy', path.join(t.dir, 'in/report.txt'), path.join(t.dir, 'out'), '--json'], env).json<JobOut>();
    const move = runCli(data, ['file', 'move', path.join(t.dir, 'out/report.txt'), path.join(t.dir, 'out/final.txt'), '--json'], env).json<JobOut>();
    const del = runCli(data, ['file', 'delete', path.join(t.dir, 'out/final.txt'), '--json'], env).json<JobOut>();
    const device = runCli(data, ['device', 'show', '--json']).json<{ id: string }>().id;

    const history = runCli(data, ['audit', '--path', path.join(t.dir, 'out/report.txt'), '--json']).json<AuditRow[]>();
    assert.equal(history.map((h) => [h.kind, h.jobId, h.device]), [['copy', copy.job.id, device], ['move', move.job.id, device], ['delete', del.job.id, device]]);
    assert.equal(history.map((h) => h.paths.map((p) => [p.source, p.destination ?? null])), [
      [[path.join(t.dir, 'in/report.txt'), path.join(t.dir, 'out/report.txt')]],
      [[path.join(t.dir, 'out/report.txt'), path.join(t.dir, 'out/final.txt')]],
      [[path.join(t.dir, 'out/final.txt'), null]],
    ]);
    const fromEnd = runCli(data, ['audit', '--path', path.join(t.dir, 'out/final.txt'), '--json']).json<AuditRow[]>();
    assert.equal(fromEnd.map((h) => h.kind), ['copy', 'move', 'delete']);
    const human = runCli(data, ['audit', '--path', path.join(t.dir, 'out/final.txt')]);
    assert.match(human.stdout, new RegExp(`copy .*device ${device}.*job ${copy.job.id}[^]*move[^]*delete`));
    assert.equal(runCli(data, ['audit', '--kind', 'move', '--json']).json<AuditRow[]>().map((h) => h.jobId), [move.job.id]);
    assert.equal(runCli(data, ['audit', '--device', 'ffffffff', '--json']).json(), []);
    assert.equal(runCli(data, ['audit', '--since', '2999-01-01', '--json']).json(), []);
    assert.is(runCli(data, ['audit', '--since', 'yesterday']).code, 1);

    const chains = runCli(data, ['audit', 'verify', '--json']);
    assert.is(chains.code, 0, chains.stdout);
    assert.is(chains.json<{ ok: boolean; breaks: unknown[] }>().ok, true);
    assert.is(runCli(data, ['verify', '--json']).json<{ equal: boolean }>().equal, true);
    // a tampered event is a break
    const db = path.join(data, 'libraries');
    const lib = readdirSync(db).find((n) => n.endsWith('.sdlibrary'))!;
    const raw = new Database(path.join(db, lib, 'library.db'));
    raw.prepare("UPDATE events SET hash = zeroblob(length(hash)) WHERE position = (SELECT min(position) FROM events WHERE type = 'FilesCopied')").run();
    raw.close();
    const broken = runCli(data, ['audit', 'verify', '--json']);
    assert.is(broken.code, 2, broken.stdout);
    assert.is(broken.json<{ ok: boolean; breaks: unknown[] }>().breaks.length > 0, true);
    assert.match(runCli(data, ['audit', 'verify']).stdout, /BROKEN: \d+ breaks?/);
  } finally {
    t.cleanup();
  }
});

/** A read-only directory: a read-only tmpfs mount as root (root writes through modes), else a 0555 folder. */
function readOnlyDir(dir: string): () => void {
  mkdirSync(dir);
  if (process.getuid?.() === 0) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
    return () => execFileSync('umount', [dir]);
  }
  chmodSync(dir, 0o555);
  return () => chmodSync(dir, 0o755);
}

Files('refused up front, appending nothing: missing source, destination inside source, existing destination, not enough space, read-only target', () => {
  const t = tempDir();
  let release = () => {};
  try {
    const data = path.join(t.dir, 'data');
    const src = path.join(t.dir, 'src');
    mkdirSync(path.join(src, 'sub'), { recursive: true });
    writeFileSync(path.join(src, 'a.txt'), 'a');
    assert.is(runCli(data, ['library', 'create', 'Test']).code, 0);
    const before = runCli(data, ['events', '--json']).stdout;
    const refusal = (args: string[]) => {
      const r = runCli(data, [...args, '--json']);
      assert.is(r.code, 1, r.stdout + r.stderr);
      return r.json<{ error: { code: string; message: string } }>().error;
    };
    assert.is(refusal(['file', 'copy', path.join(t.dir, 'nope'), t.dir]).code, 'SOURCE_MISSING');
    assert.is(refusal(['file', 'copy', src, path.join(src, 'sub')]).code, 'DESTINATION_INSIDE_SOURCE');
    assert.is(refusal(['file', 'move', src, src]).code, 'DESTINATION_INSIDE_SOURCE');
    mkdirSync(path.join(t.dir, 'dest'));
    writeFileSync(path.join(t.dir, 'dest/a.txt'), 'other');
    const exists = refusal(['file', 'copy', path.join(src, 'a.txt'), path.join(t.dir, 'dest')]);
    assert.is(exists.code, 'DESTINATION_EXISTS');
    assert.match(exists.message, /--overwrite replace, skip or rename/);
    // apparent size counts: a sparse file far larger than the disk cannot be copied
    writeFileSync(path.join(t.dir, 'huge.img'), '');
    truncateSync(path.join(t.dir, 'huge.img'), 2 ** 43);
    const space = refusal(['file', 'copy', path.join(t.dir, 'huge.img'), path.join(t.dir, 'dest')]);
    assert.is(space.code, 'INSUFFICIENT_SPACE');
    const plan = runCli(data, ['file', 'plan', 'copy', path.join(t.dir, 'huge.img'), path.join(t.dir, 'dest'), '--json']);
    assert.is(plan.code, 1);
    assert.ok(plan.json<{ plan: { freeBytes: number; refusals: { code: string }[] } }>().plan.freeBytes > 0);
    release = readOnlyDir(path.join(t.dir, 'ro'));
    assert.is(refusal(['file', 'copy', path.join(src, 'a.txt'), path.join(t.dir, 'ro')]).code, 'TARGET_READ_ONLY');
    assert.is(runCli(data, ['events', '--json']).stdout, before, 'nothing was appended');
    assert.is(readFileSync(path.join(t.dir, 'dest/a.txt'), 'utf8'), 'other');
  } finally {
    release();
    t.cleanup();
  }
});

Files('--overwrite rename, skip and replace; a move across filesystems deletes the source once verified', () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    mkdirSync(path.join(t.dir, 'dest'));
    writeFileSync(path.join(t.dir, 'photo.jpg'), 'new');
    writeFileSync(path.join(t.dir, 'dest/photo.jpg'), 'old');
    assert.is(runCli(data, ['file', 'copy', path.join(t.dir, 'photo.jpg'), path.join(t.dir, 'dest'), '--overwrite', 'rename']).code, 0);
    assert.is(readFileSync(path.join(t.dir, 'dest/photo (1).jpg'), 'utf8'), 'new');
    assert.is(readFileSync(path.join(t.dir, 'dest/photo.jpg'), 'utf8'), 'old');
    const skip = runCli(data, ['file', 'copy', path.join(t.dir, 'photo.jpg'), path.join(t.dir, 'dest'), '--overwrite', 'skip', '--json']);
    assert.is(skip.json<JobOut>().job.output?.skipped, 1);
    assert.is(readFileSync(path.join(t.dir, 'dest/photo.jpg'), 'utf8'), 'old');
    assert.is(runCli(data, ['file', 'copy', path.join(t.dir, 'photo.jpg'), path.join(t.dir, 'dest'), '--overwrite', 'replace']).code, 0);
    assert.is(readFileSync(path.join(t.dir, 'dest/photo.jpg'), 'utf8'), 'new');

    // merging folders: replace overwrites files inside, keeps the others
    mkdirSync(path.join(t.dir, 'album/sub'), { recursive: true });
    writeFileSync(path.join(t.dir, 'album/one'), '1');
    writeFileSync(path.join(t.dir, 'album/sub/two'), '2');
    mkdirSync(path.join(t.dir, 'dest/album'));
    writeFileSync(path.join(t.dir, 'dest/album/one'), 'old one');
    writeFileSync(path.join(t.dir, 'dest/album/mine'), 'mine');
    assert.is(runCli(data, ['file', 'move', path.join(t.dir, 'album'), path.join(t.dir, 'dest'), '--overwrite', 'replace']).code, 0);
    assert.equal(['one', 'sub/two', 'mine'].map((f) => readFileSync(path.join(t.dir, 'dest/album', f), 'utf8')), ['1', '2', 'mine']);
    assert.not.ok(existsSync(path.join(t.dir, 'album')));

    const other = '/dev/shm';
    const far = `far-${process.pid}.bin`;
    if (existsSync(other) && lstatSync(other).dev !== lstatSync(t.dir).dev) {
      try {
        writeFileSync(path.join(t.dir, far), randomBytes(100_000));
        const bytes = readFileSync(path.join(t.dir, far));
        const moved = runCli(data, ['file', 'move', path.join(t.dir, far), other, '--verify', '--json']);
        assert.is(moved.code, 0, moved.stdout + moved.stderr);
        assert.not.ok(existsSync(path.join(t.dir, far)));
        assert.equal(readFileSync(path.join(other, far)), bytes);
        const record = runCli(data, ['audit', '--path', path.join(other, far), '--json']).json<AuditRow[]>();
        assert.is(record[0].kind, 'move');
        assert.is(record[0].paths[0].strategy, 'stream');
        assert.match(record[0].paths[0].hash ?? '', /^[0-9a-f]{64}$/);
      } finally {
        if (existsSync(path.join(other, far))) execFileSync('rm', ['-f', path.join(other, far)]);
      }
    }
  } finally {
    t.cleanup();
  }
});

Files('a move across filesystems whose source cannot be removed says so and exits 2; the copy stays', () => {
  const t = tempDir();
  const other = '/dev/shm';
  const name = `stuck-${process.pid}.txt`;
  const source = path.join(t.dir, name);
  try {
    if (!existsSync(other) || lstatSync(other).dev === lstatSync(t.dir).dev) {
      console.log('    (skipped: no second filesystem at /dev/shm)');
      return;
    }
    writeFileSync(source, 'cannot be unlinked');
    // immutable: unlink fails with EPERM even for root (chattr needs root and an ext2/3/4, xfs or btrfs folder)
    if (spawnSync('chattr', ['+i', source]).status !== 0) {
      console.log('    (skipped: chattr +i is not possible here)');
      return;
    }
    const data = path.join(t.dir, 'data');
    const moved = runCli(data, ['file', 'move', source, other]);
    assert.is(moved.code, 2, moved.stdout + moved.stderr);
    assert.match(moved.stdout, /1 moved, .*1 other problem \(`spacedrive job info /);
    assert.match(moved.stderr, /^error: the move completed with errors \(1 other problem\): see `spacedrive job info /, 'on stderr too, for --quiet');
    assert.is(readFileSync(path.join(other, name), 'utf8'), 'cannot be unlinked');
    assert.ok(existsSync(source), 'the source is still there');
    const id = /Job (\S+) completed/.exec(moved.stdout)![1];
    const info = runCli(data, ['job', 'info', id, '--json']).json<{ errors: { path: string; message: string }[] }>();
    assert.equal(info.errors.map((e) => [e.path, /the source could not be removed/.test(e.message)]), [[source, true]]);
  } finally {
    spawnSync('chattr', ['-i', source]);
    rmSync(path.join(other, name), { force: true });
    t.cleanup();
  }
});

interface LsRow { name: string; relativePath: string; kind: string; size: number; casId: string | null }

Files('copy into, move within and delete from an indexed location update its entries without a rescan; a rescan then finds nothing to change', () => {
  const t = tempDir();
  try {
    const env = { HOME: path.join(t.dir, 'home'), XDG_DATA_HOME: path.join(t.dir, 'xdg') };
    const data = path.join(t.dir, 'data');
    const loc = path.join(t.dir, 'Library');
    mkdirSync(path.join(loc, 'existing'), { recursive: true });
    writeFileSync(path.join(loc, 'existing/old.txt'), 'old');
    const incoming = path.join(t.dir, 'incoming');
    mkdirSync(path.join(incoming, 'nested/deeper'), { recursive: true });
    writeFileSync(path.join(incoming, 'nested/a.txt'), 'alpha');
    writeFileSync(path.join(incoming, 'nested/deeper/b.md'), '# beta');
    writeFileSync(path.join(incoming, 'nested/.DS_Store'), 'junk the indexer skips');
    assert.is(runCli(data, ['location', 'add', loc, '--mode', 'content']).code, 0);
    // directory sizes are the index's aggregates of their subtrees
    const ls = () => runCli(data, ['ls', 'Library', '--recursive', '--json']).json<LsRow[]>().map((r) => [r.relativePath, r.kind, r.size, r.casId !== null]).sort();

    assert.is(runCli(data, ['file', 'copy', path.join(incoming, 'nested'), path.join(loc, 'existing')], env).code, 0);
    assert.equal(ls(), [
      ['existing', 'directory', 14, false], ['existing/nested', 'directory', 11, false], ['existing/nested/a.txt', 'file', 5, true],
      ['existing/nested/deeper', 'directory', 6, false], ['existing/nested/deeper/b.md', 'file', 6, true], ['existing/old.txt', 'file', 3, true],
    ]);
    assert.is(runCli(data, ['file', 'move', path.join(loc, 'existing/nested'), path.join(loc, 'moved')], env).code, 0);
    assert.is(runCli(data, ['file', 'delete', path.join(loc, 'existing/old.txt')], env).code, 0);
    assert.is(runCli(data, ['file', 'move', path.join(loc, 'moved/a.txt'), incoming], env).code, 0);
    assert.equal(ls(), [
      ['existing', 'directory', 0, false], ['moved', 'directory', 6, false], ['moved/deeper', 'directory', 6, false], ['moved/deeper/b.md', 'file', 6, true],
    ]);
    const events = runCli(data, ['events', '--json']).stdout;
    assert.match(events, /"type":"EntriesMoved"/);
    const rescan = runCli(data, ['location', 'rescan', 'Library', '--json']).json<{ job: { output: Record<string, number> } }>();
    const o = rescan.job.output;
    assert.equal([o.added, o.modified, o.moved, o.removed, o.identified], [0, 0, 0, 0, 0]);
    assert.is(runCli(data, ['verify', '--json']).json<{ equal: boolean }>().equal, true);
  } finally {
    t.cleanup();
  }
});

Files.run();
