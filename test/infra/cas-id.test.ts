import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DomainError } from '../../src/domain/errors.js';
import { contentUuidOf } from '../../src/domain/content/content-uuid.js';
import { CasHasher } from '../../src/infra/filesystem/cas-id.js';
import { tempDir } from '../support/temp.js';
import { sharedPath } from '../support/shared.js';

interface Vector { input: string; size: number; casId: string; contentUuid: string }
const golden = JSON.parse(readFileSync(sharedPath('reference/cas-vectors.json'), 'utf8')) as { vectors: Vector[] };

function bytesOf(v: Vector): Buffer {
  if (v.input.startsWith('utf8:')) return Buffer.from(v.input.slice(5), 'utf8');
  if (v.input.startsWith('bytes:')) return Buffer.from(v.input.slice(6), 'hex');
  const b = Buffer.alloc(v.size);
  for (let i = 0; i < v.size; i++) b[i] = i % 251;
  return b;
}

const test = suite('casId (DESIGN §5, golden vectors)');

/** The code of the error a read throws (a DomainError's or the system call's), or 'read' when it throws none. */
function codeOfRead(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    return (err as DomainError | NodeJS.ErrnoException).code ?? 'no code';
  }
  return 'read';
}

test('every golden vector, from memory and from a real file', async () => {
  const hasher = await CasHasher.create();
  const tmp = tempDir();
  try {
    assert.ok(golden.vectors.length >= 5);
    for (const [i, v] of golden.vectors.entries()) {
      const bytes = bytesOf(v);
      assert.is(bytes.length, v.size);
      assert.is(hasher.ofBytes(bytes), v.casId, `memory ${v.input} ${v.size}`);
      const file = path.join(tmp.dir, `v${i}`);
      writeFileSync(file, bytes);
      const read = hasher.ofFile(file);
      assert.is(read?.casId, v.casId, `file ${v.input} ${v.size}`);
      assert.is(read?.size, v.size);
      assert.is(contentUuidOf(v.casId), v.contentUuid);
    }
  } finally {
    tmp.cleanup();
  }
});

test('an empty file has no casId; a missing file throws ENOENT', async () => {
  const hasher = await CasHasher.create();
  const tmp = tempDir();
  try {
    writeFileSync(path.join(tmp.dir, 'empty'), '');
    const empty = hasher.ofFile(path.join(tmp.dir, 'empty'));
    assert.is(empty.casId, null);
    assert.is(empty.size, 0);
    assert.is(codeOfRead(() => hasher.ofFile(path.join(tmp.dir, 'missing'))), 'ENOENT');
  } finally {
    tmp.cleanup();
  }
});

test('without the walk\'s stat: the read gives size, inode and time; a symlink or a FIFO is refused, never followed or waited on', async () => {
  const hasher = await CasHasher.create();
  const tmp = tempDir();
  try {
    const file = path.join(tmp.dir, 'plain.txt');
    writeFileSync(file, 'plain bytes');
    const st = lstatSync(file);
    const read = hasher.ofFile(file);
    assert.equal([read.casId, read.size, read.inode, read.modifiedAt], [hasher.ofBytes(Buffer.from('plain bytes')), 11, st.ino, Math.trunc(st.mtimeMs)]);
    symlinkSync('plain.txt', path.join(tmp.dir, 'link'));
    assert.is(codeOfRead(() => hasher.ofFile(path.join(tmp.dir, 'link'))), 'ELOOP');
    execFileSync('mkfifo', [path.join(tmp.dir, 'fifo')]);
    assert.is(codeOfRead(() => hasher.ofFile(path.join(tmp.dir, 'fifo'))), 'FILE_CHANGED');
    // with the walk's stat (it saw a regular file), the read goes as before
    assert.is(hasher.ofFile(path.join(tmp.dir, 'link'), { size: 11, modifiedAt: Math.trunc(st.mtimeMs) }).casId, read.casId);
  } finally {
    tmp.cleanup();
  }
});

test('without the walk\'s stat, a file written long ago is read before its stat, one written just now with a stat before and after: the same casIds', async () => {
  const hasher = await CasHasher.create();
  const tmp = tempDir();
  try {
    const hourAgo = new Date(Date.now() - 3600_000);
    const read = (file: string) => {
      const r = hasher.ofFile(file);
      return [r.casId, r.size, r.inode, r.modifiedAt, Buffer.from(r.head).toString('hex').slice(0, 64)];
    };
    const expect = (file: string, bytes: Buffer) => {
      const st = statSync(file);
      return [hasher.ofBytes(bytes), bytes.length, st.ino, Math.trunc(st.mtimeMs), bytes.subarray(0, 32).toString('hex')];
    };
    for (const [i, v] of golden.vectors.entries()) {
      const file = path.join(tmp.dir, `v${i}`);
      writeFileSync(file, bytesOf(v));
      assert.equal(read(file), expect(file, bytesOf(v)), `written now: ${v.size} bytes`);
      utimesSync(file, hourAgo, hourAgo);
      assert.equal(read(file), expect(file, bytesOf(v)), `written an hour ago: ${v.size} bytes`);
    }
    // a run of files hashed by samples puts the stat first; the small files after them read the same
    const large = Buffer.alloc(300_000, 7);
    for (let i = 0; i < 40; i++) {
      const file = path.join(tmp.dir, `large${i}`);
      writeFileSync(file, large);
      utimesSync(file, hourAgo, hourAgo);
      assert.equal(read(file), expect(file, large));
    }
    for (let i = 0; i < 60; i++) {
      const file = path.join(tmp.dir, `small${i}`);
      const bytes = Buffer.from(`small file ${i}`);
      writeFileSync(file, bytes);
      utimesSync(file, hourAgo, hourAgo);
      assert.equal(read(file), expect(file, bytes), `small file ${i} after the large ones`);
    }
    // a folder put in a listed file's place is no file
    mkdirSync(path.join(tmp.dir, 'folder'));
    assert.is(codeOfRead(() => hasher.ofFile(path.join(tmp.dir, 'folder'))), 'FILE_CHANGED');
    // nor is a FIFO with data waiting in it: refused, and the data left to its reader (the read is a pread)
    const fifo = path.join(tmp.dir, 'busy-fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      execFileSync('sh', ['-c', 'printf "waiting bytes" > "$1"', 'sh', fifo]);
      assert.is(codeOfRead(() => hasher.ofFile(fifo)), 'FILE_CHANGED');
      const left = Buffer.alloc(64);
      assert.is(left.subarray(0, readSync(reader, left, 0, 64, null)).toString(), 'waiting bytes');
    } finally {
      closeSync(reader);
    }
  } finally {
    tmp.cleanup();
  }
});

test('a file that grew, shrank or was touched since the walk saw it is refused, not given a casId', async () => {
  const hasher = await CasHasher.create();
  const tmp = tempDir();
  try {
    const file = path.join(tmp.dir, 'changing.txt');
    writeFileSync(file, 'abc');
    const seen = { size: 3, modifiedAt: Math.trunc(statSync(file).mtimeMs) };
    assert.is(hasher.ofFile(file, seen)?.casId, hasher.ofBytes(Buffer.from('abc')));
    const refused = (expected: { size: number; modifiedAt: number }) =>
      assert.is(codeOfRead(() => hasher.ofFile(file, expected)), 'FILE_CHANGED', 'a changed file was hashed');
    refused({ size: 3, modifiedAt: seen.modifiedAt - 1000 }); // touched since
    refused({ size: 5, modifiedAt: seen.modifiedAt }); // shrank: the read comes up short
    appendFileSync(file, 'def');
    refused(seen); // grew
  } finally {
    tmp.cleanup();
  }
});

test.run();
