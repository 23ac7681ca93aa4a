import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { DomainError, ValidationError } from '../../domain/errors.js';
import type { JobProgress } from '../../domain/job/events.js';
import { fileTotals, filesOf, filesWithSharedContent, type IndexedFile } from '../../projections/locations/indexed-files.js';
import type { LocationRecord } from '../../projections/locations/queries.js';
import type { LocationQueries } from '../locations/location-queries.js';
import type { FileChecksFileSystem, HashKind, IndexedRoot, ScanError, ScannedFile } from './file-checks-ports.js';
import { IndexedDiskPaths, displayPathOf } from './indexed-paths.js';

import { DUPLICATE_MODES, type DuplicateMode } from './duplicate-modes.js';

export const DuplicatesQuery = z.object({
  paths: z.array(z.string().min(1)).default([]),
  location: z.string().min(1).optional(),
  mode: z.enum(DUPLICATE_MODES).default('deep'),
  minSize: z.number().int().nonnegative().default(0),
});
export type DuplicatesQuery = z.input<typeof DuplicatesQuery>;

export interface DuplicateGroup {
  /** What the files share: `size:N`, `name:NAME` (with the size), a casId, or a full BLAKE3 hash; `empty` for empty files. */
  key: string;
  size: number;
  /** Bytes freed by keeping one copy: size × (files − 1). */
  wastedBytes: number;
  paths: string[];
}

export interface DuplicatesReport {
  mode: DuplicateMode;
  source: { paths: string[] } | { location: { id: string; name: string; path: string } };
  groups: DuplicateGroup[];
  totals: { groups: number; duplicateFiles: number; wastedBytes: number; filesScanned: number; bytesScanned: number };
  /** Where content hashes came from: the index (files indexed and unchanged) or reading the disk now. */
  hashes: { fromIndex: number; computed: number; fullHashes: number };
  /** --location: indexed files without a casId (shallow index, or unreadable when indexed): not compared by content. */
  unidentified: number;
  /** --location: files in the groups that the disk no longer shows as indexed: the index is stale for them. */
  stale: { path: string; reason: string }[];
  errors: ScanError[];
}

/** Files up to this size have a casId of every byte (DESIGN §5); larger ones a sampled one. */
const CAS_WHOLE_FILE_LIMIT = 102_400;

export type DuplicatesProgress = (progress: JobProgress) => void;

/** A scanned file, or one from the index (`--location`): its links are then unknown, its casId maybe none. */
interface Candidate extends Omit<ScannedFile, 'links' | 'casId'> {
  /** A casId the index vouches for: recorded for this very file (same size, time and inode); null when it has none. */
  casId?: string | null;
  links?: number;
  /** Read whole just now, and still of the size and time expected when the read ended. */
  verified?: true;
}

/**
 * Finds duplicate files: size groups first (hard links to one file count once, as with fdupes), then the sampled
 * casId within size groups, then a full BLAKE3 of every byte within casId groups (`deep`). casIds come from the
 * index for files it holds unchanged, from the disk otherwise; `--location` reads the index alone (plus the full
 * hashes of `deep`). Read-only: nothing is appended.
 */
export async function findDuplicates(
  deps: { db: Database; locations: LocationQueries; fs: FileChecksFileSystem },
  query: DuplicatesQuery,
  onProgress: DuplicatesProgress = () => undefined,
): Promise<DuplicatesReport> {
  const parsed = DuplicatesQuery.safeParse(query);
  if (!parsed.success) throw new ValidationError('duplicates query', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const q = parsed.data;
  if ((q.paths.length > 0) === (q.location !== undefined)) {
    throw new DomainError('DUPLICATES_SOURCE', 'user', 'name the folders or files to search, or --location <name> to search a location\'s index (not both)');
  }
  const errors: ScanError[] = [];
  const byContent = q.mode === 'content' || q.mode === 'deep';
  let candidates: Candidate[];
  let location: LocationRecord | null = null;
  let unidentified = 0;
  let scannedTotals: { files: number; bytes: number };
  if (q.location !== undefined) {
    location = deps.locations.resolve(q.location);
    const disk = new IndexedDiskPaths(deps.db, location);
    const loc = location;
    const rows = byContent ? filesWithSharedContent(deps.db, location.key) : filesOf(deps.db, location.key);
    candidates = rows.map((f) => fromIndex(loc, disk, f));
    const totals = fileTotals(deps.db, location.key);
    if (byContent) unidentified = totals.unidentified;
    scannedTotals = { files: totals.files, bytes: totals.bytes };
  } else {
    const roots = q.paths.map((p) => path.resolve(p));
    // a path that cannot even be looked at (a folder on the way denies it) is reported by the scan, with the reason
    const missing = roots.filter((r) => {
      try {
        return deps.fs.stat(r) === null;
      } catch {
        return false;
      }
    });
    if (missing.length > 0) {
      throw new DomainError('PATH_MISSING', 'user', `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist: check the path`);
    }
    // folders inside a location: the scan takes the index's casIds for the files it holds unchanged (a stat each is
    // then enough); elsewhere every file that shares its size is opened anyway, so its first 4 KiB come with the stat
    const indexed: IndexedRoot[] = [];
    if (byContent && !deps.db.memory) {
      for (const root of roots) {
        const at = deps.locations.locate(root);
        if (at) indexed.push({ root, database: deps.db.name, location: at.location });
      }
    }
    const prefix = byContent && indexed.length === 0;
    onProgress({ phase: 'scanning', done: 0, total: null });
    // a file whose size (and first 4 KiB, or indexed casId) no other file has is counted, never grouped
    const scanned = await deps.fs.scan(roots, { prefix, indexed }, (e) => errors.push(e), (done, total) => onProgress({ phase: 'scanning', done, total }));
    const twice: Candidate[] = [];
    candidates = unique(scanned.files, roots.length, twice);
    scannedTotals = { files: scanned.totals.files - twice.length, bytes: scanned.totals.bytes - twice.reduce((n, f) => n + f.size, 0) };
  }
  const { files: filesScanned, bytes: bytesScanned } = scannedTotals;

  let groups = sizeGroups(candidates.filter((c) => c.size >= q.minSize));
  const hashes = { fromIndex: 0, computed: 0, fullHashes: 0 };
  if (q.mode === 'name-size') groups = groups.flatMap((g) => split(g, (c) => baseName(c.path)));
  if (byContent) {
    // files of one size that differ in their first 4 KiB are not duplicates: most files are never read further
    groups = groups.flatMap((g) => (g.members[0].size === 0 || g.members[0].prefix === undefined ? [g] : split(g, (c) => c.prefix!).map((s) => ({ ...s, key: g.key }))));
    if (q.mode === 'content') {
      groups = await splitByHash(deps.fs, groups, 'cas', errors, onProgress, hashes);
    } else {
      // a casId filters only where it is cheaper than reading every byte: known from the index, or sampled from a
      // large file; for a small file it reads the same bytes as the full hash
      const [filter, direct] = partition(groups, (g) => g.members[0].size > CAS_WHOLE_FILE_LIMIT || g.members.every((c) => typeof c.casId === 'string'));
      // the large files' casIds are read while the other groups are compared: the threads then never wait for the
      // few large files alone (a round trip of some 40 ms on 100k files); progress counts both comparisons as one
      const comparing = sharedProgress(onProgress);
      const [compared, filteredCompared] = await Promise.all([
        splitByHash(deps.fs, direct, 'full', errors, comparing(), hashes),
        splitByHash(deps.fs, filter, 'cas', errors, () => undefined, hashes).then((filtered) => splitByHash(deps.fs, filtered, 'full', errors, comparing(), hashes)),
      ]);
      groups = [...compared, ...filteredCompared];
    }
  }

  const result = groups.map((g) => toGroup(g, q.mode)).sort(byWaste);
  const stale = location ? staleMembers(deps.fs, result.flatMap((g) => g.paths).sort(compare), candidates) : [];
  return {
    mode: q.mode,
    source: location ? { location: { id: location.id, name: location.name, path: location.path } } : { paths: q.paths.map((p) => path.resolve(p)) },
    groups: result,
    totals: {
      groups: result.length,
      duplicateFiles: result.reduce((n, g) => n + g.paths.length - 1, 0),
      wastedBytes: result.reduce((n, g) => n + g.wastedBytes, 0),
      filesScanned,
      bytesScanned,
    },
    hashes,
    unidentified,
    stale,
    // in path order: the threads find them in an order of their own
    errors: errors.sort((a, b) => compare(a.path, b.path)),
  };
}

/** A group on its way: the key so far and its members (distinct files, never two links to one inode). */
interface Pending {
  key: string;
  members: Candidate[];
}

function sizeGroups(candidates: Candidate[]): Pending[] {
  const bySize = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const list = bySize.get(c.size);
    if (list) list.push(c);
    else bySize.set(c.size, [c]);
  }
  const groups: Pending[] = [];
  for (const [size, members] of bySize) {
    if (members.length < 2) continue;
    const distinct = oneLinkPerFile(members);
    if (distinct.length >= 2) groups.push({ key: `size:${size}`, members: distinct });
  }
  return groups;
}

/**
 * Hard links to one file are one file, not duplicates of each other (fdupes without -H): the group keeps the link
 * whose path sorts first.
 */
function oneLinkPerFile(members: Candidate[]): Candidate[] {
  if (members.every((m) => m.links === 1)) return members;
  members.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  return members.filter((m) => {
    const id = `${m.device}:${m.inode}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function partition<T>(items: T[], test: (t: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const t of items) (test(t) ? yes : no).push(t);
  return [yes, no];
}

function split(group: Pending, keyOf: (c: Candidate) => string | number): Pending[] {
  const byKey = new Map<string | number, Candidate[]>();
  for (const c of group.members) {
    const k = keyOf(c);
    const list = byKey.get(k);
    if (list) list.push(c);
    else byKey.set(k, [c]);
  }
  return [...byKey].filter(([, m]) => m.length >= 2).map(([k, members]) => ({ key: String(k), members }));
}

/**
 * Splits groups by a hash of their members' content. casIds the index vouches for are used as they are; the rest
 * are computed on the hashing threads. Files that cannot be read are reported and left out. Empty files are all
 * alike and need no hash.
 */
async function splitByHash(
  fs: FileChecksFileSystem,
  groups: Pending[],
  kind: HashKind,
  errors: ScanError[],
  onProgress: DuplicatesProgress,
  counts: DuplicatesReport['hashes'],
): Promise<Pending[]> {
  const hashOf = new Map<Candidate, string>();
  const toRead: Candidate[] = [];
  const groupOf: number[] = [];
  groups.forEach((g, index) => {
    if (g.members[0].size === 0) return;
    for (const c of g.members) {
      if (kind === 'cas' && c.casId !== undefined) {
        if (c.casId !== null) {
          hashOf.set(c, c.casId);
          counts.fromIndex++;
        }
      } else {
        toRead.push(c);
        groupOf.push(index);
      }
    }
  });
  const phase = kind === 'cas' ? 'hashing' : 'comparing';
  onProgress({ phase, done: 0, total: toRead.length });
  const results = await fs.hashMany(
    // a group's files are nearly always alike by now: a hash of every byte compares them with the group's first
    toRead.map((c, i) => ({ diskPath: c.diskPath, expected: { size: c.size, modifiedAt: c.modifiedAt }, group: groupOf[i] })),
    kind,
    (done) => onProgress({ phase, done, total: toRead.length }),
  );
  toRead.forEach((c, i) => {
    const r = results[i];
    if ('error' in r) errors.push({ path: c.path, code: r.error.code, message: readError(r.error) });
    else if (r.hash !== null) {
      hashOf.set(c, r.hash);
      if (kind === 'full') c.verified = true;
    }
  });
  if (kind === 'cas') counts.computed += toRead.length;
  else counts.fullHashes += toRead.length;
  return groups.flatMap((g) => {
    if (g.members[0].size === 0) return [{ key: 'empty', members: g.members }];
    return split({ key: g.key, members: g.members.filter((c) => hashOf.has(c)) }, (c) => hashOf.get(c)!);
  });
}

/** Progress reporters for passes that run at once, reporting their sum. */
function sharedProgress(onProgress: DuplicatesProgress): () => DuplicatesProgress {
  const parts: { done: number; total: number }[] = [];
  return () => {
    const part = { done: 0, total: 0 };
    parts.push(part);
    return (p) => {
      part.done = p.done;
      part.total = p.total ?? 0;
      onProgress({ phase: p.phase, done: parts.reduce((n, q) => n + q.done, 0), total: parts.reduce((n, q) => n + q.total, 0) });
    };
  };
}

function readError(e: { code: string; message: string }): string {
  if (e.code === 'ENOENT') return 'vanished while duplicates were searched';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'FILE_CHANGED') return 'changed while it was read; left out';
  return e.message;
}

function toGroup(g: Pending, mode: DuplicateMode): DuplicateGroup {
  const size = g.members[0].size;
  const key = mode === 'name-size' ? `name:${g.key}` : g.key;
  return { key, size, wastedBytes: size * (g.members.length - 1), paths: g.members.map((m) => m.path).sort(compare) };
}

function byWaste(a: DuplicateGroup, b: DuplicateGroup): number {
  return b.wastedBytes - a.wastedBytes || b.paths.length - a.paths.length || compare(a.paths[0], b.paths[0]);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function fromIndex(location: LocationRecord, disk: IndexedDiskPaths, f: IndexedFile): Candidate {
  return {
    diskPath: disk.of(f),
    path: displayPathOf(location.path, f),
    size: f.size,
    modifiedAt: f.modifiedAt,
    inode: f.inode,
    device: 0, // a location is one folder on one filesystem: inodes identify its files
    casId: f.casId,
  };
}

/** Files reached twice (a named file inside a named folder) once; the second sightings go to `twice`. */
function unique(files: Candidate[], roots: number, twice: Candidate[]): Candidate[] {
  if (roots < 2) return files;
  const seen = new Set<string>();
  return files.filter((f) => {
    if (seen.has(f.path)) {
      twice.push(f);
      return false;
    }
    seen.add(f.path);
    return true;
  });
}

/**
 * Reported files whose disk state no longer matches the index they were grouped from. A file read whole for its
 * group (`deep`) was grouped by its bytes of now, checked against the index's size and time as it was read.
 */
function staleMembers(fs: FileChecksFileSystem, paths: string[], candidates: Candidate[]): { path: string; reason: string }[] {
  const byPath = new Map(candidates.map((c) => [c.path, c]));
  const stale: { path: string; reason: string }[] = [];
  for (const p of paths) {
    const c = byPath.get(p)!;
    if (c.verified) continue;
    let st;
    try {
      st = fs.stat(c.diskPath);
    } catch (err) {
      stale.push({ path: p, reason: (err as NodeJS.ErrnoException).code === 'EACCES' ? 'cannot be read (permission denied)' : (err as Error).message });
      continue;
    }
    if (!st) stale.push({ path: p, reason: 'no longer exists' });
    else if (st.kind === 'other') stale.push({ path: p, reason: 'is not a regular file (a fifo, socket or device)' });
    else if (st.kind !== 'file') stale.push({ path: p, reason: `is now a ${st.kind}` });
    else if (st.size !== c.size) stale.push({ path: p, reason: `size changed (${c.size} → ${st.size} bytes)` });
    else if (st.modifiedAt !== c.modifiedAt || st.inode !== c.inode) stale.push({ path: p, reason: 'modified since it was indexed' });
  }
  return stale;
}
