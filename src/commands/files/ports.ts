import type { Strategy } from '../../domain/fileops/events.js';

/** Paths travel as bytes: a name that is not valid UTF-8 must reach the disk unchanged. */
export type DiskPath = Buffer;

export interface TreeItem {
  /** Components below the walked root, [] for the root itself. */
  rel: Buffer[];
  path: DiskPath;
  kind: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  /** Permission bits (st_mode & 0o7777). */
  mode: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  dev: number;
}

/** What the strategy choice asks of volumes; a stat-based adapter now, the volume layer later. */
export interface VolumeProbe {
  /** Whether two existing paths sit on one filesystem (rename(2) can move between them). */
  sameFilesystem(a: DiskPath, b: DiskPath): boolean;
  /** Bytes an unprivileged writer may still use on the filesystem holding `dir`. */
  freeBytes(dir: DiskPath): number;
  /** Whether `dir` is on a read-only mount or cannot be written by this process. */
  isReadOnly(dir: DiskPath): boolean;
}

export interface CopyFileOptions {
  /** Hash source and written copy (full BLAKE3) and refuse the copy when they differ. */
  verify: boolean;
  preserveTimestamps: boolean;
  /** Bytes written so far of this file, reported while a large file is copied. */
  onBytes?: (bytes: number) => void;
}

export interface CopiedFile {
  strategy: Exclude<Strategy, 'rename'>;
  hash?: string;
}

/** Where the trash put a path: the spec's files/ entry, and its .trashinfo. */
export interface Trashed {
  trashedTo: DiskPath;
  info: DiskPath;
}

/** The filesystem work of copy, move and delete jobs. */
export interface FileOperationsFs {
  lstat(p: DiskPath): TreeItem | null;
  /** The tree at `root`, the root first, depth-first, names in byte order; symlinks are never followed. */
  walk(root: DiskPath): Iterable<TreeItem>;
  /**
   * Writes `source`'s bytes to `temp` (durably: fsynced), with its permissions and, when asked, times, then renames
   * it to `destination`. A crash leaves at most `temp`, never a partial `destination`.
   */
  copyFile(source: TreeItem, temp: DiskPath, destination: DiskPath, options: CopyFileOptions): Promise<CopiedFile>;
  copySymlink(source: TreeItem, temp: DiskPath, destination: DiskPath, preserveTimestamps: boolean): Promise<void>;
  /** Creates a directory (owner-writable until `finishDirectory`); an existing directory is fine. */
  makeDirectory(destination: DiskPath): Promise<void>;
  /** Gives a copied directory its mode and, when asked, times: after its children are written. */
  finishDirectory(source: TreeItem, destination: DiskPath, preserveTimestamps: boolean): Promise<void>;
  rename(from: DiskPath, to: DiskPath): Promise<void>;
  /** Full-file BLAKE3, hex. */
  hashFile(p: DiskPath): Promise<string>;
  removeFile(p: DiskPath): Promise<void>;
  /** Removes an empty directory; false when it is not empty. */
  removeEmptyDirectory(p: DiskPath): Promise<boolean>;
  removeTree(p: DiskPath): Promise<void>;
  /** Overwrites a file's bytes with random data, fsyncs, then unlinks it. */
  eraseFile(p: DiskPath): Promise<void>;
  /** Moves a path to the freedesktop.org trash of its volume. */
  trash(p: DiskPath, at: Date): Promise<Trashed>;
  /** Names in a directory that start with `prefix` (leftover temporary files). */
  namesStartingWith(dir: DiskPath, prefix: string): Buffer[];
  /** A path as text: UTF-8, or `\\xHH` escapes for bytes that are not. */
  display(p: DiskPath): string;
  volumes: VolumeProbe;
}
