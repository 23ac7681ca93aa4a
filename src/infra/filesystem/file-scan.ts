import { readdirSync, statSync, type Dirent } from 'node:fs';
import type { ScanError } from '../../commands/files/ports.js';
import { escapeInvalidUtf8, isValidUtf8 } from './entry-names.js';

/** A file a listing showed: where to open it and the path shown for it. */
export interface ListedFile {
  diskPath: string | Buffer;
  path: string;
}

/**
 * Lists the files under the roots as `fdupes -r` considers them: hidden files included, symlinks never followed,
 * directories, fifos, sockets and devices left out by the listing's file type. Nothing is stat'ed here: the hash
 * pool stats files in parallel. Unlike the indexer's walker it applies no rules.
 */
export function listFiles(roots: readonly string[], onError: (error: ScanError) => void, onBatch: (files: ListedFile[]) => void, batchSize: number): void {
  let files: ListedFile[] = [];
  const add = (f: ListedFile) => {
    files.push(f);
    if (files.length < batchSize) return;
    onBatch(files);
    files = [];
  };
  const seenDirs = new Set<string>();
  for (const root of roots) {
    // a root that is a symlink is followed, as the user named it; symlinks below it are not
    let st;
    try {
      st = statSync(root, { throwIfNoEntry: false });
    } catch (err) {
      onError(fsError(root, err));
      continue;
    }
    if (!st) {
      onError({ path: root, code: 'ENOENT', message: 'does not exist' });
      continue;
    }
    if (st.isFile()) add({ diskPath: root, path: root });
    if (!st.isDirectory()) continue;
    const stack: ListedFile[] = [{ diskPath: root, path: root }];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      // a directory reached twice (a root given twice, or inside another root) is listed once
      const dirKey = typeof dir.diskPath === 'string' ? dir.diskPath : dir.diskPath.toString('latin1');
      if (seenDirs.has(dirKey)) continue;
      seenDirs.add(dirKey);
      let dirents: NamedDirent[];
      try {
        dirents = listDirectory(dir.diskPath);
      } catch (err) {
        onError(fsError(dir.path, err));
        continue;
      }
      for (let i = dirents.length - 1; i >= 0; i--) {
        const { name, raw, dirent } = dirents[i];
        const isDir = dirent.isDirectory();
        // an unknown type (some filesystems list none) is probed like a file; the probe skips what is not one
        if (!isDir && !dirent.isFile() && !isUnknownType(dirent)) continue;
        const path = `${dir.path}/${name}`;
        const diskPath = typeof dir.diskPath === 'string' && !raw ? path : joinBuffer(dir.diskPath, raw ?? Buffer.from(name));
        if (isDir) stack.push({ diskPath, path });
        else add({ diskPath, path });
      }
    }
  }
  if (files.length > 0) onBatch(files);
}

interface NamedDirent {
  name: string;
  /** The name's bytes when they are not valid UTF-8 (`name` is then a readable stand-in). */
  raw?: Buffer;
  dirent: Dirent;
}

function isUnknownType(d: Dirent): boolean {
  return !d.isFile() && !d.isDirectory() && !d.isSymbolicLink() && !d.isFIFO() && !d.isSocket() && !d.isCharacterDevice() && !d.isBlockDevice();
}

/** A directory's entries; one holding names that are not valid UTF-8 is read again as bytes. */
function listDirectory(diskPath: string | Buffer): NamedDirent[] {
  const dirents = readdirSync(diskPath, { withFileTypes: true }) as Dirent[];
  const suspicious = typeof diskPath !== 'string' || dirents.some((d) => d.name.includes('\uFFFD'));
  if (!suspicious) return dirents.map((dirent) => ({ name: dirent.name, dirent }));
  const raw = readdirSync(diskPath, { withFileTypes: true, encoding: 'buffer' }) as unknown as Dirent<Buffer>[];
  return raw.map((d) => {
    const bytes = d.name;
    const dirent = d as unknown as Dirent;
    return isValidUtf8(bytes) ? { name: bytes.toString('utf8'), dirent } : { name: escapeInvalidUtf8(bytes), raw: bytes, dirent };
  });
}

function joinBuffer(dir: string | Buffer, name: Buffer): Buffer {
  return Buffer.concat([typeof dir === 'string' ? Buffer.from(dir) : dir, Buffer.from('/'), name]);
}

function fsError(p: string, err: unknown): ScanError {
  const e = err as NodeJS.ErrnoException;
  return { path: p, code: e.code ?? 'EIO', message: e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.message };
}
