import { lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DirectoryListing, WalkOptions } from '../../src/commands/locations/ports.js';
import { DEFAULT_INDEXER_RULES } from '../../src/domain/location/indexer-rules.js';
import { WalkThreads } from '../../src/infra/filesystem/walk-thread.js';
import { decodeChunk, type WalkChunk } from '../../src/infra/filesystem/walk-wire.js';
import { statLeftFiles, walk } from '../../src/infra/filesystem/walker.js';
import { withIndexerFs } from '../support/indexer-fs.js';
import { tempDir } from '../support/temp.js';

const test = suite('walk thread (walkAhead)');

/**
 * A tree with what a walk must carry across threads: names with a newline, emoji and spaces; a folder and a file
 * named in bytes that are not UTF-8 (their paths are Buffers); a symlink loop; what the rules skip (.gitignore,
 * node_modules, .DS_Store); and more folders and entries than one chunk holds.
 */
function hostileTree(root: string): void {
  mkdirSync(path.join(root, 'a', 'b', 'c'), { recursive: true });
  writeFileSync(path.join(root, 'a', 'b', 'c', 'deep.txt'), 'deep');
  writeFileSync(path.join(root, 'line\nbreak.txt'), 'x');
  writeFileSync(path.join(root, 'emoji 🎉 name.md'), '# hi');
  writeFileSync(path.join(root, 'empty'), '');
  const rawDir = Buffer.concat([Buffer.from(`${root}/bad`), Buffer.from([0xff, 0xfe])]);
  mkdirSync(rawDir);
  writeFileSync(Buffer.concat([rawDir, Buffer.from('/inside.txt')]), 'inside');
  writeFileSync(Buffer.concat([rawDir, Buffer.from('/n'), Buffer.from([0xc3, 0x28]), Buffer.from('.md')]), 'raw name');
  symlinkSync('.', path.join(root, 'a', 'loop'));
  symlinkSync('nowhere', path.join(root, 'dangling'));
  writeFileSync(path.join(root, '.gitignore'), '*.log\n');
  writeFileSync(path.join(root, 'skipped.log'), 'ignored');
  writeFileSync(path.join(root, '.DS_Store'), 'system');
  mkdirSync(path.join(root, 'node_modules', 'pkg'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', 'pkg', 'index.js'), '');
  for (let d = 0; d < 150; d++) {
    const dir = path.join(root, 'many', `d${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 10; f++) writeFileSync(path.join(dir, `f${f}.txt`), `${d}/${f}`);
  }
}

async function collect(listings: AsyncIterable<DirectoryListing>): Promise<DirectoryListing[]> {
  const out: DirectoryListing[] = [];
  for await (const l of listings) out.push(l);
  return out;
}

test('gives the listings walk gives, in the same order: odd names, byte paths, a loop, rules, many chunks', async () => {
  await withIndexerFs(async (fs, dir) => {
    hostileTree(dir);
    const variants: WalkOptions[] = [
      { rules: DEFAULT_INDEXER_RULES },
      { rules: DEFAULT_INDEXER_RULES, maxDepth: 1 },
      { rules: DEFAULT_INDEXER_RULES, statFiles: false },
      { rules: { ...DEFAULT_INDEXER_RULES, includeHidden: false, reject: ['d1*/'] } },
      // the walk thread stats every other file, this thread the rest: the listings are the same
      { rules: DEFAULT_INDEXER_RULES, shareStats: true },
      { rules: DEFAULT_INDEXER_RULES, shareStats: true, partEntries: 7 },
    ];
    for (const options of variants) {
      const expected = [...fs.walk(dir, options)];
      const got = await collect(fs.walkAhead(dir, options));
      assert.equal(got, expected, JSON.stringify(options));
    }
    const all = [...fs.walk(dir, variants[0])];
    assert.ok(all.length > 150, 'more listings than one chunk holds');
    const names = all.flatMap((l) => l.entries.map((e) => e.name));
    assert.ok(names.includes('line\nbreak.txt') && names.includes('loop') && !names.includes('skipped.log') && !names.includes('index.js'));
    const raw = all.flatMap((l) => l.entries).filter((e) => e.rawName);
    assert.is(raw.length, 2, 'the folder and the file named in bytes');
    assert.ok(all.some((l) => Buffer.isBuffer(l.diskPath)), 'a listing under the byte-named folder has a Buffer path');
  });
});

test('with partEntries a big folder comes in parts, each but the last marked more; its subfolders follow the last part', async () => {
  await withIndexerFs(async (fs, dir) => {
    hostileTree(dir);
    const big = path.join(dir, 'many');
    for (let f = 0; f < 25; f++) writeFileSync(path.join(big, `file${f}.txt`), `${f}`);
    const whole = [...fs.walk(big, { rules: DEFAULT_INDEXER_RULES })];
    const parted = [...fs.walk(big, { rules: DEFAULT_INDEXER_RULES, partEntries: 40 })];
    const top = parted.filter((l) => l.relPath === '');
    assert.equal(top.map((l) => [l.entries.length, l.more ?? false]), [[40, true], [40, true], [40, true], [40, true], [15, false]], '175 entries in parts of 40');
    assert.equal(top.flatMap((l) => l.entries), whole[0].entries, 'the parts hold the listing, in order');
    assert.equal(parted.slice(top.length), whole.slice(1), 'then the subfolders, as without parts');
    assert.ok(parted.slice(0, top.length).every((l) => l.relPath === ''), 'the parts come in a row');
    assert.equal(await collect(fs.walkAhead(big, { rules: DEFAULT_INDEXER_RULES, partEntries: 40 })), parted, 'the walk thread gives the same parts');
  });
});

test('leaveAlternateFiles leaves every other regular file unstated; statLeftFiles stats them, leaving out what is gone or now a folder', async () => {
  const tmp = tempDir();
  try {
    for (let i = 0; i < 10; i++) writeFileSync(path.join(tmp.dir, `f${i}.txt`), 'x'.repeat(i));
    mkdirSync(path.join(tmp.dir, 'sub'));
    symlinkSync('f0.txt', path.join(tmp.dir, 'link'));
    const [whole] = [...walk(tmp.dir, { rules: DEFAULT_INDEXER_RULES, maxDepth: 0 })];
    const [listing] = [...walk(tmp.dir, { rules: DEFAULT_INDEXER_RULES, maxDepth: 0, leaveAlternateFiles: true })];
    const left = listing.entries.filter((e) => e.unstated).map((e) => e.name);
    assert.equal(left, ['f0.txt', 'f2.txt', 'f4.txt', 'f6.txt', 'f8.txt'], 'every other file; the folder and the symlink are stat\'ed');
    // between the listing and the stat: one file deleted, one replaced by a folder, one by a symlink
    rmSync(path.join(tmp.dir, 'f2.txt'));
    rmSync(path.join(tmp.dir, 'f4.txt'));
    mkdirSync(path.join(tmp.dir, 'f4.txt'));
    rmSync(path.join(tmp.dir, 'f6.txt'));
    symlinkSync('f1.txt', path.join(tmp.dir, 'f6.txt'));
    statLeftFiles(listing);
    const expected = whole.entries
      .filter((e) => e.name !== 'f2.txt' && e.name !== 'f4.txt')
      .map((e) => (e.name === 'f6.txt' ? { ...e, kind: 'symlink', size: 6, inode: lstatSync(path.join(tmp.dir, 'f6.txt')).ino, modifiedAt: Math.trunc(lstatSync(path.join(tmp.dir, 'f6.txt')).mtimeMs) } : e));
    assert.equal(listing.entries, expected);
    assert.equal(listing.entryErrors, []);
  } finally {
    tmp.cleanup();
  }
});

test('with shareStats the walk thread itself leaves every other file unstated (the walk taker stats them)', async () => {
  const tmp = tempDir();
  const worker = new Worker(new URL('../../src/infra/filesystem/walk-worker.js', import.meta.url));
  try {
    for (let i = 0; i < 10; i++) writeFileSync(path.join(tmp.dir, `f${i}.txt`), `${i}`);
    const raw = async (shareStats: boolean) => {
      const id = shareStats ? 2 : 1;
      const reply = new Promise<WalkChunk>((resolve) => worker.on('message', (m: WalkChunk) => m.id === id && resolve(m)));
      worker.postMessage({ op: 'start', id, root: tmp.dir, options: { rules: DEFAULT_INDEXER_RULES, shareStats }, credits: 1 });
      return decodeChunk(await reply)[0].entries.filter((e) => e.unstated).length;
    };
    assert.is(await raw(false), 0);
    assert.is(await raw(true), 5);
  } finally {
    await worker.terminate();
    tmp.cleanup();
  }
});

test('after a walk left early, the next walk on its thread gives only its own listings', async () => {
  await withIndexerFs(async (fs, dir) => {
    hostileTree(dir);
    const other = path.join(dir, 'many');
    for await (const listing of fs.walkAhead(dir, { rules: DEFAULT_INDEXER_RULES })) {
      assert.is(listing.relPath, '');
      break;
    }
    const expected = [...fs.walk(other, { rules: DEFAULT_INDEXER_RULES })];
    assert.equal(await collect(fs.walkAhead(other, { rules: DEFAULT_INDEXER_RULES })), expected);
  });
});

test('a folder that cannot be listed is a listing with an error, as in walk', async () => {
  await withIndexerFs(async (fs, dir) => {
    const missing = path.join(dir, 'not-there');
    const got = await collect(fs.walkAhead(missing, { rules: DEFAULT_INDEXER_RULES }));
    assert.equal(got, [...fs.walk(missing, { rules: DEFAULT_INDEXER_RULES })]);
    assert.is(got[0].error?.code, 'ENOENT');
  });
});

test('closing the filesystem while a walk runs ends the walk with an error instead of leaving it waiting', async () => {
  await withIndexerFs(async (fs, dir) => {
    hostileTree(dir);
    const listings = fs.walkAhead(dir, { rules: DEFAULT_INDEXER_RULES })[Symbol.asyncIterator]();
    assert.is((await listings.next()).done, false);
    fs.close();
    let failure: Error | null = null;
    try {
      for (;;) if ((await listings.next()).done) break;
    } catch (err) {
      failure = err as Error;
    }
    assert.match(failure?.message ?? 'no error', /the library was closed/);
  });
});

/** This process's threads (Linux). */
const threadCount = () => readdirSync('/proc/self/task').length;

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
}

test('a walk thread is kept for the next walk, and let go once unused for its idle time', async () => {
  const threads = new WalkThreads(300);
  const tmp = tempDir();
  try {
    hostileTree(tmp.dir);
    const before = threadCount();
    await collect(threads.walk(tmp.dir, { rules: DEFAULT_INDEXER_RULES }));
    assert.is(threadCount(), before + 1, 'the walk thread is kept');
    await collect(threads.walk(tmp.dir, { rules: DEFAULT_INDEXER_RULES }));
    assert.is(threadCount(), before + 1, 'the next walk took the kept thread');
    assert.ok(await until(() => threadCount() === before), 'let go after its idle time');
    assert.is((await collect(threads.walk(tmp.dir, { rules: DEFAULT_INDEXER_RULES }))).length > 150, true, 'a later walk starts a thread again');
  } finally {
    threads.close();
    tmp.cleanup();
  }
});

test('a kept walk thread that died is not handed to the next walk, and its error does not end the process', async () => {
  const threads = new WalkThreads();
  const tmp = tempDir();
  try {
    hostileTree(tmp.dir);
    const expected = await collect(threads.walk(tmp.dir, { rules: DEFAULT_INDEXER_RULES }));
    // the thread now waits, kept, for the next walk: kill it as an out-of-memory or a crash would
    const kept = (threads as unknown as { idle: { worker: { terminate(): Promise<number> } }[] }).idle;
    assert.is(kept.length, 1);
    await kept[0].worker.terminate();
    // handed a dead thread, the walk would wait forever: give it ten seconds
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the walk never ended')), 10_000)));
    try {
      assert.equal(await Promise.race([collect(threads.walk(tmp.dir, { rules: DEFAULT_INDEXER_RULES })), timeout]), expected);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    threads.close();
    tmp.cleanup();
  }
});

test('releaseThreads lets the hashing threads go, at once or when the batch out comes back; the next batch starts them again', async () => {
  await withIndexerFs(async (fs, dir) => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'some text');
    const before = threadCount();
    const [first] = await fs.identifyMany([{ diskPath: file, name: 'a.txt' }], false);
    assert.ok(threadCount() > before, 'hashing threads started');
    fs.releaseThreads();
    assert.ok(await until(() => threadCount() === before), 'and let go');
    const [again] = await fs.identifyMany([{ diskPath: file, name: 'a.txt' }], false);
    assert.equal(again, first);
    // asked while a batch is out: the threads go once it is back
    const out = fs.identifyMany([{ diskPath: file, name: 'a.txt' }], false);
    fs.releaseThreads();
    assert.equal((await out)[0], first);
    assert.ok(await until(() => threadCount() === before), 'let go once the batch came back');
  });
});

test.run();
