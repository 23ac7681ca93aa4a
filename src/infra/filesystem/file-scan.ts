import { readdirSync, statSync, type Dirent } from 'node:fs';
import type { ScanError } from '../../commands/files/file-checks-ports.js';
import { escapeInvalidUtf8, isValidUtf8, uniqueStandIns } from './entry-names.js';

/** A file a listing showed: where to open it and the path shown for it. */
export interface ListedFile {
  diskPath: string | Buffer;
  path: string;
}

/**
 * The roots as the user named them: a root that is a symlink is followed (symlinks below it never are), a file root
 * is a file to compare, a folder root a folder to list.
 */
export function resolveRoots(roots: readonly string[], onError: (error: ScanError) => void): { files: ListedFile[]; dirs: ListedFile[] } {
  const files: ListedFile[] = [];
  const dirs: ListedFile[] = [];
  for (const root of roots) {
    let st;
    try {
      st = statSync(root, { throwIfNoEntry: false });
    } catch (err) {
      onError(fsError(root, err));
      continue;
    }
    if (!st) onError({ path: root, code: 'ENOENT', message: 'does not exist' });
    else if (st.isFile()) files.push({ diskPath: root, path: root });
    else if (st.isDirectory()) dirs.push({ diskPath: root, path: root });
  }
  return { files, dirs };
}

/**
 * One folder's entries as `fdupes -r` considers them: hidden files included, symlinks never followed, fifos,
 * sockets and devices left out by the listing's file type (an unknown type, which some filesystems list, is kept
 * as a file: its stat decides). Unlike the indexer's walker it applies no rules.
 */
export function listFolder(dir: ListedFile): { files: ListedFile[]; dirs: ListedFile[] } {
  const files: ListedFile[] = [];
  const dirs: ListedFile[] = [];
  for (const { name, rawName: raw, dirent } of listDirectory(dir.diskPath)) {
    const isDir = dirent.isDirectory();
    if (!isDir && !dirent.isFile() && !isUnknownType(dirent)) continue;
    const path = `${dir.path}/${name}`;
    const diskPath = typeof dir.diskPath === 'string' && !raw ? path : joinBuffer(dir.diskPath, raw ?? Buffer.from(name));
    (isDir ? dirs : files).push({ diskPath, path });
  }
  return { files, dirs };
}

interface NamedDirent {
  name: string;
  /** The name's bytes when they are not valid UTF-8 (`name` is then a readable stand-in). */
  rawName?: Buffer;
  dirent: Dirent;
}

function isUnknownType(d: Dirent): boolean {
  return !d.isFile() && !d.isDirectory() && !d.isSymbolicLink() && !d.isFIFO() && !d.isSocket() && !d.isCharacterDevice() && !d.isBlockDevice();
}

/** A directory's entries; one holding names that are not valid UTF-8 is read again as bytes. */
function listDirectory(diskPath: string | Buffer): NamedDirent[] {
  const dirents = readdirSync(diskPath, { withFileTypes: true }) as Dirent[];
  const suspicious = typeof diskPath !== 'string' || dirents.some((d) => d.name.includes('\uFFFD'));
  // pushed, not mapped: map() makes an empty folder's array of another kind, and the optimised walk, built for the
  // first kind, was thrown away and compiled again (some 0.1 s of compiling per thread on 100k files)
  const named: NamedDirent[] = [];
  if (!suspicious) {
    for (const dirent of dirents) named.push({ name: dirent.name, dirent });
    return named;
  }
  const raw = readdirSync(diskPath, { withFileTypes: true, encoding: 'buffer' }) as unknown as Dirent<Buffer>[];
  for (const d of raw) {
    const bytes = d.name;
    const dirent = d as unknown as Dirent;
    named.push(isValidUtf8(bytes) ? { name: bytes.toString('utf8'), dirent } : { name: escapeInvalidUtf8(bytes), rawName: bytes, dirent });
  }
  uniqueStandIns(named);
  return named;
}

function joinBuffer(dir: string | Buffer, name: Buffer): Buffer {
  return Buffer.concat([typeof dir === 'string' ? Buffer.from(dir) : dir, Buffer.from('/'), name]);
}

export function fsError(p: string, err: unknown): ScanError {
  const e = err as NodeJS.ErrnoException;
  return { path: p, code: e.code ?? 'EIO', message: e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.message };
}
