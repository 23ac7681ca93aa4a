import { accessSync, constants, lstatSync, readdirSync, type BigIntStats } from 'node:fs';
import { chmod, copyFile, link, lutimes, mkdir, open, readlink, rename, rm, rmdir, stat, symlink, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { randomFillSync } from 'node:crypto';
import { createBLAKE3 } from 'hash-wasm';
import type { CopiedFile, CopyFileOptions, DiskPath, FileOperationsFs, TransferVolumes, TreeItem, Trashed } from '../../commands/files/ports.js';
import { DomainError } from '../../domain/errors.js';
import { escapeInvalidUtf8, isValidUtf8 } from './entry-names.js';
import { moveToTrash } from './trash.js';

const CHUNK = 1 << 20;
/** Files above this size report their progress while the kernel copies them. */
const WATCHED_SIZE = 32 << 20;
const CLONE_REFUSED = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ENOTTY']);

/**
 * Copy, move and delete on a local filesystem. Files are written under a temporary name: a copy-on-write clone when
 * the volume layer says the filesystem can (FICLONE_FORCE, so 'clone' is reported only when it happened), else the
 * kernel's copy (copy_file_range via copyFile), or read-and-write when the bytes are hashed on the way (`verify`).
 * Nothing here fsyncs on its own: the job decides what must be durable, and when (`syncFile`, `syncDirectory`).
 */
export class NodeFileOperations implements FileOperationsFs {
  constructor(readonly volumes: TransferVolumes) {}

  lstat(p: DiskPath): TreeItem | null {
    let st;
    try {
      st = lstatSync(p, { bigint: true, throwIfNoEntry: false });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return null; // a file on the way: nothing is there
      throw err;
    }
    return st ? item([], p, st) : null;
  }

  *walk(root: DiskPath): Generator<TreeItem> {
    const top = this.lstat(root);
    if (!top) return;
    yield top;
    if (top.kind === 'directory') yield* this.below(root, []);
  }

  /** Pre-order: each directory's subtree right after it, so walk order is the order of work marks. */
  private *below(dir: Buffer, rel: Buffer[]): Generator<TreeItem> {
    let names: Buffer[];
    try {
      names = (readdirSync(dir, { encoding: 'buffer' }) as Buffer[]).sort(Buffer.compare);
    } catch (err) {
      throw new DomainError('DIRECTORY_UNREADABLE', 'failure', `cannot read ${display(dir)}: ${(err as Error).message}`, {
        code: (err as NodeJS.ErrnoException).code,
      });
    }
    for (const name of names) {
      const p = Buffer.concat([dir, SLASH, name]);
      const st = lstatSync(p, { bigint: true, throwIfNoEntry: false });
      if (!st) continue;
      const it = item([...rel, name], p, st);
      yield it;
      if (it.kind === 'directory') yield* this.below(p, it.rel);
    }
  }

  async writeTemp(source: TreeItem, temp: DiskPath, o: CopyFileOptions): Promise<CopiedFile> {
    try {
      // a clone shares the source's blocks: there is nothing to verify; bytes that are copied are verified when asked
      const cloned = o.clone && (await this.clone(source, temp, o));
      // a file with holes keeps them, as cp does: the kernel's copy would write every zero of them
      const sparse = source.kind === 'file' && source.allocated !== undefined && source.allocated < source.size;
      const result: CopiedFile = cloned
        ? { strategy: 'clone' }
        : o.verify || sparse
          ? await this.streamCopy(source, temp, o, sparse)
          : { strategy: await this.kernelCopy(source, temp, o) };
      if (o.preserveTimestamps) await utimes(temp, seconds(source.atimeNs), seconds(source.mtimeNs));
      return result;
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /** A copy-on-write clone; false when the filesystem refuses one (the caller copies the bytes instead). */
  private async clone(source: TreeItem, temp: DiskPath, o: CopyFileOptions): Promise<boolean> {
    try {
      await copyFileExclusive(source.path, temp, constants.COPYFILE_FICLONE_FORCE);
      o.onBytes?.(source.size);
      return true;
    } catch (err) {
      // a kernel before 5.18 refuses FICLONE across mounts of one filesystem; some filesystems refuse it per file
      if (!CLONE_REFUSED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      return false;
    }
  }

  /** copyFile gives the copy the source's mode itself (libuv fchmods it), so no chmod follows. */
  private async kernelCopy(source: TreeItem, temp: DiskPath, o: CopyFileOptions): Promise<'copy'> {
    const watch = o.onBytes && source.size >= WATCHED_SIZE ? setInterval(() => void stat(temp).then((s) => o.onBytes!(s.size), () => undefined), 250) : null;
    try {
      await copyFileExclusive(source.path, temp, 0);
    } finally {
      if (watch) clearInterval(watch);
    }
    o.onBytes?.(source.size);
    return 'copy';
  }

  /**
   * Reads the source once and writes the copy; with `verify`, hashes what it read, then reads the copy back and
   * compares hashes. A `sparse` source's runs of zeros are left as holes (as `cp` does), not written.
   */
  private async streamCopy(source: TreeItem, temp: DiskPath, o: CopyFileOptions, sparse: boolean): Promise<CopiedFile> {
    const hasher = o.verify ? await createBLAKE3() : null;
    hasher?.init();
    const input = await open(source.path, 'r');
    const output = await open(temp, 'w', 0o600);
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
      let done = 0;
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
        if (bytesRead === 0) break;
        hasher?.update(buffer.subarray(0, bytesRead));
        let written = 0;
        if (sparse) await writeSparse(output, buffer.subarray(0, bytesRead), done);
        else while (written < bytesRead) written += (await output.write(buffer, written, bytesRead - written)).bytesWritten;
        done += bytesRead;
        o.onBytes?.(done);
      }
      if (sparse) await output.truncate(done); // a hole at the end is written as the file's length
      await output.chmod(source.mode);
    } finally {
      await input.close();
      await output.close();
    }
    if (!hasher) return { strategy: 'copy' };
    const sourceHash = hasher.digest('hex');
    const copyHash = await this.hashFile(temp);
    if (copyHash !== sourceHash) {
      throw new DomainError('VERIFY_MISMATCH', 'failure', `the copy of ${display(source.path)} differs from its source (BLAKE3 ${copyHash} ≠ ${sourceHash})`);
    }
    return { strategy: 'stream', hash: sourceHash };
  }

  async writeTempSymlink(source: TreeItem, temp: DiskPath, preserveTimestamps: boolean): Promise<void> {
    const target = await readlink(source.path, { encoding: 'buffer' });
    await rm(temp, { force: true });
    await symlink(target, temp);
    try {
      if (preserveTimestamps) await lutimes(temp, seconds(source.atimeNs), seconds(source.mtimeNs));
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async syncFile(p: DiskPath): Promise<void> {
    const fh = await open(p, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  syncDirectory(p: DiskPath): Promise<void> {
    return this.syncFile(p);
  }

  canWrite(dir: DiskPath): boolean {
    try {
      accessSync(dir, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  async makeDirectory(destination: DiskPath): Promise<void> {
    try {
      await mkdir(destination, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !lstatSync(destination).isDirectory()) throw err;
    }
  }

  async finishDirectory(source: TreeItem, destination: DiskPath, preserveTimestamps: boolean): Promise<void> {
    try {
      await chmod(destination, source.mode);
    } catch (err) {
      if (!noUnixModes(err, destination)) throw err;
    }
    if (preserveTimestamps) await utimes(destination, seconds(source.atimeNs), seconds(source.mtimeNs));
  }

  rename(from: DiskPath, to: DiskPath): Promise<void> {
    return rename(from, to);
  }

  /** A temporary name left by a killed run is replaced. */
  async link(existing: DiskPath, newPath: DiskPath): Promise<void> {
    try {
      await link(existing, newPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await rm(newPath, { force: true });
      await link(existing, newPath);
    }
  }

  async hashFile(p: DiskPath): Promise<string> {
    const hasher = await createBLAKE3();
    hasher.init();
    const fh = await open(p, 'r');
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await fh.read(buffer, 0, CHUNK, null);
        if (bytesRead === 0) break;
        hasher.update(buffer.subarray(0, bytesRead));
      }
    } finally {
      await fh.close();
    }
    return hasher.digest('hex');
  }

  removeFile(p: DiskPath): Promise<void> {
    return unlink(p);
  }

  async removeEmptyDirectory(p: DiskPath): Promise<boolean> {
    try {
      await rmdir(p);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
      throw err;
    }
  }

  removeTree(p: DiskPath): Promise<void> {
    return rm(p, { recursive: true, force: false });
  }

  async eraseFile(p: DiskPath): Promise<void> {
    const fh = await open(p, 'r+');
    try {
      const { size } = await fh.stat();
      const noise = randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1))));
      for (let at = 0; at < size; at += noise.length) await fh.write(noise, 0, Math.min(noise.length, size - at), at);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await unlink(p);
  }

  trash(p: DiskPath, at: Date): Promise<Trashed> {
    return moveToTrash(p, at);
  }

  namesStartingWith(dir: DiskPath, prefix: string): Buffer[] {
    const want = Buffer.from(prefix);
    try {
      return (readdirSync(dir, { encoding: 'buffer' }) as Buffer[]).filter((n) => n.subarray(0, want.length).equals(want));
    } catch {
      return [];
    }
  }

  display(p: DiskPath): string {
    return display(p);
  }
}

const SLASH = Buffer.from('/');

function item(rel: Buffer[], p: Buffer, st: BigIntStats): TreeItem {
  const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other';
  return {
    rel, path: p, kind, size: kind === 'directory' ? 0 : Number(st.size), mode: Number(st.mode & 0o7777n),
    atimeNs: st.atimeNs, mtimeNs: st.mtimeNs, dev: Number(st.dev), inode: `${st.dev}:${st.ino}`, links: Number(st.nlink),
    allocated: Number(st.blocks) * 512,
  };
}

/** Zero runs this long (or longer) in a sparse file's copy are left as holes. */
const HOLE = 64 * 1024;
const ZEROS = Buffer.alloc(HOLE);

/** Writes `chunk` at `position`, leaving each HOLE-sized run of zeros unwritten (a hole, once the file has its length). */
async function writeSparse(output: FileHandle, chunk: Buffer, position: number): Promise<void> {
  for (let at = 0; at < chunk.length; at += HOLE) {
    const block = chunk.subarray(at, Math.min(at + HOLE, chunk.length));
    if (block.equals(ZEROS.subarray(0, block.length))) continue;
    let written = 0;
    while (written < block.length) written += (await output.write(block, written, block.length - written, position + at + written)).bytesWritten;
  }
}

/**
 * copyFile onto a name that must not exist. Without COPYFILE_EXCL libuv ftruncates the new file to 0, and ext4
 * (auto_da_alloc) then flushes a truncated-and-rewritten file when it is closed: the close of a 1 GiB copy took
 * 0.4 s and doubled the copy's time, and every small file started its own writeback. A temporary name left by a
 * killed run is removed first.
 */
async function copyFileExclusive(source: DiskPath, temp: DiskPath, mode: number): Promise<void> {
  try {
    await copyFile(source, temp, mode | constants.COPYFILE_EXCL);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await rm(temp, { force: true });
    await copyFile(source, temp, mode | constants.COPYFILE_EXCL);
  }
}

/**
 * Seconds as utimes takes them (a double, which libuv cuts to whole microseconds). The middle of the time's
 * microsecond is passed, so the double's rounding (a quarter of a microsecond at today's epoch) cannot tip it into
 * its neighbour: the copy keeps the microseconds exactly; the nanosecond digits below them cannot be set from Node.
 */
function seconds(ns: bigint): number {
  const whole = ns / 1_000_000_000n;
  const micros = (ns % 1_000_000_000n) / 1000n;
  return Number(whole) + (Number(micros) + 0.5) / 1e6;
}

function display(p: Buffer): string {
  return isValidUtf8(p) ? p.toString('utf8') : escapeInvalidUtf8(p);
}

/**
 * Whether a failed chmod says the filesystem keeps no Unix modes (FAT, exFAT, SMB without Unix extensions): it
 * refuses even the folder's owner, or root. libuv's file copy ignores the same failure for files, so that a copy to
 * a USB stick is no failure; a folder's mode is no more.
 */
function noUnixModes(err: unknown, destination: DiskPath): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTSUP' || code === 'EOPNOTSUPP') return true;
  if (code !== 'EPERM') return false;
  const uid = process.getuid?.();
  if (uid === 0) return true;
  try {
    return lstatSync(destination).uid === uid;
  } catch {
    return false;
  }
}
