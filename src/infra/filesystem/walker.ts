import { lstatSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import type { DirectoryListing, EntryKind, WalkError, WalkOptions } from '../../commands/locations/ports.js';
import { joinPath } from '../../domain/location/entry-path.js';
import { escapeInvalidUtf8, isValidUtf8 } from './entry-names.js';
import { RuleMatcher, type DirectoryRules } from './rules/rule-matcher.js';

interface Pending {
  relPath: string;
  diskPath: string | Buffer;
  depth: number;
  parentRules: DirectoryRules | null;
}

/**
 * Walks a tree depth-first in name order, one directory listing at a time, so memory holds the path stack and not
 * the tree. Symlinks are entries and are never followed, which also makes symlink loops harmless.
 */
export function* walk(root: string, options: WalkOptions): Generator<DirectoryListing> {
  const matcher = new RuleMatcher(options.rules, root);
  const statFiles = options.statFiles ?? true;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const stack: Pending[] = [{ relPath: '', diskPath: root, depth: 0, parentRules: null }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const listing = readDirectory(dir, matcher, statFiles);
    yield listing.listing;
    if (dir.depth >= maxDepth || !listing.rules) continue;
    const children = listing.listing.entries;
    for (let i = children.length - 1; i >= 0; i--) {
      const e = children[i];
      if (e.kind !== 'directory') continue;
      stack.push({ relPath: joinPath(dir.relPath, e.name), diskPath: e.diskPath, depth: dir.depth + 1, parentRules: listing.rules });
    }
  }
}

function readDirectory(dir: Pending, matcher: RuleMatcher, statFiles: boolean): { listing: DirectoryListing; rules: DirectoryRules | null } {
  const listing: DirectoryListing = { relPath: dir.relPath, diskPath: dir.diskPath, depth: dir.depth, entries: [], entryErrors: [] };
  let dirents: { name: string; rawName?: Buffer; dirent: Dirent | null }[];
  try {
    dirents = listNames(dir.diskPath);
  } catch (err) {
    listing.error = fsError(dir.relPath || '.', err);
    return { listing, rules: null };
  }
  const names = dirents.map((d) => d.name);
  const rules = dir.parentRules ? matcher.child(dir.parentRules, dir.relPath, names) : matcher.root(names);
  for (const { name, rawName, dirent } of dirents) {
    const isDir = dirent ? dirent.isDirectory() : false;
    if (rules.skipReason(name, isDir) !== null) continue;
    const diskPath = entryDiskPath(dir.diskPath, name, rawName);
    if (!statFiles && dirent?.isFile()) {
      const hidden = name.charCodeAt(0) === 46;
      listing.entries.push({ name, ...(rawName ? { rawName } : {}), kind: 'file', size: 0, inode: 0, modifiedAt: 0, hidden, diskPath, unstated: true });
      continue;
    }
    let st: Stats | undefined;
    try {
      st = lstatSync(diskPath, { throwIfNoEntry: false });
    } catch (err) {
      listing.entryErrors.push(fsError(joinPath(dir.relPath, name), err));
      continue;
    }
    if (!st) continue; // removed since the listing: it is simply not there
    const kind: EntryKind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : 'file';
    if (kind === 'directory' && !isDir && rules.skipReason(name, true) !== null) continue;
    listing.entries.push({
      name,
      ...(rawName ? { rawName } : {}),
      kind,
      size: kind === 'directory' ? 0 : st.size,
      inode: st.ino,
      modifiedAt: Math.trunc(st.mtimeMs),
      hidden: name.charCodeAt(0) === 46,
      diskPath,
    });
  }
  return { listing, rules };
}

/** Names in sorted order; a directory holding names that are not valid UTF-8 is read again as bytes. */
function listNames(diskPath: string | Buffer): { name: string; rawName?: Buffer; dirent: Dirent | null }[] {
  const dirents = readdirSync(diskPath, { withFileTypes: true }) as Dirent[];
  let suspicious = typeof diskPath !== 'string';
  const out: { name: string; rawName?: Buffer; dirent: Dirent | null }[] = new Array(dirents.length);
  for (let i = 0; i < dirents.length; i++) {
    const name = dirents[i].name;
    if (!suspicious && name.includes('\uFFFD')) suspicious = true;
    out[i] = { name, dirent: dirents[i] };
  }
  if (suspicious) {
    const raw = readdirSync(diskPath, { withFileTypes: true, encoding: 'buffer' }) as unknown as Dirent<Buffer>[];
    for (let i = 0; i < raw.length; i++) {
      const bytes = raw[i].name;
      if (isValidUtf8(bytes)) out[i] = { name: bytes.toString('utf8'), dirent: raw[i] as unknown as Dirent };
      else out[i] = { name: escapeInvalidUtf8(bytes), rawName: bytes, dirent: raw[i] as unknown as Dirent };
    }
    out.length = raw.length;
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}

/** Where to open a directory's entry: a string path while every part of it is valid UTF-8, else bytes. */
export function entryDiskPath(dir: string | Buffer, name: string, rawName: Buffer | undefined): string | Buffer {
  return typeof dir === 'string' && !rawName ? `${dir}/${name}` : joinBuffer(dir, rawName ?? Buffer.from(name));
}

function joinBuffer(dir: string | Buffer, name: Buffer): Buffer {
  const d = typeof dir === 'string' ? Buffer.from(dir) : dir;
  return Buffer.concat([d, Buffer.from('/'), name]);
}

function fsError(path: string, err: unknown): WalkError {
  const e = err as NodeJS.ErrnoException;
  return { path, code: e.code ?? 'EIO', message: e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.message };
}
