import type { Strategy } from '../../domain/fileops/events.js';
import type { DetectedVolume } from '../volumes/ports.js';

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
  /** The file's identity on its filesystem (`dev:ino`): names with the same are hard links to one file. */
  inode: string;
  /** Hard links to it (st_nlink). */
  links: number;
  /** Bytes it takes on disk (st_blocks × 512): fewer than its size when it has holes (a sparse file). */
  allocated?: number;
}

/** What a copy or move asks of the volume layer: the facts of the volume holding a path, once per source and target. */
export interface TransferVolumes {
  /** The volume holding `path` (or its nearest existing parent): mount point, st_dev, copy-on-write, free space, read-only. */
  volumeOf(path: string): Promise<DetectedVolume>;
}

export interface CopyFileOptions {
  /** Try a copy-on-write clone first (the volume layer says both ends share a copy-on-write filesystem). */
  clone: boolean;
  /** When bytes are copied (not cloned): hash source and written copy (full BLAKE3) and refuse the copy when they differ. */
  verify: boolean;
  preserveTimestamps: boolean;
  /** Bytes written so far of this file, reported while a large file is copied. */
  onBytes?: (bytes: number) => void;
}

export interface CopiedFile {
  /** What happened: `clone` only when the clone succeeded (a refused clone falls back to `copy`, or `stream` when verified). */
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
   * Writes `source`'s bytes to `temp`, with its permissions and, when asked, times; not fsynced (see `syncFile`).
   * The caller renames it into place, so a killed process leaves at most `temp`, never a partial destination.
   */
  writeTemp(source: TreeItem, temp: DiskPath, options: CopyFileOptions): Promise<CopiedFile>;
  /** Makes `temp` a symlink with `source`'s target (and, when asked, times). */
  writeTempSymlink(source: TreeItem, temp: DiskPath, preserveTimestamps: boolean): Promise<void>;
  /** fsync(2) of a written file: its bytes survive a power loss. */
  syncFile(p: DiskPath): Promise<void>;
  /** fsync(2) of a directory: the names created or renamed in it survive a power loss. */
  syncDirectory(p: DiskPath): Promise<void>;
  /** Whether this process may create and remove names in `dir` (access(2) W_OK: permissions and read-only mounts). */
  canWrite(dir: DiskPath): boolean;
  /** Creates a directory (owner-writable until `finishDirectory`); an existing directory is fine. */
  makeDirectory(destination: DiskPath): Promise<void>;
  /** Gives a copied directory its mode and, when asked, times: after its children are written. */
  finishDirectory(source: TreeItem, destination: DiskPath, preserveTimestamps: boolean): Promise<void>;
  rename(from: DiskPath, to: DiskPath): Promise<void>;
  /** A new name for an existing file (link(2)): hard links of the source stay hard links in the copy. */
  link(existing: DiskPath, newPath: DiskPath): Promise<void>;
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
  volumes: TransferVolumes;
}
