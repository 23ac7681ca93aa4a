import type { Decider } from '../decider.js';
import { DomainError } from '../errors.js';
import {
  FileOperationFailed, FilesCopied, FilesDeleted,
  type CopiedPath, type DeletedPath, type DeleteMode, type FailedPath, type FileOperationEvent, type WorkMark,
} from './events.js';

/** What a job's record says: how far it got (its resume mark) and what it did. */
export interface FileOperationState {
  through: WorkMark | null;
  copied: number;
  deleted: number;
  failed: number;
  bytes: number;
}

/** One batch of work, recorded up to `through`; a batch at or before the recorded mark was recorded already. */
export type FileOperationCommand = {
  type: 'RecordBatch';
  jobId: string;
  at: string;
  through: WorkMark;
  action: 'copy' | 'move' | 'delete';
  copied?: CopiedPath[];
  deleted?: { mode: DeleteMode; paths: DeletedPath[] };
  failures?: FailedPath[];
};

/** Orders work marks as the walk visits items: by source, then path components in byte order, a parent first. */
export function compareMarks(a: WorkMark, b: WorkMark): number {
  if (a.source !== b.source) return a.source - b.source;
  const n = Math.min(a.rel.length, b.rel.length);
  for (let i = 0; i < n; i++) {
    const c = Buffer.compare(Buffer.from(a.rel[i], 'base64'), Buffer.from(b.rel[i], 'base64'));
    if (c !== 0) return c;
  }
  return a.rel.length - b.rel.length;
}

/**
 * The record of a file operation job. Work replayed after a crash (the files done between the last record and the
 * kill) is recorded once: a batch that does not go past the recorded mark is dropped, so nothing is listed twice.
 */
export const fileOperationDecider: Decider<FileOperationState, FileOperationCommand, FileOperationEvent> = {
  initialState: () => ({ through: null, copied: 0, deleted: 0, failed: 0, bytes: 0 }),

  decide(state, c) {
    if (state.through && compareMarks(c.through, state.through) <= 0) return [];
    if (c.action === 'delete' && c.copied?.length) {
      throw new DomainError('FILEOP_MISMATCH', 'failure', 'a delete job records deleted paths, not copied ones');
    }
    const base = { jobId: c.jobId, at: c.at, through: c.through };
    const events: FileOperationEvent[] = [];
    if (c.copied?.length && c.action !== 'delete') events.push(FilesCopied.create({ ...base, action: c.action, paths: c.copied }));
    if (c.deleted?.paths.length) events.push(FilesDeleted.create({ ...base, mode: c.deleted.mode, paths: c.deleted.paths }));
    if (c.failures?.length) events.push(FileOperationFailed.create({ ...base, action: c.action, failures: c.failures }));
    return events;
  },

  evolve(state, e) {
    const through = state.through && compareMarks(state.through, e.data.through) > 0 ? state.through : e.data.through;
    switch (e.type) {
      case 'FilesCopied':
        return { ...state, through, copied: state.copied + e.data.paths.length, bytes: state.bytes + sum(e.data.paths) };
      case 'FilesDeleted':
        return { ...state, through, deleted: state.deleted + e.data.paths.length, bytes: state.bytes + sum(e.data.paths) };
      case 'FileOperationFailed':
        return { ...state, through, failed: state.failed + e.data.failures.length };
    }
  },
};

function sum(paths: readonly { bytes: number }[]): number {
  let n = 0;
  for (const p of paths) n += p.bytes;
  return n;
}

/**
 * The name a copy takes when its destination is taken (`--overwrite rename`): `name (1).ext`, `name (2).ext`, …
 * the first one `taken` says is free. A leading dot is part of the name, not an extension.
 */
export function renamedCopy(name: string, taken: (candidate: string) => boolean): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!taken(candidate)) return candidate;
  }
}
