import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fold } from '../../src/domain/decider.js';
import { DomainError } from '../../src/domain/errors.js';
import { compareMarks, fileOperationDecider, renamedCopy, type FileOperationCommand } from '../../src/domain/fileops/decider.js';
import type { CopiedPath, FileOperationEvent, WorkMark } from '../../src/domain/fileops/events.js';

const FileOps = suite('file operation record (decider)');

const jobId = '01a1fce8-bf1a-77d4-a35b-c70454d7eb96';
const at = '2026-11-21T10:00:00.000Z';
const mark = (source: number, ...names: (string | Buffer)[]): WorkMark => ({ source, rel: names.map((n) => Buffer.from(n).toString('base64')) });
const copied = (name: string): CopiedPath => ({ source: `/a/${name}`, destination: `/b/${name}`, kind: 'file', mode: 0o644, bytes: 3, strategy: 'copy' });
const batch = (through: WorkMark, names: string[], failures: FileOperationCommand['failures'] = []): FileOperationCommand => ({
  type: 'RecordBatch', jobId, at, through, action: 'copy', copied: names.map(copied), failures,
});

function given(events: FileOperationEvent[]) {
  return fold(fileOperationDecider, events);
}

FileOps('given nothing, when a batch is recorded, then FilesCopied with its mark', () => {
  assert.equal(fileOperationDecider.decide(given([]), batch(mark(0, 'x'), ['x'])), [
    { type: 'FilesCopied', data: { jobId, at, through: mark(0, 'x'), action: 'copy', paths: [copied('x')] } },
  ]);
});

FileOps('given a recorded batch, when a resumed run records work up to the same mark or before, then nothing (no duplicate)', () => {
  const recorded = fileOperationDecider.decide(given([]), batch(mark(0, 'dir', 'b'), ['a', 'b']));
  const state = given(recorded);
  assert.equal(fileOperationDecider.decide(state, batch(mark(0, 'dir', 'b'), ['a', 'b'])), []);
  assert.equal(fileOperationDecider.decide(state, batch(mark(0, 'dir'), ['dir'])), []);
  assert.is(fileOperationDecider.decide(state, batch(mark(0, 'dir', 'c'), ['c'])).length, 1);
  assert.is(state.copied, 2);
  assert.is(state.bytes, 6);
});

FileOps('given nothing, when a batch has failures, then FileOperationFailed beside the copies; failures count', () => {
  const events = fileOperationDecider.decide(given([]), batch(mark(1), ['x'], [{ source: '/a/y', code: 'EACCES', message: 'permission denied' }]));
  assert.equal(events.map((e) => e.type), ['FilesCopied', 'FileOperationFailed']);
  assert.is(given(events).failed, 1);
});

FileOps('a delete job records deleted paths, never copied ones', () => {
  try {
    fileOperationDecider.decide(given([]), { ...batch(mark(0), ['x']), action: 'delete' });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, DomainError);
    assert.is((err as DomainError).code, 'FILEOP_MISMATCH');
  }
});

FileOps('marks follow the walk: by source, a directory before its subtree, names by bytes (invalid UTF-8 too)', () => {
  const order = [mark(0), mark(0, 'a'), mark(0, 'a', 'z'), mark(0, 'b'), mark(0, Buffer.from([0x62, 0xff])), mark(0, 'c'), mark(1)];
  for (let i = 0; i + 1 < order.length; i++) assert.ok(compareMarks(order[i], order[i + 1]) < 0, `${i}`);
  assert.is(compareMarks(mark(2, 'x'), mark(2, 'x')), 0);
});

FileOps('--overwrite rename picks the first free "name (n).ext"; a leading dot is not an extension', () => {
  const taken = new Set(['photo (1).jpg']);
  assert.is(renamedCopy('photo.jpg', (n) => taken.has(n)), 'photo (2).jpg');
  assert.is(renamedCopy('.bashrc', () => false), '.bashrc (1)');
  assert.is(renamedCopy('archive', () => false), 'archive (1)');
});

FileOps.run();
