import { lstatSync } from 'node:fs';
import type { FileChecksFileSystem, FileStat, HashKind, HashRequest, HashResult, ScanError, ScannedFile } from '../../commands/files/ports.js';
import { listFiles, type ListedFile } from './file-scan.js';
import { CHUNK, HashPool } from './hash-pool.js';

/** The filesystem of duplicate detection and validation: a rule-free listing, and threads that stat and hash. */
export class NodeFileChecksFileSystem implements FileChecksFileSystem {
  private readonly pool = new HashPool();

  async scan(roots: readonly string[], options: { prefix: boolean }, onError: (error: ScanError) => void, onDone?: (finished: number, total: number) => void): Promise<ScannedFile[]> {
    const listed: ListedFile[] = [];
    const probes = this.pool.probeStream(options.prefix, (n) => onDone?.(n, listed.length));
    listFiles(
      roots,
      onError,
      (batch) => {
        for (const f of batch) listed.push(f);
        probes.push(batch.map((f) => ({ diskPath: f.diskPath })));
      },
      CHUNK,
    );
    const probed = await probes.results();
    const files: ScannedFile[] = [];
    for (let i = 0; i < probed.length; i++) {
      const r = probed[i];
      if ('skip' in r) continue;
      const { diskPath, path } = listed[i];
      if ('error' in r) {
        const code = r.error.code;
        onError({ path, code, message: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : r.error.message });
        continue;
      }
      files.push({ diskPath, path, size: r.size, modifiedAt: r.modifiedAt, inode: r.inode, device: r.device, prefix: r.prefix });
    }
    return files;
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
