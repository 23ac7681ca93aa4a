import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    assert.is((await library.readEvents()).length, head);
    assert.ok(existsSync(path.join(dir, 'a.txt')));
  }));

FileOps.run();
