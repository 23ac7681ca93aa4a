import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Library } from '../../src/commands/libraries/library.js';
import { openCore } from '../../src/infra/container.js';
import { tempDir } from '../support/temp.js';
import { treeDifferences, treeFacts } from '../support/tree-compare.js';

const FileOps = suite('file operations (API, real files)');

async function withLibrary(fn: (library: Library, dir: string) => Promise<void>): Promise<void> {
  const t = tempDir();
  const core = await openCore({ dataDir: path.join(t.dir, 'data') });
  const library = await core.libraries.open();
  try {
    await fn(library, t.dir);
  } finally {
    core.close();
    t.cleanup();
  }
}

/** Awaits a command that must be refused with a user error of this code. */
async function refused(command: Promise<unknown>, code: string): Promise<void> {
  const outcome = await command.then(() => null, (err: unknown) => err as { code?: string; kind?: string });
  assert.ok(outcome, `expected ${code}, but the command was accepted`);
  assert.equal([outcome.code, outcome.kind], [code, 'user']);
}

FileOps('a paused copy resumes where its record ends: same tree, every path recorded once; rebuild == incremental', () =>
  withLibrary(async (library, dir) => {
    const src = path.join(dir, 'src');
    for (let d = 0; d < 4; d++) {
      mkdirSync(path.join(src, `d${d}`), { recursive: true });
      for (let f = 0; f < 80; f++) writeFileSync(path.join(src, `d${d}`, `f${f}`), `${d}/${f}`);
    }
    const dest = path.join(dir, 'dest');
    const request = { action: 'copy' as const, sources: [src], destination: dest, overwrite: 'error' as const, verify: false, preserveTimestamps: true, sync: false };
    const { job } = await library.files.transfer(request);
    library.jobs.pauseAll(); // as Ctrl-C does: the job stops after its chunk in flight
    const paused = await job.done;
    assert.is(paused.status, 'paused');
    const before = (await library.readEvents({ streamPrefix: 'fileop-' })).length;
    assert.ok(before > 0, 'the first chunk is recorded before the job pauses');
    const resumed = await (await library.jobs.resume(job.jobId, {})).done;
    assert.is(resumed.status, 'completed');
    assert.equal(treeDifferences(treeFacts(src), treeFacts(dest), { mtimes: true }), []);
    const recorded = library.audit({}).flatMap((r) => r.paths.map((p) => ('destination' in p ? p.destination : p.source)));
    assert.is(recorded.length, 1 + 4 + 4 * 80);
    assert.is(new Set(recorded).size, recorded.length);
    assert.is(resumed.output?.copied, 1 + 4 + 4 * 80);
    assert.is(library.verify().equal, true);
  }));

FileOps('a path that cannot be copied is a recorded failure; the others are copied and the job completes', () =>
  withLibrary(async (library, dir) => {
    const src = path.join(dir, 'src');
    mkdirSync(src);
    writeFileSync(path.join(src, 'ok.txt'), 'fine');
    execFileSync('mkfifo', [path.join(src, 'pipe')]);
    const { job } = await library.files.transfer({ action: 'copy', sources: [src], destination: path.join(dir, 'dest'), overwrite: 'error', verify: true, preserveTimestamps: false, sync: false });
    const record = await job.done;
    assert.is(record.status, 'completed');
    assert.is(record.output?.failed, 1);
    assert.is(readFileSync(path.join(dir, 'dest/ok.txt'), 'utf8'), 'fine');
    assert.not.ok(existsSync(path.join(dir, 'dest/pipe')));
    const failures = library.audit({ kind: 'failure' });
    assert.equal(failures.flatMap((f) => f.failures.map((x) => [x.source, x.code])), [[path.join(src, 'pipe'), 'UNSUPPORTED_TYPE']]);
    assert.is(library.jobInfo(job.jobId).errors[0].code, 'UNSUPPORTED_TYPE');
    assert.is(library.verify().equal, true);
  }));

FileOps('a plan changes nothing and says what would happen', () =>
  withLibrary(async (library, dir) => {
    mkdirSync(path.join(dir, 'dest'));
    writeFileSync(path.join(dir, 'a.txt'), 'aaa');
    writeFileSync(path.join(dir, 'dest/a.txt'), 'old');
    const head = (await library.readEvents()).length;
    const plan = await library.files.planTransfer({ action: 'move', sources: [path.join(dir, 'a.txt')], destination: path.join(dir, 'dest'), overwrite: 'rename', verify: false, preserveTimestamps: false, sync: false });
    assert.equal(plan.items.map((i) => [i.target, i.strategy, i.conflict?.resolution]), [[path.join(dir, 'dest/a (1).txt'), 'rename', 'rename']]);
    assert.is(plan.bytesToWrite, 0);
    assert.equal(plan.refusals, []);
    const del = await library.files.planDelete({ paths: [path.join(dir, 'a.txt'), path.join(dir, 'nope')], mode: 'secure', confirmed: false });
    assert.equal(del.refusals.map((r) => r.code), ['CONFIRMATION_REQUIRED', 'PATH_MISSING']);
    // a refusal of one path names it (a UI marks that path); one of the whole operation names none
    assert.equal(del.refusals.map((r) => r.path), [undefined, path.join(dir, 'nope')]);
    assert.is((await library.readEvents()).length, head);
    assert.ok(existsSync(path.join(dir, 'a.txt')));
  }));

FileOps('refused up front, nothing appended: two sources onto one name, spacedrive\'s own data, secure delete of one name of a hard-linked file', () =>
  withLibrary(async (library, dir) => {
    mkdirSync(path.join(dir, 'a'));
    mkdirSync(path.join(dir, 'b'));
    mkdirSync(path.join(dir, 'dest'));
    writeFileSync(path.join(dir, 'a/x'), 'AAA');
    writeFileSync(path.join(dir, 'b/x'), 'BBB');
    writeFileSync(path.join(dir, 'report.txt'), 'keep me');
    linkSync(path.join(dir, 'report.txt'), path.join(dir, 'old-name.txt'));
    const head = (await library.readEvents()).length;
    const move = (sources: string[], destination: string, overwrite: 'error' | 'replace' | 'skip' | 'rename') =>
      library.files.planTransfer({ action: 'move', sources, destination, overwrite, verify: false, preserveTimestamps: false, sync: false });
    const both = [path.join(dir, 'a/x'), path.join(dir, 'b/x')];
    for (const overwrite of ['error', 'replace', 'skip'] as const) {
      const plan = await move(both, path.join(dir, 'dest'), overwrite);
      assert.equal(plan.refusals.map((r) => [r.code, r.path]), [['SOURCES_COLLIDE', both[1]]], overwrite);
      assert.equal(plan.items.map((i) => i.source), [both[0]]);
    }
    // rename gives the second its own name
    assert.equal((await move(both, path.join(dir, 'dest'), 'rename')).items.map((i) => path.basename(i.target)), ['x', 'x (1)']);
    await refused(library.files.transfer({ action: 'move', sources: both, destination: path.join(dir, 'dest'), overwrite: 'replace', verify: false, preserveTimestamps: false, sync: false }), 'SOURCES_COLLIDE');
    // the data directory (dir/data) and what holds it: not deleted, not moved, not written into
    const data = path.join(dir, 'data');
    assert.equal((await library.files.planDelete({ paths: [dir], mode: 'permanent', confirmed: true })).refusals.map((r) => r.code), ['PATH_PROTECTED']);
    assert.equal((await library.files.planDelete({ paths: [path.join(data, 'libraries')], mode: 'trash', confirmed: false })).refusals.map((r) => r.code), ['PATH_PROTECTED']);
    assert.equal((await move([data], path.join(dir, 'dest'), 'error')).refusals.map((r) => r.code), ['PATH_PROTECTED']);
    assert.equal((await move([path.join(dir, 'a')], data, 'error')).refusals.map((r) => r.code), ['PATH_PROTECTED']);
    // a merge into the folder that holds it (a backup of it copied back over it)
    const twin = path.join(dir, 'backup', path.basename(dir));
    mkdirSync(twin, { recursive: true });
    writeFileSync(path.join(twin, 'x'), 'x');
    assert.equal((await library.files.planTransfer({ action: 'copy', sources: [twin], destination: path.dirname(dir), overwrite: 'replace', verify: false, preserveTimestamps: false, sync: false })).refusals.map((r) => r.code), ['PATH_PROTECTED']);
    // copying the folder that holds it elsewhere, or into the folder that holds it, is fine
    assert.equal((await library.files.planTransfer({ action: 'copy', sources: [path.join(dir, 'a')], destination: path.join(dir, 'dest'), overwrite: 'error', verify: false, preserveTimestamps: false, sync: false })).refusals, []);
    // secure delete would overwrite report.txt too; deleting both names, or permanent, is fine
    const secure = (paths: string[], mode: 'secure' | 'permanent' = 'secure') => library.files.planDelete({ paths: paths.map((p) => path.join(dir, p)), mode, confirmed: true });
    assert.equal((await secure(['old-name.txt'])).refusals.map((r) => r.code), ['HARD_LINKED']);
    assert.equal((await secure(['old-name.txt', 'old-name.txt'])).refusals.map((r) => r.code), ['HARD_LINKED'], 'one name given twice is one name');
    assert.equal((await secure(['old-name.txt', 'report.txt'])).refusals, []);
    assert.equal((await secure(['old-name.txt'], 'permanent')).refusals, []);
    await refused(library.files.delete({ paths: [path.join(dir, 'old-name.txt')], mode: 'secure', confirmed: true }), 'HARD_LINKED');
    // onto another name of the same file: nothing to do, and replacing it would lose the file
    assert.equal((await move([path.join(dir, 'report.txt')], path.join(dir, 'old-name.txt'), 'replace')).refusals.map((r) => r.code), ['SAME_FILE']);
    // a trailing slash names a folder, as for cp: a missing one is not created as a file, a file is no folder
    assert.equal((await move([path.join(dir, 'report.txt')], `${path.join(dir, 'newdir')}/`, 'error')).refusals.map((r) => r.code), ['DESTINATION_MISSING']);
    assert.equal((await move([`${path.join(dir, 'report.txt')}/`], path.join(dir, 'dest'), 'error')).refusals.map((r) => r.code), ['SOURCE_NOT_DIRECTORY']);
    symlinkSync('dest', path.join(dir, 'to-dest'));
    const slashed = (p: string) => library.files.planDelete({ paths: [`${path.join(dir, p)}/`], mode: 'trash', confirmed: false });
    assert.equal((await slashed('report.txt')).refusals.map((r) => r.code), ['SOURCE_NOT_DIRECTORY'], 'rm report.txt/ is refused too');
    assert.match((await slashed('to-dest')).refusals[0].message, /to-dest\/ is a symlink to a folder: leave out the trailing slash to delete the symlink itself, or name the folder \(.*\/dest\)/);
    assert.equal((await slashed('dest')).refusals, []);
    // a last component . or .. names nothing unambiguously (cp reads dir/. as its contents): refused, as rm refuses it
    for (const dotted of ['dest/.', 'dest/..', 'to-dest/.', 'dest/./']) {
      const refusal = (await library.files.planDelete({ paths: [`${dir}/${dotted}`], mode: 'trash', confirmed: false })).refusals;
      assert.equal(refusal.map((r) => r.code), ['PATH_DOTS'], dotted);
      assert.match(refusal[0].message, /ends in \. or \.\.: as rm does, spacedrive refuses to delete it; name the folder itself/);
      assert.equal((await move([`${dir}/${dotted}`], path.join(dir, 'elsewhere'), 'error')).refusals.map((r) => r.code), ['PATH_DOTS'], dotted);
    }
    rmSync(path.join(dir, 'to-dest'));
    // a path through a file, an empty path: refused as such
    assert.equal((await move([path.join(dir, 'report.txt')], path.join(dir, 'report.txt', 'x'), 'error')).refusals.map((r) => r.code), ['DESTINATION_MISSING']);
    assert.equal((await move([''], path.join(dir, 'dest'), 'error')).refusals.map((r) => r.code), ['PATH_EMPTY']);
    assert.equal((await library.files.planDelete({ paths: ['', path.join(dir, 'report.txt', 'x')], mode: 'trash', confirmed: false })).refusals.map((r) => r.code), ['PATH_EMPTY', 'PATH_MISSING']);
    // a folder merged into one whose file stands where the source has a folder (or the reverse), deep down
    mkdirSync(path.join(dir, 'p', 'x'), { recursive: true });
    writeFileSync(path.join(dir, 'p', 'x', 'f'), '1');
    mkdirSync(path.join(dir, 'dest', 'p'), { recursive: true });
    writeFileSync(path.join(dir, 'dest', 'p', 'x'), 'a file');
    const merge = await library.files.planTransfer({ action: 'copy', sources: [path.join(dir, 'p')], destination: path.join(dir, 'dest'), overwrite: 'replace', verify: false, preserveTimestamps: false, sync: false });
    assert.equal(merge.refusals.map((r) => r.code), ['KIND_CONFLICT']);
    assert.match(merge.refusals[0].message, /dest\/p\/x is a file and .*p\/x a directory/);
    // a file with two names takes its space once where it is copied
    const copyBoth = await library.files.planTransfer({ action: 'copy', sources: [path.join(dir, 'report.txt'), path.join(dir, 'old-name.txt')], destination: path.join(dir, 'dest'), overwrite: 'error', verify: false, preserveTimestamps: false, sync: false });
    assert.equal([copyBoth.bytes, copyBoth.bytesToWrite], [14, 7]);
    assert.is((await library.readEvents()).length, head);
    assert.equal([readFileSync(path.join(dir, 'a/x'), 'utf8'), readFileSync(path.join(dir, 'b/x'), 'utf8'), readFileSync(path.join(dir, 'report.txt'), 'utf8')], ['AAA', 'BBB', 'keep me']);
  }));

FileOps('a file written to while it is copied gets no copy and keeps its source; the failure is recorded', () =>
  withLibrary(async (library, dir) => {
    const big = path.join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(80 << 20, 7)); // large enough that its copy reports progress as it goes
    const before = statSync(big);
    let written = false;
    const stop = library.jobs.onProgress(() => {
      if (written) return;
      written = true;
      appendFileSync(big, 'a late write');
    });
    try {
      const { job } = await library.files.transfer({ action: 'copy', sources: [big], destination: path.join(dir, 'copy.bin'), overwrite: 'error', verify: true, preserveTimestamps: false, sync: false });
      const record = await job.done;
      assert.ok(written, 'the write landed while the job ran');
      assert.is(record.status, 'completed');
      assert.is(record.output?.failed, 1);
      assert.equal(library.audit({ kind: 'failure' }).flatMap((f) => f.failures.map((x) => [x.source, x.code])), [[big, 'FILE_CHANGED']]);
      assert.not.ok(existsSync(path.join(dir, 'copy.bin')));
      assert.is(statSync(big).size, before.size + 'a late write'.length);
      assert.is(library.verify().equal, true);
    } finally {
      stop();
    }
  }));

FileOps('a cancelled copy leaves no temporary file (as a killed run leaves one) and gives its folders their modes', () =>
  withLibrary(async (library, dir) => {
    const src = path.join(dir, 'src');
    mkdirSync(path.join(src, 'inner'), { recursive: true });
    for (let f = 0; f < 200; f++) writeFileSync(path.join(src, 'inner', `f${f}`), `${f}`);
    chmodSync(path.join(src, 'inner'), 0o750);
    const dest = path.join(dir, 'dest');
    const { job } = await library.files.transfer({ action: 'copy', sources: [src], destination: dest, overwrite: 'error', verify: false, preserveTimestamps: false, sync: false });
    library.jobs.pauseAll();
    assert.is((await job.done).status, 'paused');
    // what a process killed mid-file leaves: the file under the job's temporary name
    const temp = path.join(dest, 'inner', `.sd-${job.jobId.replace(/-/g, '').slice(-12)}-0123456789abcdef.part`);
    writeFileSync(temp, 'half a file');
    const cancelled = await library.jobs.cancel(job.jobId, {});
    assert.is(cancelled.status, 'cancelled');
    assert.not.ok(existsSync(temp));
    assert.not.ok(readdirSync(path.join(dest, 'inner')).some((n) => n.startsWith('.sd-')));
    assert.is(statSync(path.join(dest, 'inner')).mode & 0o7777, 0o750);
  }));

FileOps('a sparse file is copied with its holes, verified or not, and the same bytes', () =>
  withLibrary(async (library, dir) => {
    const sparse = path.join(dir, 'disk.img');
    writeFileSync(sparse, '');
    truncateSync(sparse, 256 << 20);
    const fd = openSync(sparse, 'r+');
    writeSync(fd, Buffer.from('data in the middle'), 0, 18, 100 << 20);
    closeSync(fd);
    for (const verify of [false, true]) {
      const copy = path.join(dir, `copy-${verify}.img`);
      const { job } = await library.files.transfer({ action: 'copy', sources: [sparse], destination: copy, overwrite: 'error', verify, preserveTimestamps: false, sync: false });
      assert.is((await job.done).status, 'completed');
      const st = statSync(copy);
      assert.is(st.size, 256 << 20);
      assert.ok(st.blocks * 512 < 1 << 20, `${verify ? 'verified' : 'plain'} copy takes ${st.blocks * 512} bytes on disk`);
      assert.ok(readFileSync(copy).equals(readFileSync(sparse)));
    }
  }));

FileOps.run();
