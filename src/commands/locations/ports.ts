import type { ContentFacts } from '../../domain/location/events.js';
import type { IndexerRules } from '../../domain/location/indexer-rules.js';

export type EntryKind = 'file' | 'directory' | 'symlink';

/** One entry as the disk shows it. */
export interface WalkedEntry {
  name: string;
  /** The name's bytes when they are not valid UTF-8 (then `name` is a readable stand-in). */
  rawName?: Buffer;
  kind: EntryKind;
  size: number;
  inode: number;
  modifiedAt: number;
  hidden: boolean;
  /** Where to open it: a Buffer when some part of the path is not valid UTF-8. */
  diskPath: string | Buffer;
  /** A regular file walked without `statFiles`: size, inode and modifiedAt are 0 until it is identified. */
  unstated?: true;
}

export interface WalkError {
  path: string;
  code: string;
  message: string;
}

export interface DirectoryListing {
  /** Relative to the root, POSIX; '' for the root itself. */
  relPath: string;
  diskPath: string | Buffer;
  depth: number;
  /** Sorted by name; entries the rules skip are left out. */
  entries: WalkedEntry[];
  /** Set when the directory could not be read: its entries are unknown, not absent. */
  error?: WalkError;
  /** Entries that could not be examined between the listing and their stat. */
  entryErrors: WalkError[];
  /** More entries of this directory come in the next listing (see `WalkOptions.partEntries`). */
  more?: true;
}

export interface WalkOptions {
  rules: IndexerRules;
  /** Directory levels below the root to read: 0 reads only the root. */
  maxDepth?: number;
  /**
   * false: regular files (as the directory listing types them) are not stat'ed; they come `unstated`, their size,
   * inode and time to be learnt by identifying them. Saves a path lookup per file when every file is read anyway.
   */
  statFiles?: boolean;
  /**
   * A directory with more entries than this comes in parts, so that a huge folder is recorded while the rest of it
   * is still being stat'ed, not held whole; unset: one listing per directory.
   */
  partEntries?: number;
  /**
   * `walkAhead` only: the walk thread leaves every other regular file to the caller's thread, which stats it as the
   * listing arrives. For a caller that would otherwise wait on the walk thread (a rescan: comparing costs far less
   * than the stats), so that both threads stat. The listings are then those of `walk` but for a file that became a
   * folder between the listing and its stat: it is left out, for the next scan (the walk did not go into it).
   */
  shareStats?: boolean;
  /**
   * Absolute real paths the walk leaves out, as if they were not there: spacedrive's own data directory (its
   * libraries change with every scan; a location holding it, $HOME say, would never scan clean).
   */
  exclude?: string[];
}

export interface IdentifyRequest {
  diskPath: string | Uint8Array;
  name: string;
  /**
   * Size and time as the walk saw them: a file that differs by the end of its read is FILE_CHANGED. Without them the
   * path must be a regular file (a symlink is not followed) and the result says its size, inode and time.
   */
  expected?: { size: number; modifiedAt: number };
}

export interface FileStat {
  size: number;
  inode: number;
  modifiedAt: number;
}

/**
 * A file's content facts (null when it is empty) and the stat they were read at, or why it could not be read. An
 * error carries the file's `stat` when the request gave no `expected` and the file is there but could not be read.
 */
export type IdentifyResult = ({ content: ContentFacts | null } & FileStat) | { error: { code: string; message: string }; stat?: FileStat };

/** What the indexer needs of the filesystem. */
export interface IndexerFileSystem {
  walk(root: string, options: WalkOptions): Iterable<DirectoryListing>;
  /**
   * The listings of `walk`, in the same order, read on a thread of its own while the caller works on the ones
   * before: for a walk that stats its entries, which is most of a walk's work.
   */
  walkAhead(root: string, options: WalkOptions): AsyncIterable<DirectoryListing>;
  /**
   * casId, kind and MIME of files (and media facts when `deep`), spread over hashing threads; results in the order
   * of `items`. A file that changes while read is FILE_CHANGED; one that cannot be read gives its fs error code.
   */
  identifyMany(items: readonly IdentifyRequest[], deep: boolean): Promise<IdentifyResult[]>;
  /** Whether anything exists at the path (lstat: a dangling symlink exists). */
  exists(diskPath: string | Buffer): boolean;
  /** The inode of the folder at the path (a symlink followed); null when there is no folder there. */
  folderInode(path: string): number | null;
  /**
   * Checks that a path can be a location: an existing, readable directory. Returns its absolute, real path
   * (symlinks resolved) or throws a user DomainError saying what is wrong.
   */
  inspectRoot(path: string): string;
  /** Starts the hashing threads ahead of the first batch (they take a while to boot): a first content scan needs them. */
  startThreads(): void;
  /**
   * Lets the hashing threads go when no batch is out (a job ended): the next batch starts them again. A walk thread
   * goes by itself once unused for a few seconds.
   */
  releaseThreads(): void;
  /** Stops the hashing and walk threads. */
  close(): void;
}
