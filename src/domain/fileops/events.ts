import { z } from 'zod';
import { defineEvent, type EventOf } from '../event-catalog.js';

/** The record of one file operation job: what it did to each path, in the order it did it. */
export const fileOperationStream = (jobId: string): string => `fileop-${jobId}`;

export const FILE_ACTIONS = ['copy', 'move', 'delete'] as const;
export const FileAction = z.enum(FILE_ACTIONS);
export type FileAction = z.infer<typeof FileAction>;

import { DELETE_MODES, OVERWRITE_POLICIES } from './policies.js';

export const OverwritePolicy = z.enum(OVERWRITE_POLICIES);
export type OverwritePolicy = z.infer<typeof OverwritePolicy>;

export const DeleteMode = z.enum(DELETE_MODES);
export type DeleteMode = z.infer<typeof DeleteMode>;

/**
 * How the bytes got there: rename(2), a copy-on-write clone, a kernel copy, read-and-write (hashing on the way), or
 * a hard link to the copy of another name of the same source file (as `cp -a` keeps hard links).
 */
export const STRATEGIES = ['rename', 'clone', 'copy', 'stream', 'link'] as const;
export const Strategy = z.enum(STRATEGIES);
export type Strategy = z.infer<typeof Strategy>;

/**
 * Where a job stands: every item up to and including this one (source index, then the item's path components below
 * that source, base64 of their bytes, in walk order) is done. Walk order is depth-first, names in byte order.
 */
export const WorkMark = z.object({ source: z.number().int().nonnegative(), rel: z.array(z.string()) });
export type WorkMark = z.infer<typeof WorkMark>;

/** Paths are absolute; a name that is not valid UTF-8 is written with `\xHH` escapes. */
const PathText = z.string().min(1);
const EntryKind = z.enum(['file', 'directory', 'symlink']);

export const CopiedPath = z.object({
  source: PathText,
  destination: PathText,
  kind: EntryKind,
  /** Permission bits (st_mode & 0o7777). */
  mode: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  strategy: Strategy,
  /** Full-file BLAKE3 of source and destination (equal), when `--verify` computed it. */
  hash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** The destination existed and was replaced. */
  replaced: z.boolean().optional(),
  /** The source's `dev:ino` when it has other hard links: a resumed job links their copies to this one. */
  inode: z.string().min(1).optional(),
});
export type CopiedPath = z.infer<typeof CopiedPath>;

export const DeletedPath = z.object({
  source: PathText,
  kind: EntryKind,
  mode: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Where the trash keeps it (trash mode only). */
  trashedTo: PathText.optional(),
});
export type DeletedPath = z.infer<typeof DeletedPath>;

export const FailedPath = z.object({
  source: PathText,
  destination: PathText.optional(),
  code: z.string().min(1),
  message: z.string(),
});
export type FailedPath = z.infer<typeof FailedPath>;

const Batch = { jobId: z.uuid(), at: z.iso.datetime(), through: WorkMark };

/** Copied (action copy) or moved (action move: the source is gone) paths; one event per batch, never per file. */
export const FilesCopied = defineEvent(
  'FilesCopied',
  z.object({ ...Batch, action: z.enum(['copy', 'move']), paths: z.array(CopiedPath).min(1) }),
);
export const FilesDeleted = defineEvent('FilesDeleted', z.object({ ...Batch, mode: DeleteMode, paths: z.array(DeletedPath).min(1) }));
/** Paths the job could not handle and went on without (not retried on resume). */
export const FileOperationFailed = defineEvent(
  'FileOperationFailed',
  z.object({ ...Batch, action: FileAction, failures: z.array(FailedPath).min(1) }),
);

export const fileOperationEvents = [FilesCopied, FilesDeleted, FileOperationFailed] as const;

export type FileOperationEvent = EventOf<typeof FilesCopied> | EventOf<typeof FilesDeleted> | EventOf<typeof FileOperationFailed>;
