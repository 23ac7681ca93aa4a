import path from 'node:path';
import { DomainError } from '../../domain/errors.js';
import type { DeletedPath, DeleteMode, FailedPath } from '../../domain/fileops/events.js';
import type { JobContext, JobDefinition, JobOutcome } from '../jobs/job-runtime.js';
import type { LocationSync } from './location-sync.js';
import type { FileOperationsFs, TreeItem } from './ports.js';
import { FileOperationRecorder, recordParts, type FileOperationDeps } from './recorder.js';

export const DELETE_JOB = 'file-delete';

export interface DeleteInput extends Record<string, unknown> {
  paths: string[];
  mode: DeleteMode;
  totalBytes: number;
}

/** Secure mode lists every erased file of a tree: marks order the parts of one given path's record. */
const FINAL = Buffer.from([0xff, 0xff, 0xff, 0xff]).toString('base64');
const partMark = (k: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(k);
  return b.toString('base64');
};

export interface DeleteDeps extends FileOperationDeps {
  fs: FileOperationsFs;
  sync: (ctx: JobContext) => LocationSync;
}

/**
 * Delete as a job, one given path at a time, each recorded once done: to the trash (freedesktop.org), permanently,
 * or securely (every file's bytes overwritten and fsynced before it is unlinked). A resumed job starts at the first
 * path not recorded; one already gone by then was deleted by the killed run.
 */
export function deleteJob(deps: DeleteDeps): JobDefinition<DeleteInput> {
  return {
    name: DELETE_JOB,
    run: async (ctx, input) => {
      const recorder = await FileOperationRecorder.load(deps, ctx.meta, () => ctx.newId(), ctx.jobId);
      const sync = deps.sync(ctx);
      const last = recorder.recorded.through;
      const resumed = last !== null || ctx.cursor !== null;
      // a path whose record is partial (secure erase of a tree, killed midway) is taken up again
      const start = last ? last.source + (last.rel[0] === FINAL ? 1 : 0) : 0;
      let bytes = recorder.recorded.bytes;
      for (let i = start; i < input.paths.length; i++) {
        if (ctx.stopRequested) return { status: 'stopped' } satisfies JobOutcome;
        const target = Buffer.from(input.paths[i]);
        const top = deps.fs.lstat(target);
        const deleted: DeletedPath[] = [];
        const failures: FailedPath[] = [];
        if (!top) {
          if (!resumed) failures.push({ source: input.paths[i], code: 'PATH_MISSING', message: 'vanished before it was deleted' });
        } else {
          try {
            deleted.push(...(await remove(deps.fs, top, input.mode, ctx.now())));
          } catch (err) {
            const code = err instanceof DomainError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'EIO');
            failures.push({ source: input.paths[i], code, message: (err as Error).message });
            ctx.recordError({ path: input.paths[i], code, message: (err as Error).message });
          }
        }
        const at = ctx.now().toISOString();
        const parts = recordParts(deleted, (d) => d);
        for (let k = 0; k < parts.length; k++) {
          const final = k === parts.length - 1;
          await recorder.record({
            type: 'RecordBatch', jobId: ctx.jobId, at, action: 'delete',
            through: { source: i, rel: [final ? FINAL : partMark(k)] },
            deleted: { mode: input.mode, paths: parts[k] },
            failures: final ? failures : [],
          });
        }
        for (const d of deleted) bytes += d.bytes;
        await sync.changed(path.dirname(input.paths[i]), [path.basename(input.paths[i])]);
        await ctx.checkpoint({ through: i, bytes }, { phase: 'deleting', done: i + 1, total: input.paths.length }, { items: 1, force: ctx.stopRequested !== null });
      }
      const r = recorder.recorded;
      return { status: 'completed', output: { action: 'delete', mode: input.mode, deleted: r.deleted, failed: r.failed, bytes: r.bytes, errors: ctx.errorCount } };
    },
  };
}

/** Removes one given path; secure mode erases each file of a tree, so it reports each. */
async function remove(fs: FileOperationsFs, top: TreeItem, mode: DeleteMode, at: Date): Promise<DeletedPath[]> {
  const kind = top.kind === 'other' ? 'file' : top.kind;
  if (mode === 'trash') {
    const bytes = treeBytes(fs, top);
    const t = await fs.trash(top.path, at);
    return [{ source: fs.display(top.path), kind, mode: top.mode, bytes, trashedTo: fs.display(t.trashedTo) }];
  }
  if (mode === 'permanent') {
    const bytes = treeBytes(fs, top);
    if (top.kind === 'directory') await fs.removeTree(top.path);
    else await fs.removeFile(top.path);
    return [{ source: fs.display(top.path), kind, mode: top.mode, bytes }];
  }
  const out: DeletedPath[] = [];
  const directories: TreeItem[] = [];
  for (const it of fs.walk(top.path)) {
    if (it.kind === 'directory') {
      directories.push(it);
      continue;
    }
    if (it.kind === 'file') await fs.eraseFile(it.path);
    else await fs.removeFile(it.path);
    out.push({ source: fs.display(it.path), kind: it.kind === 'other' ? 'file' : it.kind, mode: it.mode, bytes: it.size });
  }
  for (let d = directories.length - 1; d >= 0; d--) {
    const dir = directories[d];
    if (!(await fs.removeEmptyDirectory(dir.path))) throw new DomainError('DIRECTORY_NOT_EMPTY', 'failure', `${fs.display(dir.path)} gained entries while it was erased`);
    out.push({ source: fs.display(dir.path), kind: 'directory', mode: dir.mode, bytes: 0 });
  }
  return out;
}

function treeBytes(fs: FileOperationsFs, top: TreeItem): number {
  if (top.kind !== 'directory') return top.size;
  let n = 0;
  for (const it of fs.walk(top.path)) n += it.size;
  return n;
}
