import { lstatSync } from 'node:fs';
import type { FileChecksFileSystem, FileStat, HashKind, HashRequest, HashResult, IndexedRoot, ScanError, ScannedFile } from '../../commands/files/file-checks-ports.js';
import { resolveRoots } from './file-scan.js';
import { HashPool, type IndexedFolders } from './hash-pool.js';

/** The filesystem of duplicate detection and validation: a rule-free listing, and threads that stat and hash. */
export class NodeFileChecksFileSystem implements FileChecksFileSystem {
  private readonly pool = new HashPool();

  async scan(
    roots: readonly string[],
    options: { prefix: boolean; indexed?: readonly IndexedRoot[] },
    onError: (error: ScanError) => void,
    onDone?: (finished: number, total: number | null) => void,
  ): Promise<{ files: ScannedFile[]; totals: { files: number; bytes: number } }> {
    const { files: rootFiles, dirs } = resolveRoots(roots, onError);
    const probed = await this.pool.probeMany(rootFiles.map((f) => ({ diskPath: f.diskPath })), options.prefix);
    const named: ScannedFile[] = [];
    probed.forEach((r, i) => {
      const { diskPath, path } = rootFiles[i];
      if ('error' in r) onError({ path, code: r.error.code, message: r.error.message });
      else if (!('skip' in r)) named.push({ diskPath, path, size: r.size, modifiedAt: r.modifiedAt, inode: r.inode, device: r.device, links: r.links, prefix: r.prefix });
    });
    const indexes: IndexedFolders[] = [];
    const folders = dirs.map((d) => {
      const at = options.indexed?.find((r) => r.root === d.path);
      if (!at) return d;
      indexes.push({ database: at.database, location: { key: at.location.key, path: at.location.path } }); // only what the threads need crosses to them
      return { ...d, index: indexes.length - 1 };
    });
    const walked = await this.pool.walk(folders, { prefix: options.prefix, indexes, alongside: named }, (n) => onDone?.(n, null));
    for (const e of walked.errors) onError(e);
    return { files: walked.files, totals: walked.totals };
  }

  hashMany(items: readonly HashRequest[], kind: HashKind, onDone?: (finished: number) => void): Promise<HashResult[]> {
    return this.pool.hashMany(items, kind, onDone);
  }

  stat(diskPath: string | Buffer): FileStat | null {
    let st;
    try {
      st = lstatSync(diskPath, { throwIfNoEntry: false });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return null; // a folder on the way became a file
      throw err;
    }
    if (!st) return null;
    const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other';
    return { kind, size: st.size, modifiedAt: Math.trunc(st.mtimeMs), inode: st.ino };
  }

  close(): void {
    this.pool.close();
  }
}
