import { createHash } from 'node:crypto';
import type { DiskPath, FileOperationsFs, TreeItem } from './ports.js';
import type { TransferInput } from './transfer-job.js';

/**
 * The temporary names of a copy or move job: each file is written under one and renamed into place, so a killed run
 * leaves at most these. They derive from the job and the file, so a redo overwrites what the killed run left, and a
 * resumed or cancelled job finds them by prefix.
 */
export function tempPrefixOf(jobId: string): string {
  return `.sd-${jobId.replace(/-/g, '').slice(-12)}-`;
}

/** The temporary name a job with this prefix writes `destination` under, beside it. */
export function tempPathOf(prefix: string, destination: DiskPath): Buffer {
  const slash = destination.lastIndexOf(0x2f);
  const name = createHash('sha1').update(destination.subarray(slash + 1)).digest('hex').slice(0, 16);
  return Buffer.concat([destination.subarray(0, slash + 1), Buffer.from(`${prefix}${name}.part`)]);
}

/** Removes the names under `prefix` beside `target` and in `directories` (the folders written below it). */
export async function removeTemporaries(fs: FileOperationsFs, prefix: string, target: DiskPath, directories: DiskPath[]): Promise<void> {
  const slash = target.lastIndexOf(0x2f);
  for (const dir of [target.subarray(0, Math.max(slash, 1)), ...directories]) {
    for (const name of fs.namesStartingWith(dir, prefix)) await fs.removeFile(Buffer.concat([dir, SLASH, name])).catch(() => undefined);
  }
}

/**
 * What a cancelled transfer leaves is what it finished, nothing half done: its temporary files go (a killed copy
 * leaves one, maybe of gigabytes), and the folders it made get their source's mode (they stay owner-writable while
 * the job writes in them).
 */
export async function tidyCancelled(fs: FileOperationsFs, jobId: string, input: TransferInput): Promise<void> {
  const prefix = tempPrefixOf(jobId);
  for (let i = 0; i < input.targets.length; i++) {
    if (input.skipped[i]) continue;
    const target = Buffer.from(input.targets[i]);
    const folders: TreeItem[] = [];
    if (fs.lstat(target)?.kind === 'directory') for (const item of fs.walk(target)) if (item.kind === 'directory') folders.push(item);
    await removeTemporaries(fs, prefix, target, folders.map((f) => f.path));
    const source = Buffer.from(input.sources[i]);
    for (const folder of folders.reverse()) {
      // only a folder as the job leaves it until it is finished (0700): one that was there before keeps its mode
      if (folder.mode !== 0o700) continue;
      const from = fs.lstat(folder.rel.length ? Buffer.concat([source, ...folder.rel.flatMap((r) => [SLASH, r])]) : source);
      if (from?.kind === 'directory' && from.mode !== 0o700) await fs.finishDirectory(from, folder.path, input.preserveTimestamps).catch(() => undefined);
    }
  }
}

const SLASH = Buffer.from('/');
