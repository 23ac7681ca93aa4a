import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NodeIndexerFileSystem } from '../../src/infra/filesystem/indexer-file-system.js';
import { tempDir } from '../support/temp.js';

const test = suite('hashing threads (identifyMany)');

test('results come back in order: content, a file deleted since the walk, one grown since, one empty', async () => {
  const fs = new NodeIndexerFileSystem();
  const tmp = tempDir();
  try {
    const files = Array.from({ length: 50 }, (_, i) => path.join(tmp.dir, `f${i}.txt`));
    files.forEach((f, i) => writeFileSync(f, `file number ${i}`));
    const seen = files.map((f) => ({ size: statSync(f).size, modifiedAt: Math.trunc(statSync(f).mtimeMs) }));
    const gone = path.join(tmp.dir, 'gone.txt');
    const grown = path.join(tmp.dir, 'grown.txt');
    const empty = path.join(tmp.dir, 'empty.txt');
    writeFileSync(grown, 'short');
    writeFileSync(empty, '');
    const requests = [
      ...files.map((f, i) => ({ diskPath: f, name: path.basename(f), expected: seen[i] })),
      { diskPath: gone, name: 'gone.txt', expected: { size: 3, modifiedAt: 0 } },
      { diskPath: grown, name: 'grown.txt', expected: { size: 2, modifiedAt: Math.trunc(statSync(grown).mtimeMs) } },
      { diskPath: empty, name: 'empty.txt' },
    ];
    const results = await fs.identifyMany(requests, false);
    assert.is(results.length, requests.length);
    results.slice(0, 50).forEach((r, i) => {
      assert.ok('content' in r && r.content, `f${i}`);
      if ('content' in r && r.content) {
        assert.is(r.content.size, seen[i].size);
        assert.is(r.content.contentKind, 'text');
      }
    });
    const distinct = new Set(results.slice(0, 50).map((r) => ('content' in r ? r.content?.casId : null)));
    assert.is(distinct.size, 50);
    assert.equal(results[50], { error: { code: 'ENOENT', message: (results[50] as { error: { message: string } }).error.message } });
    assert.is((results[51] as { error: { code: string } }).error.code, 'FILE_CHANGED');
    assert.equal(results[52], { content: null });
  } finally {
    fs.close();
    tmp.cleanup();
  }
});

test.run();
