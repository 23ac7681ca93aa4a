/** A regular file found on disk. */
export interface ScannedFile {
  /** Where to open it: a Buffer when some part of the path is not valid UTF-8. */
  diskPath: string | Buffer;
  /** The path shown to the user: absolute, invalid UTF-8 bytes written `\xHH`. */
  path: string;
  size: number;
  modifiedAt: number;
  inode: number;
  device: number;
  /** Hard links to it: with one, no other path of the scan can be the same file. */
  links: number;
  /**
   * A quick hash (53 bits of xxhash64) of the first 4 KiB (the whole file when smaller), when asked for: files of
   * one size whose prefixes differ cannot be duplicates, so most files are never read further. Only a filter: equal
   * prefixes decide nothing.
   */
  prefix?: number;
  /** The casId the index holds for this very file (same inode, size and time), when the scan was given the index. */
  casId?: string;
}

/** A root inside a location: the scan takes the casIds of the files its index holds unchanged. */
export interface IndexedRoot {
  root: string;
  /** The library database file holding the location's index. */
  database: string;
  location: { key: number; path: string };
}

export interface ScanError {
  path: string;
  code: string;
  message: string;
}

/** cas: the sampled content hash (DESIGN §5); full: BLAKE3 of every byte (integrityHash), 64 hex chars. */
export type HashKind = 'cas' | 'full';

export interface HashRequest {
  diskPath: string | Uint8Array;
  /** Size and modification time the file must still have when its read ends; otherwise it is FILE_CHANGED. */
  expected: { size: number; modifiedAt: number };
  /**
   * Requests with one `group` number, next to each other, are files expected to be alike (same size and first
   * bytes): where the hash covers every byte (full, or the casId of a file up to 100 KiB), a file byte-identical to
   * the group's first gets that file's hash without hashing it again. The hash is the same as without: equal
   * bytes, equal BLAKE3.
   */
  group?: number;
}

/** The hash (null for an empty file's casId), or why the file could not be read. */
export type HashResult = { hash: string | null } | { error: { code: string; message: string } };

export interface FileStat {
  kind: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  modifiedAt: number;
  inode: number;
}

/** What duplicate detection and validation need of the filesystem. */
export interface FileChecksFileSystem {
  /**
   * The regular files under the roots that may have a duplicate among them (symlinks below a root are not followed;
   * fifos, sockets and devices are left out): those sharing their size and prefix hash with another (with `prefix`),
   * else their size and, when both are indexed, their casId. Each comes with its prefix hash when `prefix`, and with
   * the index's casId when below an `indexed` root that holds it unchanged. `totals` count every file. Unreadable
   * directories and files are reported, not fatal.
   */
  scan(
    roots: readonly string[],
    options: { prefix: boolean; indexed?: readonly IndexedRoot[] },
    onError: (error: ScanError) => void,
    onDone?: (finished: number, total: number | null) => void,
  ): Promise<{ files: ScannedFile[]; totals: { files: number; bytes: number } }>;
  /** Hashes files on hashing threads; results in the order of `items`. `onDone` counts finished files. */
  hashMany(items: readonly HashRequest[], kind: HashKind, onDone?: (finished: number) => void): Promise<HashResult[]>;
  /** lstat, or null when nothing is there (ENOENT, ENOTDIR); other errors are thrown. */
  stat(diskPath: string | Buffer): FileStat | null;
  close(): void;
}
