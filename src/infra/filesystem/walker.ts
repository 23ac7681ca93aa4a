import { lstatSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import type { DirectoryListing, EntryKind, WalkedEntry, WalkError, WalkOptions } from '../../commands/locations/ports.js';
import { joinPath } from '../../domain/location/entry-path.js';
import { escapeInvalidUtf8, isValidUtf8, uniqueStandIns } from './entry-names.js';
import { RuleMatcher, type DirectoryRules } from './rules/rule-matcher.js';

interface Pending {
  relPath: string;
  diskPath: string | Buffer;
  depth: number;
  parentRules: DirectoryRules | null;
}

/**
 * Walks a tree depth-first in name order, one directory listing at a time, so memory holds the path stack and not
 * the tree. Symlinks are entries and are never followed, which also makes symlink loops harmless. With
 * `partEntries`, a directory holding more entries comes as several listings in a row, each but the last `more`.
 */
export function* walk(root: string, options: WalkOptions & { leaveAlternateFiles?: boolean }): Generator<DirectoryListing> {
  const matcher = new RuleMatcher(options.rules, root);
  // leaveAlternateFiles: every other regular file comes unstated, for the caller to stat (`statLeftFiles`)
  const statFiles = options.statFiles === false ? false : options.leaveAlternateFiles ? 'alternate' : true;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const partEntries = options.partEntries ?? Number.POSITIVE_INFINITY;
  const exclude = options.exclude?.length ? new Set(options.exclude) : null;
  const stack: Pending[] = [{ relPath: '', diskPath: root, depth: 0, parentRules: null }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const parts = readDirectory(dir, matcher, statFiles, partEntries, exclude);
    const subdirectories: WalkedEntry[] = [];
    let part;
    while (!(part = parts.next()).done) {
      for (const e of part.value.entries) if (e.kind === 'directory') subdirectories.push(e);
      yield part.value;
    }
    const rules = part.value;
    if (dir.depth >= maxDepth || !rules) continue;
    for (let i = subdirectories.length - 1; i >= 0; i--) {
      const e = subdirectories[i];
      stack.push({ relPath: joinPath(dir.relPath, e.name), diskPath: e.diskPath, depth: dir.depth + 1, parentRules: rules });
    }
  }
}

/** The directory's listing, in parts of at most `partEntries` entries; returns its rules (null: it cannot be read). */
function* readDirectory(
  dir: Pending, matcher: RuleMatcher, statFiles: boolean | 'alternate', partEntries: number, exclude: Set<string> | null,
): Generator<DirectoryListing, DirectoryRules | null> {
  let leave = false;
  let listing: DirectoryListing = { relPath: dir.relPath, diskPath: dir.diskPath, depth: dir.depth, entries: [], entryErrors: [] };
  let dirents: { name: string; rawName?: Buffer; dirent: Dirent | null }[];
  try {
    dirents = listNames(dir.diskPath);
  } catch (err) {
    listing.error = fsError(dir.relPath || '.', err);
    yield listing;
    return null;
  }
  const names = dirents.map((d) => d.name);
  const rules = dir.parentRules ? matcher.child(dir.parentRules, dir.relPath, names) : matcher.root(names);
  for (const { name, rawName, dirent } of dirents) {
    if (listing.entries.length >= partEntries) {
      listing.more = true;
      yield listing;
      listing = { relPath: dir.relPath, diskPath: dir.diskPath, depth: dir.depth, entries: [], entryErrors: [] };
    }
    const isDir = dirent ? dirent.isDirectory() : false;
    if (rules.skipReason(name, isDir) !== null) continue;
    const diskPath = entryDiskPath(dir.diskPath, name, rawName);
    if (exclude !== null && typeof diskPath === 'string' && exclude.has(diskPath)) continue;
    if (dirent?.isFile() && (statFiles === false || (statFiles === 'alternate' && (leave = !leave)))) {
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
    // a fifo, socket or device is no file: it has no content to index, and opening it could block
    if (!st.isFile() && !st.isDirectory() && !st.isSymbolicLink()) continue;
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
  yield listing;
  return rules;
}

/**
 * Stats the files a walk left unstated (`leaveAlternateFiles`), in place. A file gone since the listing is left out,
 * as the walk leaves it out; so is one that became a folder (the walk did not go into it: the next scan does).
 */
export function statLeftFiles(listing: DirectoryListing): void {
  const entries = listing.entries;
  let kept = 0;
  for (const e of entries) {
    if (e.unstated) {
      let st: Stats | undefined;
      try {
        st = lstatSync(e.diskPath, { throwIfNoEntry: false });
      } catch (err) {
        listing.entryErrors.push(fsError(joinPath(listing.relPath, e.name), err));
        continue;
      }
      if (!st || !(st.isFile() || st.isSymbolicLink())) continue;
      e.kind = st.isSymbolicLink() ? 'symlink' : 'file';
      e.size = st.size;
      e.inode = st.ino;
      e.modifiedAt = Math.trunc(st.mtimeMs);
      delete e.unstated;
    }
    entries[kept++] = e;
  }
  entries.length = kept;
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
    uniqueStandIns(out);
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
