import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ScanError } from '../../src/commands/files/file-checks-ports.js';
import { NodeFileChecksFileSystem } from '../../src/infra/filesystem/file-checks-file-system.js';
import { tempDir } from '../support/temp.js';

const test = suite('hash pool: the scan of duplicate detection and validation');

/**
 * More files than one message of a thread covers, in many folders and a deep chain, one in a folder named in bytes
 * that are not UTF-8; every seventh file a copy of another.
 */
function manyFolders(root: string): void {
  for (let d = 0; d < 120; d++) {
    const dir = path.join(root, 'many', `d${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 20; f++) writeFileSync(path.join(dir, `f${f}.txt`), (d * 20 + f) % 7 === 0 ? `copy of ${f % 3}` : `file ${d}/${f}`);
  }
  const deep = path.join(root, 'deep', 'a', 'b', 'c', 'd', 'e', 'f');
  mkdirSync(deep, { recursive: true });
  writeFileSync(path.join(deep, 'bottom.txt'), 'copy of 1');
  const raw = Buffer.concat([Buffer.from(`${root}/bad`), Buffer.from([0xff])]);
  mkdirSync(raw);
  writeFileSync(Buffer.concat([raw, Buffer.from('/inside.txt')]), 'copy of 2');
}

/** Every regular file below `dir` (as bytes paths), read the plain way. */
function regularFiles(dir: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (const name of readdirSync(dir, { encoding: 'buffer' })) {
    const p = Buffer.concat([dir, Buffer.from('/'), name]);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...regularFiles(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

test('counts every file once across many messages, overlapping roots and byte paths; keeps exactly the files that may have a duplicate', async () => {
  const t = tempDir();
  const fs = new NodeFileChecksFileSystem();
  try {
    manyFolders(t.dir);
    const all = regularFiles(Buffer.from(t.dir));
    assert.ok(all.length > 2400);
    const errors: ScanError[] = [];
    // a root inside another, and a root named twice: their files still count once
    const inner = path.join(t.dir, 'many', 'd7');
    const scanned = await fs.scan([t.dir, inner, inner], { prefix: true }, (e) => errors.push(e));
    assert.equal(errors, []);
    const bytes = all.reduce((n, p) => n + lstatSync(p).size, 0);
    assert.equal(scanned.totals, { files: all.length, bytes });
    // what may have a duplicate: another file of the same size and first bytes (these files are under 4 KiB)
    const contents = new Map<string, number>();
    for (const p of all) {
      const c = readFileSync(p).toString('latin1');
      contents.set(c, (contents.get(c) ?? 0) + 1);
    }
    const expected = all.filter((p) => contents.get(readFileSync(p).toString('latin1'))! > 1).map((p) => p.toString('latin1')).sort();
    const kept = scanned.files.map((f) => (typeof f.diskPath === 'string' ? Buffer.from(f.diskPath) : f.diskPath).toString('latin1')).sort();
    assert.equal(kept, expected);
    assert.ok(kept.some((p) => p.endsWith('bottom.txt')) && kept.some((p) => p.endsWith('inside.txt')));
  } finally {
    fs.close();
    t.cleanup();
  }
});

test.run();
