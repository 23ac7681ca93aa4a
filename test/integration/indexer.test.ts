import { execFileSync, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { appendFileSync, chmodSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Library } from '../../src/commands/libraries/library.js';
import { DomainError } from '../../src/domain/errors.js';
import { openCore } from '../../src/infra/container.js';
import type { JobRecord } from '../../src/projections/jobs/queries.js';
import { runCliUnprivileged, UNPRIVILEGED, unprivilegedDataDir } from '../support/cli.js';
import { sharedPath } from '../support/shared.js';
import { tempDir } from '../support/temp.js';
import { writeTree } from '../support/trees.js';

const Indexer = suite('indexer (API, real files)');

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

async function add(library: Library, dir: string, mode: 'shallow' | 'content' | 'deep' = 'content', rules = {}) {
  const { location, job } = await library.locations.add({ path: dir, mode, rules });
  const record = await job.done;
  assert.is(record.status, 'completed', JSON.stringify(record.failure));
  return { location: library.locations.byId(location.id)!, job: record };
}

async function rescan(library: Library, id: string, options = {}): Promise<JobRecord> {
  const started = await library.locations.index(library.locations.byId(id)!, options);
  return started.done;
}

function tree(library: Library, id: string) {
  const l = library.locations.byId(id)!;
  return library.locations.entries(l, '', true).map((e) => ({
    path: e.parent === '' ? e.name : `${e.parent}/${e.name}`, kind: e.kind, size: e.size, casId: e.casId,
    agg: e.aggregateSize, files: e.fileCount, children: e.childCount,
  }));
}

/**
 * Every folder's aggregates, as the files below it add up: bytes and files of its whole subtree, entries directly in
 * it. The location's totals the same way.
 */
function assertAggregates(library: Library, id: string): void {
  const entries = tree(library, id);
  for (const d of entries.filter((e) => e.kind === 'directory')) {
    const below = entries.filter((e) => e.path.startsWith(`${d.path}/`));
    const files = below.filter((e) => e.kind === 'file');
    const direct = below.filter((e) => !e.path.slice(d.path.length + 1).includes('/'));
    assert.equal(
      { path: d.path, agg: d.agg, files: d.files, children: d.children },
      { path: d.path, agg: files.reduce((n, f) => n + f.size, 0), files: files.length, children: direct.length },
    );
  }
  const l = library.locations.byId(id)!;
  const files = entries.filter((e) => e.kind === 'file');
  assert.equal(
    { files: l.files, directories: l.directories, bytes: l.bytes },
    { files: files.length, directories: entries.filter((e) => e.kind === 'directory').length, bytes: files.reduce((n, f) => n + f.size, 0) },
  );
}

async function locationEvents(library: Library, id: string) {
  return (await library.readEvents({ streamId: `location-${id}` })).map((e) => e.type);
}

Indexer('the seed scenario indexes to exactly 3 files + 1 directory', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'test1.txt': 'one', 'test2.rs': 'fn main() {}', 'subdir/test3.md': '# three', '.DS_Store': 'x', 'node_modules/package.json': '{}' });
    const { location, job } = await add(library, dir);
    assert.is(location.files, 3);
    assert.is(location.directories, 1);
    assert.equal(tree(library, location.id).map((e) => e.path).sort(), ['subdir', 'subdir/test3.md', 'test1.txt', 'test2.rs']);
    assert.is(job.output?.added, 4);
    assert.is(job.output?.identified, 3);
  });
});

Indexer('a folder bigger than one part of the walk: a rescan, paused and resumed, records exactly what was added, changed and removed across its parts', async () => {
  await withLibrary(async (library, dir) => {
    // 10,200 entries: the walk gives this folder in parts of 5,000, 5,000 and 200
    const big = path.join(dir, 'big');
    mkdirSync(big);
    for (let i = 0; i < 10_200; i++) writeFileSync(path.join(big, `f${String(i).padStart(5, '0')}.txt`), `file ${i}`);
    writeFileSync(path.join(dir, 'top.txt'), 'top');
    const { location, job } = await add(library, dir, 'shallow');
    assert.is(location.files, 10_201);
    assert.is(job.output?.added, 10_202);
    // removals in the first, middle and last parts; a change and additions across the parts too
    for (const i of [3, 6_000, 10_199]) rmSync(path.join(big, `f${String(i).padStart(5, '0')}.txt`));
    appendFileSync(path.join(big, 'f04999.txt'), ' and more');
    writeFileSync(path.join(big, 'a-first.txt'), 'new');
    writeFileSync(path.join(big, 'z-last.txt'), 'new');
    // paused once its first changes are appended (the folder's first part holds f04999.txt), resumed: it walks again
    // from the top, and the removals come after the folder's last part of that walk
    const before = (await locationEvents(library, location.id)).length;
    const started = await library.locations.index(library.locations.byId(location.id)!, {});
    while ((await locationEvents(library, location.id)).length === before) await new Promise((r) => setImmediate(r));
    library.jobs.pauseAll();
    const paused = await started.done;
    assert.is(paused.status, 'paused');
    const again = await (await library.jobs.resume(paused.id, {})).done;
    assert.is(again.status, 'completed');
    assert.equal(
      { added: again.output?.added, modified: again.output?.modified, removed: again.output?.removed, moved: again.output?.moved },
      { added: 2, modified: 2, removed: 3, moved: 0 }, // modified: f04999.txt, and the folder `big` (its time)
    );
    const after = library.locations.byId(location.id)!;
    assert.is(after.files, 10_200);
    assert.is(library.locations.entries(after, 'big', false).length, 10_199);
    const unchanged = await rescan(library, location.id);
    assert.equal([unchanged.output?.added, unchanged.output?.modified, unchanged.output?.removed], [0, 0, 0]);
    assert.ok(library.verify().equal, 'rebuild == incremental');
  });
});

Indexer('casIds equal the golden vectors; identities carry kind and MIME; zero-byte files get none', async () => {
  const golden = JSON.parse(readFileSync(sharedPath('reference/cas-vectors.json'), 'utf8')) as { vectors: { input: string; size: number; casId: string }[] };
  await withLibrary(async (library, dir) => {
    for (const [i, v] of golden.vectors.entries()) {
      const bytes = v.input.startsWith('utf8:') ? Buffer.from(v.input.slice(5)) : v.input.startsWith('bytes:') ? Buffer.from(v.input.slice(6), 'hex')
        : Buffer.from(Array.from({ length: v.size }, (_, k) => k % 251));
      writeFileSync(path.join(dir, `vector-${i}`), bytes);
    }
    writeFileSync(path.join(dir, 'empty.txt'), '');
    const { location } = await add(library, dir);
    const byName = new Map(library.locations.entries(location, '', false).map((e) => [e.name, e]));
    golden.vectors.forEach((v, i) => assert.is(byName.get(`vector-${i}`)?.casId, v.casId));
    assert.is(byName.get('empty.txt')?.casId, null);
    assert.is(byName.get('vector-0')?.contentKind, 'text');
  });
});

Indexer('a rescan of an unchanged tree appends only a scan record; edits are recorded exactly', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'a.txt': 'alpha', 'b.txt': 'bravo', 'keep/c.txt': 'charlie', 'old/d.txt': 'delta', 'gone.txt': 'bye' });
    const past = new Date(Date.now() - 60_000);
    for (const d of ['keep', 'old', '.']) utimesSync(path.join(dir, d), past, past);
    const { location } = await add(library, dir);
    const before = (await locationEvents(library, location.id)).length;
    const same = await rescan(library, location.id);
    assert.is(same.status, 'completed');
    assert.equal(await locationEvents(library, location.id).then((e) => e.slice(before)), ['LocationScanned']);
    assert.equal([same.output?.added, same.output?.modified, same.output?.moved, same.output?.removed], [0, 0, 0, 0]);

    appendFileSync(path.join(dir, 'a.txt'), ' and more');
    renameSync(path.join(dir, 'old'), path.join(dir, 'new'));
    rmSync(path.join(dir, 'gone.txt'));
    writeFileSync(path.join(dir, 'keep', 'e.txt'), 'echo');
    const edited = await rescan(library, location.id);
    // root: a.txt modified, old → new moved, gone.txt removed; keep/: e.txt added and keep itself modified (mtime)
    assert.equal(
      { added: edited.output?.added, modified: edited.output?.modified, moved: edited.output?.moved, removed: edited.output?.removed },
      { added: 1, modified: 2, moved: 1, removed: 1 },
    );
    const paths = tree(library, location.id).map((e) => e.path).sort();
    assert.equal(paths, ['a.txt', 'b.txt', 'keep', 'keep/c.txt', 'keep/e.txt', 'new', 'new/d.txt']);
    const a = tree(library, location.id).find((e) => e.path === 'a.txt')!;
    assert.is(a.size, 'alpha and more'.length);
    assert.ok(a.casId, 'the modified file is identified again');
    const root = library.locations.byId(location.id)!;
    assert.is(root.files, 5);
    assert.is(root.bytes, 'alpha and more'.length + 5 + 7 + 5 + 4);
    const keep = tree(library, location.id).find((e) => e.path === 'keep')!;
    assert.equal([keep.agg, keep.files, keep.children], [11, 2, 2]);
    assertAggregates(library, location.id);
    assert.ok(library.verify().equal, 'rebuild == incremental');
  });
});

Indexer('folder aggregates add up at every depth: after the first index, and after a rescan adds and removes deep down', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, {
      'top.txt': '1',
      'a/a1.txt': '22',
      'a/b/b1.txt': '333',
      'a/b/c/c1.txt': '4444',
      'a/b/c/d/d1.txt': '55555',
      'a/b/c/d/d2.txt': '666666',
      'a/b/c2/x.txt': '7777777',
      'e/f/g/h/deep.txt': '88888888',
      'e/f/empty/.keep': '',
    });
    const { location } = await add(library, dir, 'shallow');
    assertAggregates(library, location.id);
    assert.equal(tree(library, location.id).find((e) => e.path === 'a')!.agg, 2 + 3 + 4 + 5 + 6 + 7);

    writeTree(dir, { 'a/b/c/d/new/n.txt': '123456789', 'e/f/g/h2/more.txt': 'ab' });
    rmSync(path.join(dir, 'a/b/c/c1.txt'));
    rmSync(path.join(dir, 'a/b/c2'), { recursive: true });
    const rescanned = await rescan(library, location.id);
    assert.is(rescanned.status, 'completed');
    assertAggregates(library, location.id);
    assert.equal(tree(library, location.id).find((e) => e.path === 'a')!.agg, 2 + 3 + 5 + 6 + 9);
    assert.ok(library.verify().equal, 'rebuild == incremental');
  });
});

Indexer('content identities count every copy, in one directory, across directories and appends; media from the first copy', async () => {
  await withLibrary(async (library, dir) => {
    // a 3×2 PNG: signature, IHDR with width 3 and height 2
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0]), Buffer.alloc(4),
      Buffer.from('0000000049454e44ae426082', 'hex'),
    ]);
    writeTree(dir, {
      'a/one.txt': 'same', 'a/two.txt': 'same', 'b/three.txt': 'same', 'b/own.txt': 'unique',
      'pics/a.png': png, 'pics/b.png': png, 'z/later.txt': 'same',
    });
    const { location } = await add(library, dir, 'deep');
    const contents = () => {
      const raw = new Database(path.join(library.path, 'library.db'), { readonly: true });
      try {
        return raw.prepare('SELECT kind, mime, size, entries, width, height, media_format AS format FROM content_identities ORDER BY size, entries').all();
      } finally {
        raw.close();
      }
    };
    assert.equal(contents(), [
      { kind: 'text', mime: 'text/plain', size: 4, entries: 4, width: null, height: null, format: null },
      { kind: 'text', mime: 'text/plain', size: 6, entries: 1, width: null, height: null, format: null },
      { kind: 'image', mime: 'image/png', size: png.length, entries: 2, width: 3, height: 2, format: 'png' },
    ]);
    rmSync(path.join(dir, 'a', 'two.txt'));
    rmSync(path.join(dir, 'pics', 'a.png'));
    writeFileSync(path.join(dir, 'b', 'four.txt'), 'same');
    const edited = await rescan(library, location.id);
    assert.equal([edited.output?.added, edited.output?.removed], [1, 2]);
    assert.equal(contents().map((c) => (c as { entries: number }).entries), [4, 1, 1]);
    assert.ok(library.verify().equal, 'rebuild == incremental');
    assert.is(library.locations.byId(location.id)!.files, 6);
  });
});

Indexer('a content index rescanned in deep mode gains its images\' dimensions; another deep rescan reads nothing again', async () => {
  await withLibrary(async (library, dir) => {
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 0, 5, 0, 0, 0, 4, 8, 2, 0, 0, 0]), Buffer.alloc(4),
      Buffer.from('0000000049454e44ae426082', 'hex'),
    ]);
    writeTree(dir, { 'p.png': png, 'copy.png': png, 'note.txt': 'text' });
    const { location } = await add(library, dir, 'content');
    const media = () => library.locations.entries(library.locations.byId(location.id)!, '', true).filter((e) => e.name.endsWith('.png')).map((e) => [e.width, e.height, e.mediaFormat]);
    assert.equal(media(), [[null, null, null], [null, null, null]]);
    const deep = await rescan(library, location.id, { mode: 'deep' });
    assert.is(deep.status, 'completed');
    assert.equal(media(), [[5, 4, 'png'], [5, 4, 'png']]);
    const before = (await locationEvents(library, location.id)).length;
    const again = await rescan(library, location.id, { mode: 'deep' });
    assert.is(again.output?.identified, 0);
    assert.equal((await locationEvents(library, location.id)).slice(before), ['LocationScanned']);
    assert.ok(library.verify().equal, 'rebuild == incremental');
  });
});

Indexer('a move is found by inode after the same scan has added entries elsewhere', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'a/moved.txt': 'moving', 'c/dir/inner.txt': 'inner', 'h/one.txt': 'linked', 'z/stay.txt': 'stay' });
    linkSync(path.join(dir, 'h', 'one.txt'), path.join(dir, 'h', 'two.txt'));
    const past = new Date(Date.now() - 60_000);
    for (const d of ['a', 'c', 'h', 'z', '.']) utimesSync(path.join(dir, d), past, past);
    const { location } = await add(library, dir);
    // the walk meets b/new.txt (added), then c/dir2 (moved from c/dir), then h/three.txt (moved from h/one.txt, not
    // from h/two.txt, which shares its inode and is still there), then y/moved.txt (moved from a/)
    writeTree(dir, { 'b/new.txt': 'new' });
    renameSync(path.join(dir, 'c', 'dir'), path.join(dir, 'c', 'dir2'));
    renameSync(path.join(dir, 'h', 'one.txt'), path.join(dir, 'h', 'three.txt'));
    mkdirSync(path.join(dir, 'y'));
    renameSync(path.join(dir, 'a', 'moved.txt'), path.join(dir, 'y', 'moved.txt'));
    const edited = await rescan(library, location.id);
    assert.equal([edited.output?.moved, edited.output?.added, edited.output?.removed], [3, 3, 0], 'b, b/new.txt and y are new');
    const paths = tree(library, location.id).map((e) => e.path).sort();
    assert.equal(paths, [
      'a', 'b', 'b/new.txt', 'c', 'c/dir2', 'c/dir2/inner.txt', 'h', 'h/three.txt', 'h/two.txt', 'y', 'y/moved.txt', 'z', 'z/stay.txt',
    ]);
    assert.ok(tree(library, location.id).find((e) => e.path === 'y/moved.txt')!.casId, 'a moved file keeps its casId');
    assert.ok(library.verify().equal, 'rebuild == incremental');
  });
});

Indexer('shallow records no content; a content rescan identifies what is missing', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'x/one.txt': 'one', 'x/two.txt': 'two', 'x/dup.txt': 'one' });
    const { location } = await add(library, dir, 'shallow');
    assert.ok(tree(library, location.id).every((e) => e.casId === null));
    const job = await rescan(library, location.id, { mode: 'content' });
    assert.is(job.output?.identified, 3);
    const cas = tree(library, location.id).filter((e) => e.kind === 'file').map((e) => e.casId);
    assert.ok(cas.every(Boolean));
    assert.is(new Set(cas).size, 2, 'duplicates share a casId');
    assert.ok(library.verify().equal);
  });
});

Indexer('hostile names, symlink loops, zero-byte and sparse 10 GiB files', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'with space.txt': 's', 'new\nline.txt': 'n', 'emoji 🎉.txt': 'e', 'loop/inner.txt': 'i', 'empty': '' });
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]), 'invalid utf-8');
    // a name spelled as another's stand-in: the raw one takes another name, and both are indexed
    mkdirSync(path.join(dir, 'twins'));
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/twins/x`), Buffer.from([0xff])]), 'raw');
    writeFileSync(path.join(dir, 'twins', 'x\\xff'), 'spelled');
    symlinkSync('..', path.join(dir, 'loop', 'up'));
    symlinkSync('self', path.join(dir, 'self'));
    execFileSync('mkfifo', [path.join(dir, 'a-fifo')]);
    const big = path.join(dir, 'sparse.img');
    writeFileSync(big, '');
    truncateSync(big, 10 * 1024 ** 3);
    const { location, job } = await add(library, dir);
    const entries = tree(library, location.id);
    const names = entries.map((e) => e.path).sort();
    assert.ok(names.includes('new\nline.txt'));
    assert.ok(names.includes('emoji 🎉.txt'));
    assert.ok(names.includes('bad-\\xff\\xfe.txt'), names.join('|'));
    assert.is(entries.find((e) => e.path === 'loop/up')?.kind, 'symlink');
    assert.is(entries.find((e) => e.path === 'self')?.kind, 'symlink');
    assert.not.ok(names.includes('a-fifo'), 'a fifo is no entry');
    assert.is(entries.find((e) => e.path === 'empty')?.casId, null);
    const sparse = entries.find((e) => e.path === 'sparse.img')!;
    assert.is(sparse.size, 10 * 1024 ** 3);
    assert.match(sparse.casId ?? '', /^[0-9a-f]{16}$/);
    assert.ok(entries.find((e) => e.path === 'bad-\\xff\\xfe.txt')?.casId, 'a file with an invalid UTF-8 name is read through its raw bytes');
    assert.equal(entries.filter((e) => e.path.startsWith('twins/')).map((e) => [e.path, e.size]).sort(), [['twins/x\\xff (raw 1)', 3], ['twins/x\\xff', 7]]);
    assert.is(job.errorCount, 0);
    const again = await rescan(library, location.id);
    assert.equal([again.output?.added, again.output?.modified, again.output?.removed], [0, 0, 0]);
    assert.ok(library.verify().equal);
  });
});

Indexer('a location folder replaced (an empty mount point, a folder in its place) or moved during a scan: the scan fails and removes nothing', async () => {
  await withLibrary(async (library, dir) => {
    for (let d = 0; d < 6; d++) for (let f = 0; f < 2000; f++) writeTree(dir, { [`d${d}/f${f}.txt`]: `${d}/${f}` });
    const { location } = await add(library, dir, 'shallow');
    assert.is(location.files, 12_000);
    const removals = async () => (await locationEvents(library, location.id)).filter((t) => t === 'EntriesRemoved').length;

    // replaced between scans: an empty folder where the indexed one was
    renameSync(dir, `${dir}.away`);
    mkdirSync(dir);
    const replaced = await rescan(library, location.id);
    assert.is(replaced.status, 'failed');
    assert.is(replaced.failure?.code, 'LOCATION_OFFLINE');
    assert.match(replaced.failure?.message ?? '', /is not the folder that was indexed/);
    rmSync(dir, { recursive: true });
    renameSync(`${dir}.away`, dir);

    // the same folder under a new inode (as a FAT disk remounted numbers it): what it holds is indexed, so it is scanned
    const fresh = `${dir}.fresh`;
    mkdirSync(fresh);
    for (const name of readdirSync(dir)) renameSync(path.join(dir, name), path.join(fresh, name));
    rmSync(dir, { recursive: true });
    renameSync(fresh, dir);
    const remounted = await rescan(library, location.id);
    assert.is(remounted.status, 'completed', JSON.stringify(remounted.failure));
    assert.equal([remounted.output?.added, remounted.output?.removed], [0, 0]);

    // moved away while the scan walks it (after its first append)
    const moved = `${dir}.moved`;
    const now = new Date();
    for (let d = 0; d < 6; d++) utimesSync(path.join(dir, `d${d}`, 'f0.txt'), now, now);
    let renamed = false;
    const stop = library.jobs.onProgress(() => {
      if (renamed) return;
      renamed = true;
      renameSync(dir, moved);
    });
    try {
      const record = await rescan(library, location.id);
      assert.ok(renamed);
      assert.is(record.status, 'failed');
      assert.is(record.failure?.code, 'LOCATION_OFFLINE');
    } finally {
      stop();
    }
    assert.is(await removals(), 0);
    assert.is(library.locations.byId(location.id)!.files, 12_000);
    renameSync(moved, dir);
    const back = await rescan(library, location.id);
    assert.is(back.status, 'completed');
    assert.equal([back.output?.added, back.output?.removed], [0, 0]);
    assert.is(library.locations.byId(location.id)!.files, 12_000);
    assert.ok(library.verify().equal);
  });
});

Indexer('a location holding spacedrive\'s data directory leaves it out, and scans clean again', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'a.txt': 'a' });
    const home = path.dirname(dir); // holds files/ and data/ (the library's data directory)
    const { location } = await add(library, home);
    assert.equal(tree(library, location.id).map((e) => e.path).sort(), ['files', 'files/a.txt']);
    const again = await rescan(library, location.id);
    assert.equal([again.output?.added, again.output?.modified, again.output?.removed, again.output?.identified], [0, 0, 0, 0]);
  });
});

Indexer('a folder of long names is recorded in events well under 64 KiB each', async () => {
  await withLibrary(async (library, dir) => {
    for (let i = 0; i < 1000; i++) writeFileSync(path.join(dir, `${String(i).padStart(4, '0')}${'n'.repeat(241)}`), '');
    const { location } = await add(library, dir, 'shallow');
    assert.is(location.files, 1000);
    const added = (await library.readEvents({ streamId: `location-${location.id}` })).filter((e) => e.type === 'EntriesAdded');
    assert.ok(added.length > 1);
    for (const e of added) assert.ok(JSON.stringify(e.data).length < 64 * 1024, `${JSON.stringify(e.data).length} bytes`);
  });
});

Indexer('adding a missing path, a file, a nested or an enclosing folder is refused and appends nothing', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'inner/deeper/f.txt': 'f', 'file.txt': 'x' });
    await add(library, path.join(dir, 'inner'));
    const head = (await library.readEvents()).length;
    const refused = async (p: string, code: string) => {
      try {
        await library.locations.add({ path: p });
      } catch (err) {
        assert.instance(err, DomainError);
        assert.is((err as DomainError).code, code, (err as Error).message);
        return;
      }
      assert.unreachable(`${p} was accepted`);
    };
    await refused(path.join(dir, 'missing'), 'LOCATION_PATH_MISSING');
    await refused(path.join(dir, 'file.txt'), 'LOCATION_NOT_DIRECTORY');
    await refused(path.join(dir, 'inner'), 'LOCATION_EXISTS');
    await refused(path.join(dir, 'inner', 'deeper'), 'LOCATION_NESTED');
    await refused(dir, 'LOCATION_NESTED');
    assert.is((await library.readEvents()).length, head);
  });
});

Indexer('a paused job resumes from its checkpoint to the same read model as an uninterrupted run', async () => {
  await withLibrary(async (library, dir) => {
    for (let d = 0; d < 30; d++) for (let f = 0; f < 40; f++) writeTree(dir, { [`d${d}/f${f}.txt`]: `content ${d} ${f}` });
    const { location, job } = await library.locations.add({ path: dir });
    library.jobs.pauseAll();
    const paused = await job.done;
    assert.is(paused.status, 'paused');
    const resumed = await library.jobs.resume(paused.id, {});
    const done = await resumed.done;
    assert.is(done.status, 'completed');
    const l = library.locations.byId(location.id)!;
    assert.is(l.files, 1200);
    assert.is(l.directories, 30);
    assert.ok(tree(library, location.id).every((e) => e.kind === 'directory' || e.casId));
    try {
      await library.jobs.resume(paused.id, {});
      assert.unreachable();
    } catch (err) {
      assert.is((err as DomainError).code, 'JOB_FINISHED');
    }
    assert.ok(library.verify().equal);
  });
});

Indexer('a job killed between an append and its next checkpoint resumes to the counts of an uninterrupted run', async () => {
  const t = tempDir();
  try {
    const files = path.join(t.dir, 'files');
    for (let d = 0; d < 30; d++) for (let f = 0; f < 40; f++) writeTree(files, { [`d${d}/f${f}.txt`]: `content ${d} ${f}` });
    const counts = (j: JobRecord) => ['added', 'modified', 'moved', 'removed', 'identified'].map((k) => j.output?.[k]);
    const die = fileURLToPath(new URL('../support/die-after-append.js', import.meta.url));
    // a first content scan dies after its first entries are appended; a content rescan of a shallow index after its
    // first casIds are
    for (const [modes, event] of [[['content'], 'EntriesAdded'], [['shallow', 'content'], 'ContentIdentified']] as const) {
      const dataDir = path.join(t.dir, `data-${modes.join('-')}`);
      const child = spawnSync(process.execPath, [die, dataDir, files, modes.join(','), event], { encoding: 'utf8' });
      assert.is(child.signal, 'SIGKILL', child.stderr);
      const reference = path.join(t.dir, `reference-${modes.join('-')}`);
      const core = await openCore({ dataDir: reference });
      const whole = await core.libraries.open().then(async (library) => {
        let record: JobRecord | undefined;
        for (const mode of modes) {
          const l = library.locations.list()[0];
          record = await (l ? library.locations.index(l, { mode }) : library.locations.add({ path: files, mode }).then((r) => r.job)).then((j) => j.done);
        }
        return record!;
      });
      core.close();

      const again = await openCore({ dataDir });
      try {
        const library = await again.libraries.open();
        const left = library.listJobs('running');
        assert.is(left.length, 1, 'the killed process left its job running');
        const done = await (await library.jobs.resume(left[0].id, {})).done;
        assert.is(done.status, 'completed');
        assert.equal(counts(done), counts(whole), `${modes.join(', ')}: what the killed run appended after its checkpoint is counted`);
        assert.ok(counts(done).some((n) => Number(n) > 0));
        assert.ok(library.verify().equal);
      } finally {
        again.close();
      }
    }
  } finally {
    t.cleanup();
  }
});

Indexer('a resumed job records a walk error an earlier run of it recorded once, not twice', async () => {
  const t = tempDir();
  try {
    chmodSync(t.dir, 0o777);
    const files = path.join(t.dir, 'files');
    // an unreadable folder the walk meets first, then entries for several appends (some after the kill)
    writeTree(files, { 'a-locked/secret.txt': 's' });
    for (let d = 0; d < 12; d++) for (let f = 0; f < 500; f++) writeTree(files, { [`d${d}/f${f}.txt`]: `${d} ${f}` });
    chmodSync(path.join(files, 'a-locked'), 0o000);
    const dataDir = unprivilegedDataDir(path.join(t.dir, 'data'));
    // root reads everything: the process that dies runs as nobody when we are root
    const die = fileURLToPath(new URL('../support/die-after-append.js', import.meta.url));
    // it dies right after its errors are committed: the resumed walk meets the same folder again
    const child = spawnSync(process.execPath, [die, dataDir, files, 'shallow', 'JobErrorsRecorded'], { encoding: 'utf8', env: { ...process.env, HOME: dataDir }, ...UNPRIVILEGED });
    if (child.error) {
      console.log(`    (skipped: cannot run a process as an unprivileged user: ${child.error.message})`);
      return;
    }
    assert.is(child.signal, 'SIGKILL', child.stderr);
    try {
      // the resume runs as nobody too (as root it would read the folder), through the CLI
      const cli = (...args: string[]) => {
        const r = runCliUnprivileged(dataDir, args);
        assert.is(r.status, 0, r.stderr + r.stdout);
        return JSON.parse(r.stdout) as unknown;
      };
      const [left] = cli('job', 'list', '--status', 'running') as { id: string }[];
      const errorsOf = () => (cli('job', 'info', left.id) as { errors: { path: string }[] }).errors.map((e) => e.path);
      assert.equal(errorsOf(), ['a-locked'], 'the killed run recorded the error');
      const done = cli('job', 'resume', left.id) as { status: string; output: { errors: number; added: number } };
      assert.is(done.status, 'completed');
      assert.equal(errorsOf(), ['a-locked']);
      assert.is(done.output.errors, 1);
      assert.is(done.output.added, 12 * 500 + 13, 'every entry counted once');
    } finally {
      chmodSync(path.join(files, 'a-locked'), 0o755);
    }
  } finally {
    t.cleanup();
  }
});

Indexer('a rescan paused mid-walk (the walk on its own thread) resumes to exactly the changes', async () => {
  await withLibrary(async (library, dir) => {
    for (let d = 0; d < 30; d++) for (let f = 0; f < 40; f++) writeTree(dir, { [`d${d}/f${f}.txt`]: `content ${d} ${f}` });
    const { location } = await add(library, dir, 'shallow');
    for (let d = 0; d < 30; d += 3) rmSync(path.join(dir, `d${d}`, 'f7.txt'));
    writeTree(dir, { 'd29/new.txt': 'new', 'd0/f1.txt': 'changed size' });
    const started = await library.locations.index(library.locations.byId(location.id)!, {});
    library.jobs.pauseAll();
    const paused = await started.done;
    assert.is(paused.status, 'paused');
    const done = await (await library.jobs.resume(paused.id, {})).done;
    assert.is(done.status, 'completed');
    // modified: d0/f1.txt, and the folders whose times changed: the ten that lost a file and d29
    assert.equal([done.output?.added, done.output?.modified, done.output?.removed], [1, 12, 10]);
    assert.is(library.locations.byId(location.id)!.files, 1200 - 10 + 1);
    const again = await rescan(library, location.id);
    assert.equal([again.output?.added, again.output?.modified, again.output?.removed], [0, 0, 0]);
    assert.ok(library.verify().equal);
  });
});

Indexer('pausing a paused job and resuming a running one are clear errors', async () => {
  await withLibrary(async (library, dir) => {
    for (let f = 0; f < 50; f++) writeTree(dir, { [`f${f}.txt`]: `${f}` });
    const { job } = await library.locations.add({ path: dir });
    try {
      await library.jobs.resume(job.jobId, {});
      assert.unreachable();
    } catch (err) {
      assert.is((err as DomainError).code, 'JOB_ALREADY_RUNNING');
    }
    library.jobs.pauseAll();
    await job.done;
    try {
      await library.jobs.pause(job.jobId, {});
      assert.unreachable();
    } catch (err) {
      assert.is((err as DomainError).code, 'JOB_ALREADY_PAUSED');
    }
    const cancelled = await library.jobs.cancel(job.jobId, {});
    assert.is(cancelled.status, 'cancelled');
  });
});

Indexer('a location removed while its job runs ends the job with a clear failure', async () => {
  await withLibrary(async (library, dir) => {
    for (let d = 0; d < 20; d++) for (let f = 0; f < 300; f++) writeTree(dir, { [`d${d}/f${f}.txt`]: `${d}/${f}` });
    // removed as soon as the job reports its first appended batch: it has at least its scan record still to write
    let removal: Promise<void> | undefined;
    const stop = library.jobs.onProgress(() => {
      removal ??= library.locations.remove(library.locations.list()[0]);
    });
    const { job } = await library.locations.add({ path: dir });
    const record = await job.done;
    stop();
    await removal;
    assert.is(record.status, 'failed');
    assert.is(record.failure?.code, 'LOCATION_REMOVED');
    assert.is(library.locations.list().length, 0);
    assert.ok(library.verify().equal);
  });
});

Indexer('a location whose folder is gone fails its rescan clearly and keeps its index', async () => {
  await withLibrary(async (library, dir) => {
    const folder = path.join(dir, 'disk');
    writeTree(folder, { 'a.txt': 'a', 'b/c.txt': 'c' });
    const { location } = await add(library, folder);
    renameSync(folder, path.join(dir, 'unmounted'));
    const job = await rescan(library, location.id);
    assert.is(job.status, 'failed');
    assert.is(job.failure?.code, 'LOCATION_OFFLINE');
    assert.is(library.locations.byId(location.id)!.files, 2);
  });
});

Indexer('while one process holds the library, another reads its locations, entries and jobs without the lock', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, { 'a.txt': 'a', 'b/c.txt': 'c' });
    const { location, job } = await add(library, dir);
    const other = await openCore({ dataDir: path.dirname(path.dirname(library.path)) });
    try {
      try {
        await other.libraries.open();
        assert.unreachable('a second open must wait for the lock');
      } catch (err) {
        assert.is((err as DomainError).code, 'LIBRARY_LOCKED');
      }
      const reader = await other.libraries.openReader();
      try {
        assert.equal(reader.locations.list().map((l) => [l.id, l.files]), [[location.id, 2]]);
        assert.equal(reader.locations.entries(reader.locations.resolve(location.name), '', true).length, 3);
        assert.equal(reader.listJobs().map((j) => j.id), [job.id]);
        assert.is(reader.jobInfo(job.id.slice(0, 12)).status, 'completed');
      } finally {
        reader.close();
      }
    } finally {
      other.close();
    }
  });
});

Indexer('rules: system, VCS and dev folders, .gitignore, hidden toggle, accept/reject globs', async () => {
  await withLibrary(async (library, dir) => {
    writeTree(dir, {
      '.git/HEAD': 'ref', 'Thumbs.db': 'x', 'target/debug/app': 'bin', '.gitignore': '*.tmp\nsecret/\n', 'scratch.tmp': 't', 'secret/key.txt': 'k',
      '.hidden': 'h', 'photo.jpg': 'jpg', 'notes.txt': 'n', 'private/p.txt': 'p',
    });
    const { location } = await add(library, dir, 'shallow', { includeHidden: false, reject: ['private/**', 'private'] });
    assert.equal(tree(library, location.id).map((e) => e.path).sort(), ['notes.txt', 'photo.jpg']);
  });
});

Indexer.run();
