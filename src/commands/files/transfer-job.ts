import path from 'node:path';
import { DomainError } from '../../domain/errors.js';
import { compareMarks } from '../../domain/fileops/decider.js';
import type { CopiedPath, FailedPath, OverwritePolicy, Strategy, WorkMark } from '../../domain/fileops/events.js';
import type { JobContext, JobDefinition, JobOutcome } from '../jobs/job-runtime.js';
import type { LocationSync } from './location-sync.js';
import type { TransferMethod } from './plan.js';
import type { DiskPath, FileOperationsFs, TreeItem } from './ports.js';
import { FileOperationRecorder, PATHS_PER_EVENT, recordParts, type FileOperationDeps } from './recorder.js';
import { removeTemporaries, tempPathOf, tempPrefixOf, tidyCancelled } from './transfer-temporaries.js';

export const TRANSFER_JOB = 'file-transfer';

export interface TransferInput extends Record<string, unknown> {
  action: 'copy' | 'move';
  /** Per source: its absolute path, where it goes (after `--overwrite rename`), and how. */
  sources: string[];
  targets: string[];
  methods: TransferMethod[];
  /** Per source, the strategy planned from the volume layer's facts (absent in jobs queued before it was recorded). */
  strategies?: Strategy[];
  /** The target existed when planned and the policy is skip: the source is left alone. */
  skipped: boolean[];
  /** Bytes of each source, as planned. */
  bytes: number[];
  overwrite: OverwritePolicy;
  verify: boolean;
  preserveTimestamps: boolean;
  /** fsync every file and touched folder before recording it (absent: false). */
  sync?: boolean;
  totalBytes: number;
  totalFiles: number;
}

interface TransferCursor {
  through: WorkMark | null;
  bytes: number;
  files: number;
}

export interface TransferDeps extends FileOperationDeps {
  fs: FileOperationsFs;
  sync: (ctx: JobContext) => LocationSync;
}

/** Files copied at once: the kernel copies small files faster than one promise round-trip each. */
const PARALLEL = 4;
/** Items per chunk: a chunk is copied, then recorded, before the next starts. */
const CHUNK_ITEMS = 64;
const CHUNK_BYTES = 64 << 20;
const RECORD_MS = 2000;

/**
 * Copy and move as a job. Items are handled in walk order and recorded in batches whose mark says how far the job
 * got; a resumed job skips what the record covers and redoes the rest, each file again through its temporary
 * name (a name derived from the job and the file, so a redo overwrites what the killed run left).
 *
 * Durability: a file is written under its temporary name and renamed into place, so a killed process never leaves
 * a partial file under a final name; nothing is fsynced by default (as cp and file managers do). With `sync`, and
 * always for a move that copies (its sources are deleted), a chunk's files are fsynced together (concurrently)
 * before they are renamed into place, and the folders that received names are fsynced before the chunk is
 * recorded: what the record lists survives a power loss, and a move deletes a source only after that.
 */
export function transferJob(deps: TransferDeps): JobDefinition<TransferInput> {
  return {
    name: TRANSFER_JOB,
    run: async (ctx, input) => new TransferRun(deps, ctx, input, await FileOperationRecorder.load(deps, ctx.meta, () => ctx.newId(), ctx.jobId)).run(),
    cancelled: (jobId, input) => tidyCancelled(deps.fs, jobId, input),
  };
}

interface Pending {
  item: TreeItem;
  destination: DiskPath;
  mark: WorkMark;
  /** The copy of another hard link to the same source file: this name becomes a link to it. */
  linkTo?: DiskPath;
}

type ChunkResult =
  | { ok: true; strategy: CopiedPath['strategy']; hash?: string; replaced: boolean; removeSource: boolean; temp?: DiskPath }
  | { ok: false; code: string; message: string }
  | null;

class TransferRun {
  private readonly resumeMark: WorkMark | null;
  private readonly resumed: boolean;
  private readonly cursor: TransferCursor;
  private readonly tempPrefix: string;
  private readonly sync: LocationSync;
  private copied: { path: CopiedPath; mark: WorkMark }[] = [];
  private failures: FailedPath[] = [];
  private lastMark: WorkMark | null = null;
  private lastRecord = Date.now();
  private skippedCount = 0;
  private removalsAfterRecord: TreeItem[] = [];
  /** Per source: its method, which becomes `copy` when rename(2) answers EXDEV (mounts the plan could not see). */
  private readonly methods: TransferMethod[];
  /** Per source: whether to try a clone; a refused clone is not tried again for that source. */
  private readonly cloning: boolean[];
  /** Folders that received names since the last record, fsynced before it when the record must be durable. */
  private readonly touchedDirectories = new Map<string, DiskPath>();
  /** Progress of a large file, reported while it copies; awaited before the next checkpoint so appends never race. */
  private progressing: Promise<void> = Promise.resolve();
  /** Source files with several hard links (`dev:ino`) → where their first name was copied: the others link to it. */
  private readonly linkedCopies = new Map<string, DiskPath>();

  constructor(
    private readonly deps: TransferDeps,
    private readonly ctx: JobContext,
    private readonly input: TransferInput,
    private readonly recorder: FileOperationRecorder,
  ) {
    const fromCheckpoint = (ctx.cursor as TransferCursor | null) ?? null;
    const recorded = recorder.recorded.through;
    const checkpointed = fromCheckpoint?.through ?? null;
    this.resumeMark = recorded && (!checkpointed || compareMarks(recorded, checkpointed) >= 0) ? recorded : checkpointed;
    this.resumed = fromCheckpoint !== null || recorded !== null;
    this.cursor = { through: this.resumeMark, bytes: Math.max(fromCheckpoint?.bytes ?? 0, recorder.recorded.bytes), files: fromCheckpoint?.files ?? 0 };
    this.tempPrefix = tempPrefixOf(ctx.jobId);
    this.sync = deps.sync(ctx);
    this.methods = [...input.methods];
    this.cloning = input.methods.map((m, i) => m === 'copy' && !input.verify && (input.strategies ? input.strategies[i] === 'clone' : true));
  }

  /** Whether what a source writes must be durable before it is recorded: `--sync`, or a move deleting its sources. */
  private durable(removesSource: boolean): boolean {
    return this.input.sync === true || removesSource;
  }

  async run(): Promise<JobOutcome> {
    const { input } = this;
    for (let i = 0; i < input.sources.length; i++) {
      if (this.resumeMark && this.resumeMark.source > i) continue;
      if (input.skipped[i]) {
        this.skippedCount++;
        continue;
      }
      const stopped = this.methods[i] === 'rename' ? await this.renameWhole(i) : await this.transferTree(i);
      if (stopped) return { status: 'stopped' };
    }
    await this.record(true);
    const c = this.recorder.recorded;
    return {
      status: 'completed',
      output: { action: input.action, copied: c.copied, failed: c.failed, skipped: this.skippedCount, bytes: c.bytes, errors: this.ctx.errorCount },
    };
  }

  /** A move within one filesystem, whole: one rename(2). */
  private async renameWhole(i: number): Promise<boolean> {
    const source = Buffer.from(this.input.sources[i]);
    const target = Buffer.from(this.input.targets[i]);
    const mark: WorkMark = { source: i, rel: [] };
    const item = this.deps.fs.lstat(source);
    if (!item) {
      // a resumed job whose rename happened before the kill: the target is there and the source is not
      if (!(this.resumed && this.deps.fs.lstat(target))) this.fail(mark, source, target, 'SOURCE_MISSING', 'vanished before it was moved');
      this.lastMark = mark;
    } else {
      try {
        const bytes = item.kind === 'directory' ? this.input.bytes[i] : item.size;
        await this.deps.fs.rename(source, target);
        if (this.input.sync) this.touched(target);
        this.done(mark, item, target, 'rename', undefined, false, bytes);
      } catch (err) {
        if (errCode(err) !== 'EXDEV') this.fail(mark, source, target, errCode(err), (err as Error).message);
        else {
          // two mounts of one filesystem (bind mounts), or a mount inside the source: copy, then delete the sources
          this.methods[i] = 'copy';
          this.cloning[i] = !this.input.verify;
          return this.transferTree(i);
        }
      }
    }
    await this.record(true);
    await this.sync.moved(this.input.sources[i], this.input.targets[i]);
    await this.syncTouched(i);
    return this.ctx.stopRequested !== null;
  }

  private async transferTree(i: number): Promise<boolean> {
    const { fs } = this.deps;
    const source = Buffer.from(this.input.sources[i]);
    const target = Buffer.from(this.input.targets[i]);
    const move = this.input.action === 'move';
    const directories: { item: TreeItem; destination: DiskPath }[] = [];
    let chunk: Pending[] = [];
    let chunkBytes = 0;
    /** Hard-linked files whose first name is in the chunk: a later name waits for that copy to be in place. */
    const linkedInChunk = new Set<string>();
    const flush = async () => {
      const stop = await this.runChunk(i, chunk);
      chunk = [];
      chunkBytes = 0;
      linkedInChunk.clear();
      return stop;
    };
    for (const item of fs.walk(source)) {
      const mark: WorkMark = { source: i, rel: item.rel.map((b) => b.toString('base64')) };
      const destination = item.rel.length ? Buffer.concat([target, ...item.rel.flatMap((r) => [SLASH, r])]) : target;
      const done = this.resumeMark !== null && compareMarks(mark, this.resumeMark) <= 0;
      if (item.kind === 'directory') {
        if (!done) {
          if (chunk.length && (await flush())) return true;
          try {
            await fs.makeDirectory(destination);
            if (this.durable(move)) this.touched(destination);
            this.done(mark, item, destination, 'copy', undefined, false, 0);
          } catch (err) {
            this.fail(mark, item.path, destination, errCode(err), (err as Error).message);
            continue;
          }
        }
        directories.push({ item, destination });
        continue;
      }
      // a move removes each copied source: another name of a file already moved shows one link less, or none more
      const hardLinked = isHardLinked(item) || (item.kind === 'file' && this.linkedCopies.has(item.inode));
      if (done) {
        // the record lists this name as the copy its other hard links are linked to
        if (hardLinked && this.recorder.hardLinked.get(item.inode) === fs.display(item.path)) this.linkedCopies.set(item.inode, destination);
        // recorded as moved, but the kill came before its source was removed
        const copiedBytes = move ? this.recorder.copiedAway.get(fs.display(item.path)) : undefined;
        if (copiedBytes === item.size) {
          await fs.removeFile(item.path).catch((err: unknown) => {
            if (errCode(err) !== 'ENOENT') this.ctx.recordError({ path: fs.display(item.path), code: errCode(err), message: `copied, but the source could not be removed: ${(err as Error).message}` });
          });
        } else if (copiedBytes !== undefined) {
          // written to since its copy was recorded (its size moved): kept, as a live move keeps it
          this.ctx.recordError({ path: fs.display(item.path), code: 'FILE_CHANGED', message: SOURCE_KEPT });
        }
        continue;
      }
      if (item.kind === 'other') {
        this.fail(mark, item.path, destination, 'UNSUPPORTED_TYPE', 'not a file, directory or symlink: left out');
        continue;
      }
      if (hardLinked && linkedInChunk.has(item.inode) && (await flush())) return true;
      const linkTo = hardLinked ? this.linkedCopies.get(item.inode) : undefined;
      if (hardLinked && !linkTo) linkedInChunk.add(item.inode);
      chunk.push({ item, destination, mark, ...(linkTo ? { linkTo } : {}) });
      chunkBytes += item.size;
      if ((chunk.length >= CHUNK_ITEMS || chunkBytes >= CHUNK_BYTES) && (await flush())) return true;
    }
    if (chunk.length && (await flush())) return true;
    await this.record(true, this.durable(move));
    // what a killed run left under temporary names goes before the folders get their modes and times (a removal
    // would change a folder's time, and a read-only folder would keep the file)
    if (this.resumed) await removeTemporaries(fs, this.tempPrefix, target, directories.map((d) => d.destination));
    // children first: a directory gets its mode (maybe read-only) and times once nothing more is written in it
    for (let d = directories.length - 1; d >= 0; d--) {
      const { item, destination } = directories[d];
      await fs.finishDirectory(item, destination, this.input.preserveTimestamps).catch((err: unknown) => {
        this.ctx.recordError({ path: fs.display(destination), code: errCode(err), message: (err as Error).message });
      });
      if (move) await fs.removeEmptyDirectory(item.path).catch(() => false);
    }
    await this.syncTouched(i);
    return false;
  }

  /**
   * Copies (or renames) a chunk of files, PARALLEL at a time, then records it; true when the job should stop. Files
   * that must be durable stay under their temporary names until the whole chunk is fsynced, then are renamed.
   */
  private async runChunk(i: number, chunk: Pending[]): Promise<boolean> {
    const { fs } = this.deps;
    const move = this.input.action === 'move';
    const checkExisting = this.resumed || this.input.skipped[i] || this.input.overwrite !== 'error';
    const results: ChunkResult[] = new Array(chunk.length);
    let next = 0;
    const worker = async () => {
      while (next < chunk.length) {
        const k = next++;
        const p = chunk[k];
        try {
          let replaced = false;
          if (checkExisting) {
            const existing = fs.lstat(p.destination);
            if (existing?.kind === 'directory') throw new DomainError('KIND_CONFLICT', 'failure', 'a directory is in the way');
            // skip keeps what was there, even on a redo (which may then list a file it wrote before the kill as skipped)
            if (existing && this.input.overwrite === 'skip') {
              results[k] = null;
              continue;
            }
            replaced = existing !== null && !this.resumed;
          }
          results[k] = await this.transferFile(i, p, replaced, move);
        } catch (err) {
          results[k] = { ok: false, code: errCode(err), message: (err as Error).message };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, chunk.length) }, worker));
    await this.settleDurable(chunk, results);
    let removesSources = false;
    chunk.forEach((p, k) => {
      const r = results[k];
      if (r === null) {
        this.skippedCount++;
        this.lastMark = p.mark;
      } else if (r.ok) {
        if (isHardLinked(p.item) && !this.linkedCopies.has(p.item.inode)) this.linkedCopies.set(p.item.inode, p.destination);
        this.done(p.mark, p.item, p.destination, r.strategy, r.hash, r.replaced, p.item.size);
        if (r.removeSource) {
          this.removalsAfterRecord.push(p.item);
          removesSources = true;
        }
      } else this.fail(p.mark, p.item.path, p.destination, r.code, r.message);
    });
    // a move deletes its sources only once their copies are durable and recorded: a resume then finishes the removal
    await this.record(this.removalsAfterRecord.length > 0, this.durable(removesSources));
    for (const item of this.removalsAfterRecord) {
      if (changedSince(fs, item)) {
        // written to since its copy was checked: the copy holds its bytes of before, and the source stays
        this.ctx.recordError({ path: fs.display(item.path), code: 'FILE_CHANGED', message: SOURCE_KEPT });
        continue;
      }
      await fs.removeFile(item.path).catch((err: unknown) => this.ctx.recordError({ path: fs.display(item.path), code: errCode(err), message: `copied, but the source could not be removed: ${(err as Error).message}` }));
    }
    this.removalsAfterRecord = [];
    await this.progressing;
    await this.ctx.checkpoint({ ...this.cursor, through: this.recorder.recorded.through }, this.progressOf(), { items: chunk.length, force: this.ctx.stopRequested !== null });
    if (this.ctx.stopRequested) {
      await this.record(true);
      return true;
    }
    return false;
  }

  /** One file or symlink: renamed (a move within one mount), else written under its temporary name. */
  private async transferFile(i: number, p: Pending, replaced: boolean, move: boolean): Promise<ChunkResult> {
    const { fs } = this.deps;
    if (this.methods[i] === 'rename-each') {
      try {
        await fs.rename(p.item.path, p.destination);
        if (this.input.sync) this.touched(p.destination);
        return { ok: true, strategy: 'rename', replaced, removeSource: false };
      } catch (err) {
        // a mount below the source folder: this file is copied, and its source deleted once the copy is durable
        if (errCode(err) !== 'EXDEV') throw err;
      }
    }
    const removeSource = move;
    const temp = this.temp(p.destination);
    let strategy: CopiedPath['strategy'] = 'copy';
    let hash: string | undefined;
    if (p.item.kind === 'symlink') await fs.writeTempSymlink(p.item, temp, this.input.preserveTimestamps);
    else if (p.linkTo && (await fs.link(p.linkTo, temp).then(() => true, () => false))) {
      // a filesystem without hard links (or a copy of the first name that is gone) gets a copy instead
      strategy = 'link';
    } else {
      const clone = this.cloning[i];
      const r = await fs.writeTemp(p.item, temp, {
        clone,
        // a move deletes the source after this: copied bytes are verified (full BLAKE3 of both ends) before it does
        verify: this.input.verify || move,
        preserveTimestamps: this.input.preserveTimestamps,
        onBytes: p.item.size >= CHUNK_BYTES ? (b) => this.progress(b) : undefined,
      });
      if (clone && r.strategy !== 'clone') this.cloning[i] = false;
      strategy = r.strategy;
      hash = r.hash;
      if (changedSince(fs, p.item)) {
        // written to while it was read: the copy (even verified, since the hash is of what was read) may be torn
        await fs.removeFile(temp).catch(() => undefined);
        throw new DomainError('FILE_CHANGED', 'failure', 'changed while it was copied: nothing was put in its place and the source was kept; run it again');
      }
    }
    if (this.durable(removeSource)) return { ok: true, strategy, hash, replaced, removeSource, temp };
    await this.placeTemp(temp, p.destination);
    return { ok: true, strategy, hash, replaced, removeSource };
  }

  /** The chunk's files still under temporary names: fsynced together, then renamed into place. */
  private async settleDurable(chunk: Pending[], results: ChunkResult[]): Promise<void> {
    const { fs } = this.deps;
    await Promise.all(
      chunk.map(async (p, k) => {
        const r = results[k];
        if (!r?.ok || !r.temp) return;
        const temp = r.temp;
        try {
          if (p.item.kind !== 'symlink') await fs.syncFile(temp);
          await this.placeTemp(temp, p.destination);
          this.touched(p.destination);
        } catch (err) {
          await fs.removeFile(temp).catch(() => undefined);
          results[k] = { ok: false, code: errCode(err), message: (err as Error).message };
        }
      }),
    );
  }

  private async placeTemp(temp: DiskPath, destination: DiskPath): Promise<void> {
    try {
      await this.deps.fs.rename(temp, destination);
    } catch (err) {
      await this.deps.fs.removeFile(temp).catch(() => undefined);
      throw err;
    }
  }

  /** Notes that the folder holding `p` received a name, to fsync before the next durable record. */
  private touched(p: DiskPath): void {
    const slash = p.lastIndexOf(0x2f);
    const dir = slash > 0 ? p.subarray(0, slash) : SLASH;
    this.touchedDirectories.set(dir.toString('latin1'), dir);
  }

  private done(mark: WorkMark, item: TreeItem, destination: DiskPath, strategy: CopiedPath['strategy'], hash: string | undefined, replaced: boolean, bytes: number): void {
    const { fs } = this.deps;
    const kind = item.kind === 'other' ? 'file' : item.kind;
    this.copied.push({
      path: {
        source: fs.display(item.path), destination: fs.display(destination), kind, mode: item.mode, bytes, strategy,
        ...(hash ? { hash } : {}), ...(replaced ? { replaced } : {}), ...(isHardLinked(item) ? { inode: item.inode } : {}),
      },
      mark,
    });
    this.lastMark = mark;
    this.cursor.through = mark;
    if (kind !== 'directory') {
      this.cursor.files++;
      this.cursor.bytes += bytes;
    }
  }

  private fail(mark: WorkMark, source: DiskPath, destination: DiskPath, code: string, message: string): void {
    const { fs } = this.deps;
    this.failures.push({ source: fs.display(source), destination: fs.display(destination), code, message });
    this.ctx.recordError({ path: fs.display(source), code, message });
    this.lastMark = mark;
    this.cursor.through = mark;
  }

  /**
   * Appends what is done since the last record, when due (or forced), in events of PATHS_PER_EVENT paths; `durable`
   * first fsyncs the folders that received names, so what is recorded survives a power loss.
   */
  private async record(force: boolean, durable = false): Promise<void> {
    if (!this.lastMark) return;
    const due = force || this.copied.length >= PATHS_PER_EVENT || Date.now() - this.lastRecord >= RECORD_MS;
    if (!due) return;
    if (durable || this.input.sync) await this.syncTouchedDirectories();
    const copied = this.copied;
    const failures = this.failures;
    const through = this.lastMark;
    this.copied = [];
    this.failures = [];
    this.lastMark = null;
    this.lastRecord = Date.now();
    const at = this.ctx.now().toISOString();
    const action = this.input.action;
    // parts are appended in order, each marked by its last path, the last by the mark of everything handled
    const parts = recordParts(copied, (c) => c.path);
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k];
      const last = k === parts.length - 1;
      await this.recorder.record({
        type: 'RecordBatch', jobId: this.ctx.jobId, at, action,
        through: last ? through : part[part.length - 1].mark,
        copied: part.map((c) => c.path),
        failures: last ? failures : [],
      });
    }
  }

  private async syncTouchedDirectories(): Promise<void> {
    const directories = [...this.touchedDirectories.values()];
    this.touchedDirectories.clear();
    await Promise.all(directories.map((d) => this.deps.fs.syncDirectory(d)));
  }

  private temp(destination: DiskPath): Buffer {
    return tempPathOf(this.tempPrefix, destination);
  }

  private async syncTouched(i: number): Promise<void> {
    const target = this.input.targets[i];
    await this.sync.changed(path.dirname(target), [path.basename(target)]);
    if (this.input.action === 'move') await this.sync.changed(path.dirname(this.input.sources[i]), [path.basename(this.input.sources[i])]);
  }

  private progress(bytesOfFile: number): void {
    const cursor = { ...this.cursor, through: this.recorder.recorded.through };
    const progress = { phase: 'copying', done: this.cursor.bytes + bytesOfFile, total: this.input.totalBytes };
    this.progressing = this.progressing.then(() => this.ctx.checkpoint(cursor, progress, { items: 0 })).catch(() => undefined);
  }

  private progressOf() {
    return { phase: 'copying', done: this.cursor.bytes, total: this.input.totalBytes };
  }
}

const SLASH = Buffer.from('/');

/** A moved source written to since its copy was checked (or recorded): the copy holds its bytes of before. */
const SOURCE_KEPT = 'copied, but the source changed since: it was kept; move it again';

/** Whether a file's size or modification time is no longer what the walk saw (or it is gone). */
function changedSince(fs: FileOperationsFs, item: TreeItem): boolean {
  const now = fs.lstat(item.path);
  return now === null || now.size !== item.size || now.mtimeNs !== item.mtimeNs;
}

/** A file with other names (hard links): its copies are linked to the copy of the first name met. */
function isHardLinked(item: TreeItem): boolean {
  return item.kind === 'file' && item.links > 1;
}

function errCode(err: unknown): string {
  if (err instanceof DomainError) return err.code;
  return (err as NodeJS.ErrnoException).code ?? 'EIO';
}
