import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Library } from '../../src/commands/libraries/library.js';
import { openCore } from '../../src/infra/container.js';
import { tempDir } from '../support/temp.js';
import { writeTree } from '../support/trees.js';

const Validate = suite('file validation (API, real files)');

async function withLibrary(fn: (library: Library, dir: string) => Promise<void>): Promise<void> {
  const t = tempDir();
  const core = await openCore({ dataDir: path.join(t.dir, 'data') });
  const library = await core.libraries.open();
  try {
    const files = path.join(t.dir, 'files');
    mkdirSync(files);
    await fn(library, files);
  } finally {
    core.close();
    t.cleanup();
  }
}

async function index(library: Library, dir: string, mode: 'shallow' | 'content' = 'content') {
  const { location, job } = await library.locations.add({ path: dir, mode });
  assert.is((await job.done).status, 'completed');
  return library.locations.byId(location.id)!;
}

async function validate(library: Library, request: Parameters<Library['validation']['start']>[0]) {
  const job = await (await library.validation.start(request)).done;
  assert.is(job.status, 'completed', JSON.stringify(job.failure));
  return { job, findings: library.validation.findings(job.id).findings };
}

/**
 * Rewrites a file with other bytes of the same length and puts its modification time back. Its time is set to a
 * whole second first (before indexing), which utimes restores exactly.
 */
function corrupt(file: string): void {
  const st = statSync(file);
  assert.is(st.mtimeMs % 1000, 0, 'indexed with a whole-second time');
  const bytes = readFileSync(file);
  bytes[bytes.length >> 1] ^= 0x20;
  writeFileSync(file, bytes);
  utimesSync(file, st.mtimeMs / 1000, st.mtimeMs / 1000);
  assert.is(Math.trunc(statSync(file).mtimeMs), Math.trunc(st.mtimeMs), 'the time is restored exactly');
}

Validate('modified, deleted and corrupted indexed files are each reported with their severity and an action', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, {
      'keep.txt': 'unchanged',
      'grown.txt': 'will grow',
      'gone.txt': 'will be deleted',
      'corrupt.bin': Buffer.alloc(150_000, 7), // a sampled casId: the flipped middle byte (75,000) lies in the third sample
      'small-corrupt.txt': 'a small file whose bytes rot',
      'touched.txt': 'same bytes, new time',
      'rewritten.txt': 'same size, other text',
      'replaced': 'a file, then a folder',
      'dir/a.txt': 'a',
      'dir/b.txt': 'b',
      'dir/deeper/c.txt': 'c',
    });
    for (const f of ['corrupt.bin', 'small-corrupt.txt']) utimesSync(path.join(dir, f), 1_700_000_000, 1_700_000_000);
    const location = await index(library, dir);
    const at = (rel: string) => path.join(location.path, rel);

    appendFileSync(at('grown.txt'), ' larger');
    rmSync(at('gone.txt'));
    corrupt(at('corrupt.bin'));
    corrupt(at('small-corrupt.txt'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(at('touched.txt'), later, later);
    writeFileSync(at('rewritten.txt'), 'SAME SIZE, OTHER TEXT');
    utimesSync(at('rewritten.txt'), later, later);
    rmSync(at('replaced'));
    mkdirSync(at('replaced'));
    rmSync(at('dir'), { recursive: true });

    const basic = await validate(library, { location: location.name });
    const brief = (f: { path: string; check: string; severity: string }) => [path.relative(location.path, f.path), f.check, f.severity];
    assert.equal(basic.findings.map(brief).sort(), [
      ['dir', 'missing', 'error'], // its children are not reported one by one
      ['gone.txt', 'missing', 'error'],
      ['grown.txt', 'size-changed', 'warning'],
      ['replaced', 'kind-changed', 'error'],
      ['rewritten.txt', 'modified-changed', 'warning'],
      ['touched.txt', 'modified-changed', 'warning'],
    ]);
    // basic mode cannot see content that changed under an unchanged size and time
    assert.not.ok(basic.findings.some((f) => f.path.includes('corrupt')));
    assert.equal(basic.job.output, { mode: 'basic', targets: 1, checked: 13, unverified: 0, findings: { error: 3, warning: 3, info: 0 } });
    const grown = basic.findings.find((f) => f.check === 'size-changed')!;
    assert.equal([grown.indexed?.size, grown.found?.size], [9, 16]);
    assert.match(grown.action, /rescan the location \(`spacedrive location rescan "files"`\)/);
    assert.is(basic.job.locationId, location.id);

    const integrity = await validate(library, { location: location.name, mode: 'integrity' });
    assert.equal(integrity.findings.map(brief).sort(), [
      ['corrupt.bin', 'content-mismatch', 'error'],
      ['dir', 'missing', 'error'],
      ['gone.txt', 'missing', 'error'],
      ['grown.txt', 'size-changed', 'warning'],
      ['replaced', 'kind-changed', 'error'],
      ['rewritten.txt', 'modified-changed', 'warning'],
      ['small-corrupt.txt', 'content-mismatch', 'error'],
      ['touched.txt', 'modified-changed', 'info'],
    ]);
    const rot = integrity.findings.find((f) => f.path === at('corrupt.bin'))!;
    assert.ok(rot.indexed?.casId && rot.found?.casId && rot.indexed.casId !== rot.found.casId, 'the recomputed casId is compared with the indexed one');
    assert.equal([rot.indexed.size, rot.indexed.modifiedAt], [rot.found.size, rot.found.modifiedAt]);
    assert.match(rot.action, /backup/);
    // most severe first
    assert.equal(integrity.findings.map((f) => f.severity), ['error', 'error', 'error', 'error', 'error', 'warning', 'warning', 'info']);

    // paths: a file inside the location, a folder of it, a new file it has not indexed, one outside every location
    writeFileSync(at('new.txt'), 'not indexed yet');
    const outside = path.join(path.dirname(dir), 'elsewhere.txt');
    writeFileSync(outside, 'x');
    const byPath = await validate(library, { paths: [at('keep.txt'), at('grown.txt'), at('new.txt'), outside, at('dir')], mode: 'integrity' });
    assert.equal(byPath.findings.map((f) => [f.path, f.check, f.severity]), [
      [at('dir'), 'missing', 'error'],
      [at('grown.txt'), 'size-changed', 'warning'],
      [at('new.txt'), 'not-indexed', 'warning'],
      [outside, 'not-indexed', 'info'],
    ]);

    assert.ok(library.verify().equal, 'rebuild == incremental');
  });
});

Validate('a paused validation resumes after its last recorded batch: nothing checked twice, no finding twice', async () => {
  await withLibrary(async (library, dir) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 450; i++) files[`d${i % 5}/f${i}.txt`] = `file ${i}`;
    writeTree(dir, files);
    const location = await index(library, dir);
    for (let i = 0; i < 450; i += 9) rmSync(path.join(location.path, `d${i % 5}/f${i}.txt`));

    const straight = await validate(library, { location: location.name });
    assert.is(straight.findings.length, 50);

    const started = await library.validation.start({ location: location.name });
    let asked = false;
    const off = library.jobs.onProgress((id) => {
      if (id !== started.jobId || asked) return;
      asked = true; // pauses at the end of the first batch
      void library.jobs.pause(id, {});
    });
    const paused = await started.done;
    off();
    assert.is(paused.status, 'paused');
    const partial = library.validation.findings(paused.id).findings;
    assert.ok(partial.length > 0 && partial.length < 50, `paused after some batches (${partial.length} findings)`);

    const resumed = await (await library.jobs.resume(paused.id, {})).done;
    assert.is(resumed.status, 'completed');
    assert.equal(resumed.output, straight.job.output);
    const all = library.validation.findings(resumed.id).findings;
    assert.equal(all.map((f) => f.path).sort(), straight.findings.map((f) => f.path).sort());
    assert.ok(library.verify().equal, 'rebuild == incremental');
  });
});

Validate('integrity says which files it could not verify (no casId: a shallow index); an offline location is one error', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'a.txt': 'a', 'b.txt': 'b', 'empty.txt': '' });
    const location = await index(library, dir, 'shallow');
    const r = await validate(library, { location: location.name, mode: 'integrity' });
    assert.equal(r.findings, []);
    assert.is((r.job.output as { unverified: number }).unverified, 2);

    rmSync(dir, { recursive: true });
    const offline = await validate(library, { location: location.name });
    assert.equal(offline.findings.map((f) => [f.path, f.check, f.severity]), [[location.path, 'location-offline', 'error']]);
  });
});

Validate.run();
