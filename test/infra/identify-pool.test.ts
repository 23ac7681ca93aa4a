import { lstatSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CasHasher } from '../../src/infra/filesystem/cas-id.js';
import { DEFAULT_INDEXER_RULES } from '../../src/domain/location/indexer-rules.js';
import { withIndexerFs } from '../support/indexer-fs.js';

const test = suite('hashing threads (identifyMany)');

test('results come back in order: content, a file deleted since the walk, one grown since, one empty, one named in bytes, one now a symlink', async () => {
  await withIndexerFs(async (fs, dir) => {
    const files = Array.from({ length: 50 }, (_, i) => path.join(dir, `f${i}.txt`));
    files.forEach((f, i) => writeFileSync(f, `file number ${i}`));
    const seen = files.map((f) => ({ size: statSync(f).size, modifiedAt: Math.trunc(statSync(f).mtimeMs) }));
    const gone = path.join(dir, 'gone.txt');
    const grown = path.join(dir, 'grown.txt');
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(grown, 'short');
    writeFileSync(empty, '');
    // a name that is not UTF-8 reaches the thread as bytes, with a stand-in name that gives its type
    const rawName = Buffer.from([0x6e, 0xff, 0x2e, 0x6d, 0x64]); // "n\xff.md"
    const rawPath = Buffer.concat([Buffer.from(`${dir}/`), rawName]);
    writeFileSync(rawPath, '# a heading\n');
    const link = path.join(dir, 'was-a-file');
    symlinkSync('f0.txt', link);
    const requests = [
      ...files.map((f, i) => ({ diskPath: f, name: path.basename(f), expected: seen[i] })),
      { diskPath: gone, name: 'gone.txt', expected: { size: 3, modifiedAt: 0 } },
      { diskPath: grown, name: 'grown.txt', expected: { size: 2, modifiedAt: Math.trunc(statSync(grown).mtimeMs) } },
      { diskPath: empty, name: 'empty.txt' },
      { diskPath: rawPath, name: 'n\\xff.md' },
      { diskPath: link, name: 'was-a-file' },
    ];
    const results = await fs.identifyMany(requests, false);
    assert.is(results.length, requests.length);
    const hasher = await CasHasher.create();
    results.slice(0, 50).forEach((r, i) => {
      assert.ok('content' in r && r.content, `f${i}`);
      if ('content' in r && r.content) {
        assert.is(r.size, seen[i].size);
        assert.is(r.content.casId, hasher.ofBytes(Buffer.from(`file number ${i}`)));
        assert.is(r.content.contentKind, 'text');
      }
    });
    assert.equal(results[50], { error: { code: 'ENOENT', message: (results[50] as { error: { message: string } }).error.message } });
    assert.is((results[51] as { error: { code: string } }).error.code, 'FILE_CHANGED');
    // without the walk's stat, a result says the file's stat as it was read
    const statOf = (p: string | Buffer) => {
      const st = lstatSync(p);
      return { size: st.size, inode: st.ino, modifiedAt: Math.trunc(st.mtimeMs) };
    };
    assert.equal(results[52], { content: null, ...statOf(empty) });
    assert.equal(results[53], {
      content: { casId: hasher.ofBytes(Buffer.from('# a heading\n')), contentKind: 'text', mime: 'text/markdown' },
      ...statOf(rawPath),
    });
    // a symlink where the listing saw a file is not followed, and has no stat of a file to give
    assert.equal(results[54], { error: { code: 'ELOOP', message: (results[54] as { error: { message: string } }).error.message } });
  });
});

test('a walk without statFiles leaves regular files to their read: it gives their stat; one deleted since the listing has none', async () => {
  await withIndexerFs(async (fs, dir) => {
    writeFileSync(path.join(dir, 'b.txt'), 'bee');
    writeFileSync(path.join(dir, 'd.txt'), 'dee');
    writeFileSync(path.join(dir, 'empty'), '');
    mkdirSync(path.join(dir, 'c-dir'));
    symlinkSync('b.txt', path.join(dir, 'a-link'));
    const [listing] = [...fs.walk(dir, { rules: DEFAULT_INDEXER_RULES, maxDepth: 0, statFiles: false })];
    // in name order, the stat'ed (the directory, the symlink) among the others
    assert.equal(listing.entries.map((e) => [e.name, e.kind, e.unstated ?? false]), [
      ['a-link', 'symlink', false], ['b.txt', 'file', true], ['c-dir', 'directory', false], ['d.txt', 'file', true], ['empty', 'file', true],
    ]);
    const files = listing.entries.filter((e) => e.unstated);
    assert.ok(files.every((e) => e.size === 0 && e.inode === 0 && e.modifiedAt === 0));
    rmSync(path.join(dir, 'd.txt'));
    const results = await fs.identifyMany(files.map((e) => ({ diskPath: e.diskPath, name: e.name })), false);
    const st = lstatSync(path.join(dir, 'b.txt'));
    assert.equal(results[0], {
      content: { casId: (await CasHasher.create()).ofBytes(Buffer.from('bee')), contentKind: 'text', mime: 'text/plain' },
      size: 3, inode: st.ino, modifiedAt: Math.trunc(st.mtimeMs),
    });
    assert.is((results[1] as { error: { code: string }; stat?: unknown }).error.code, 'ENOENT');
    assert.is((results[1] as { stat?: unknown }).stat, undefined);
    assert.equal(results[2], { content: null, size: 0, inode: lstatSync(path.join(dir, 'empty')).ino, modifiedAt: Math.trunc(lstatSync(path.join(dir, 'empty')).mtimeMs) });
  });
});

test.run();
