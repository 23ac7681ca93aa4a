import { existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors.js';
import { renamedCopy } from '../../domain/fileops/decider.js';
import type { DeleteMode, OverwritePolicy, Strategy } from '../../domain/fileops/events.js';
import type { DetectedVolume } from '../volumes/ports.js';
import { transferStrategy } from '../volumes/transfer-strategy.js';
import type { DiskPath, FileOperationsFs } from './ports.js';

export interface TransferRequest {
  action: 'copy' | 'move';
  sources: string[];
  destination: string;
  overwrite: OverwritePolicy;
  verify: boolean;
  preserveTimestamps: boolean;
  /** `--sync`: every file and touched folder fsynced before it is recorded (durable against power loss). */
  sync: boolean;
}

/**
 * How one source is handled: `rename` moves it whole with rename(2); `rename-each` renames its files into an
 * existing directory on the same mount; `copy` writes every file (clone, kernel copy, or `stream` when verified).
 */
export type TransferMethod = 'rename' | 'rename-each' | 'copy';

export interface PlannedTransfer {
  source: string;
  target: string;
  kind: 'file' | 'directory' | 'symlink';
  method: TransferMethod;
  /**
   * What the job will do, as the volume layer's facts decide: `rename` (a move within one mount), `clone` (one
   * copy-on-write filesystem; a refused clone still falls back to `copy`), `copy` (the kernel's copy) or `stream`
   * (read, hashed and written: `--verify`).
   */
  strategy: Strategy;
  /** The target existed: how the overwrite policy resolves it. */
  conflict: null | { existing: 'file' | 'directory' | 'symlink'; resolution: 'replace' | 'merge' | 'skip' | 'rename' };
  files: number;
  directories: number;
  bytes: number;
}

export interface Refusal {
  /** The source (or path to delete) refused, absolute as the plan's items show it; absent when the whole operation is. */
  path?: string;
  code: string;
  message: string;
}

export interface TransferPlan {
  action: 'copy' | 'move';
  destination: string;
  items: PlannedTransfer[];
  files: number;
  directories: number;
  bytes: number;
  /** Bytes written on the target filesystem (not those moved by rename). */
  bytesToWrite: number;
  /** Bytes an unprivileged writer may still use on the target volume (its `availableBytes`). */
  freeBytes: number;
  /** The volume that receives the sources, as the volume layer sees it; null when the destination is refused. */
  targetVolume: TargetVolume | null;
  refusals: Refusal[];
}

export type TargetVolume = Pick<DetectedVolume, 'mountPoint' | 'fileSystem' | 'availableBytes' | 'totalBytes' | 'readOnly' | 'copyOnWrite'>;

/** What no file operation may touch: the data directory of spacedrive itself (its libraries, logs and keys). */
export interface PlanGuards {
  /** Its real path (symlinks resolved), as the paths compared with it are. */
  dataDir: string;
}

/** A folder cannot take new names: a read-only mount (which even root cannot write), or permissions. */
function readOnlyReason(fs: FileOperationsFs, dir: string, volume: DetectedVolume): string | null {
  if (volume.readOnly) return `the volume at ${volume.mountPoint} is mounted read-only`;
  // root passes access(2) whatever the mode bits: for root only the mount's read-only flag says no
  return fs.canWrite(Buffer.from(dir)) ? null : 'permission denied';
}

/** Looks at sources and destination and says what a copy or move would do, and what makes it impossible. */
export async function planTransfer(fs: FileOperationsFs, r: TransferRequest, guards: PlanGuards): Promise<TransferPlan> {
  const refusals: Refusal[] = [];
  const destination = path.resolve(r.destination);
  const plan: TransferPlan = { action: r.action, destination, items: [], files: 0, directories: 0, bytes: 0, bytesToWrite: 0, freeBytes: 0, targetVolume: null, refusals };
  if ([r.destination, ...r.sources].some((p) => p === '')) {
    refusals.push({ code: 'PATH_EMPTY', message: 'an empty path names nothing: give the path of a file or folder' });
    return plan;
  }
  const dotted = r.sources.filter(endsInDots);
  if (dotted.length) {
    // `dir/.` is the contents of dir to cp, dir itself to a path resolver, and `link/.` the folder behind the link:
    // which was meant is not ours to guess
    for (const p of dotted) refusals.push({ code: 'PATH_DOTS', message: dotsMessage(p, r.action) });
    return plan;
  }
  // a file on the way (f/x with f a file) is as missing as a name that is not there
  const destStat = statQuietly(destination);
  if (r.destination.endsWith('/') && !destStat?.isDirectory()) {
    // as cp and mv read it: a trailing slash names a folder that must exist
    refusals.push({ code: 'DESTINATION_MISSING', message: `${destination}/ is not an existing directory: create it first, or leave out the trailing slash` });
    return plan;
  }
  const intoDirectory = destStat?.isDirectory() ?? false;
  const targetDir = intoDirectory ? destination : path.dirname(destination);
  if (!statQuietly(targetDir)?.isDirectory()) {
    refusals.push({ code: 'DESTINATION_MISSING', message: `${targetDir} is not an existing directory: create it first` });
    return plan;
  }
  if (!intoDirectory && r.sources.length > 1) {
    refusals.push({ code: 'DESTINATION_NOT_DIRECTORY', message: `${destination} must be an existing directory to receive ${r.sources.length} sources` });
    return plan;
  }
  // asked once per distinct folder: per target and per top-level source, never per file
  const volumes = new Map<string, Promise<DetectedVolume>>();
  const volumeOf = (p: string) => {
    let v = volumes.get(p);
    if (!v) volumes.set(p, (v = fs.volumes.volumeOf(p)));
    return v;
  };
  const targetVolume = await volumeOf(targetDir);
  const { mountPoint, fileSystem, availableBytes, totalBytes, readOnly, copyOnWrite } = targetVolume;
  plan.targetVolume = { mountPoint, fileSystem, availableBytes, totalBytes, readOnly, copyOnWrite };
  const targetReadOnly = readOnlyReason(fs, targetDir, targetVolume);
  if (targetReadOnly) refusals.push({ code: 'TARGET_READ_ONLY', message: `${targetDir} cannot be written: ${targetReadOnly}` });
  plan.freeBytes = availableBytes;
  const realTargetDir = realpathSync(targetDir);
  const { dataDir } = guards;
  const targets = new Set<string>();
  /** Files with several names (hard links) already counted in the bytes to write: they take their space once. */
  const linkedWritten = new Set<string>();
  for (const raw of r.sources) {
    let source = path.resolve(raw);
    /** The name the source gets in the destination folder: a symlink followed (`link/`) keeps the link's. */
    const name = path.basename(source);
    let top = fs.lstat(Buffer.from(source));
    if (raw.endsWith('/') && top?.kind === 'symlink' && r.action === 'copy') {
      // as cp does: `link/` is the folder the symlink points to, copied under the link's name
      const folder = directoryBehind(source);
      if (folder) {
        source = folder;
        top = fs.lstat(Buffer.from(folder));
      }
    }
    if (!top) {
      refusals.push({ path: source, code: 'SOURCE_MISSING', message: `${source} does not exist` });
      continue;
    }
    if (top.kind === 'other') {
      refusals.push({ path: source, code: 'SOURCE_UNSUPPORTED', message: `${source} is not a file, directory or symlink` });
      continue;
    }
    if (raw.endsWith('/') && top.kind !== 'directory') {
      const message = top.kind === 'symlink' && directoryBehind(source)
        ? `${source}/ is a symlink to a folder: leave out the trailing slash to move the symlink itself, or name the folder (${directoryBehind(source)})`
        : `${source}/ is not a directory: leave out the trailing slash to ${r.action} the ${top.kind}`;
      refusals.push({ path: source, code: 'SOURCE_NOT_DIRECTORY', message });
      continue;
    }
    let target = intoDirectory ? path.join(destination, name) : destination;
    const realSource = top.kind === 'directory' ? realpathSync(source) : source;
    if (top.kind === 'directory' && (realTargetDir === realSource || realTargetDir.startsWith(`${realSource}/`))) {
      refusals.push({ path: source, code: 'DESTINATION_INSIDE_SOURCE', message: `${target} is inside ${source}: a folder cannot be copied or moved into itself` });
      continue;
    }
    if (target === source) {
      refusals.push({ path: source, code: 'SAME_PATH', message: `${source} would be ${r.action === 'copy' ? 'copied' : 'moved'} onto itself` });
      continue;
    }
    if (r.action === 'move' && overlaps(realPathOf(source, top.kind), dataDir)) {
      refusals.push({ path: source, code: 'PATH_PROTECTED', message: `${source} holds spacedrive's data directory (${guards.dataDir}) or is inside it: it cannot be moved by spacedrive` });
      continue;
    }
    if (within(path.join(realTargetDir, path.basename(target)), dataDir)) {
      refusals.push({ path: source, code: 'PATH_PROTECTED', message: `${target} is inside spacedrive's data directory (${guards.dataDir}): copy or move somewhere else` });
      continue;
    }
    if (targets.has(target) && r.overwrite !== 'rename') {
      // the second would replace (or be skipped for) what the first just put there: the first would be lost
      refusals.push({ path: source, code: 'SOURCES_COLLIDE', message: `two sources would both become ${target}: move or copy them separately, or use --overwrite rename` });
      continue;
    }
    // a symlink is moved as itself: it lives on its folder's volume, wherever it points
    const sourceVolume = await volumeOf(top.kind === 'symlink' ? path.dirname(source) : source);
    if (r.action === 'move') {
      const sourceReadOnly = readOnlyReason(fs, path.dirname(source), sourceVolume);
      if (sourceReadOnly) refusals.push({ path: source, code: 'SOURCE_READ_ONLY', message: `${source} cannot be removed from ${path.dirname(source)}: ${sourceReadOnly}` });
    }
    let conflict: PlannedTransfer['conflict'] = null;
    const existing = fs.lstat(Buffer.from(target));
    if (existing && existing.inode === top.inode && r.overwrite !== 'rename') {
      // another name of the same file (a hard link): replacing it would lose the file, renaming onto it does nothing
      refusals.push({ path: source, code: 'SAME_FILE', message: `${target} is ${source} under another name (a hard link): nothing to ${r.action}` });
      continue;
    }
    if (existing || targets.has(target)) {
      const kind = existing && existing.kind !== 'other' ? existing.kind : 'file';
      if (r.overwrite === 'error') {
        refusals.push({ path: source, code: 'DESTINATION_EXISTS', message: `${target} exists: choose --overwrite replace, skip or rename` });
        continue;
      }
      if (r.overwrite === 'rename') {
        const name = renamedCopy(path.basename(target), (n) => existsSync(path.join(path.dirname(target), n)) || targets.has(path.join(path.dirname(target), n)));
        target = path.join(path.dirname(target), name);
        conflict = { existing: kind, resolution: 'rename' };
      } else if ((kind === 'directory') !== (top.kind === 'directory')) {
        refusals.push({ path: source, code: 'KIND_CONFLICT', message: `${target} is a ${kind} and ${source} a ${top.kind}: one cannot replace the other; remove it first or use --overwrite rename` });
        continue;
      } else {
        const resolution = kind === 'directory' ? 'merge' : r.overwrite === 'skip' ? 'skip' : 'replace';
        conflict = { existing: kind, resolution };
        if (resolution === 'merge' && within(dataDir, realpathSync(target))) {
          // the merge would put the source's files among spacedrive's own (a backup's .local over ~/.local)
          refusals.push({ path: source, code: 'PATH_PROTECTED', message: `${target} holds spacedrive's data directory (${guards.dataDir}): ${r.action} into a folder that does not hold it` });
          continue;
        }
      }
    }
    targets.add(target);
    // merging into an existing folder: that folder may be a mount of its own
    const destinationVolume = conflict?.resolution === 'merge' ? await volumeOf(target) : targetVolume;
    const chosen = transferStrategy(r.action, sourceVolume, destinationVolume);
    const method: TransferMethod = chosen !== 'rename' ? 'copy' : conflict?.resolution === 'merge' ? 'rename-each' : 'rename';
    // a move that copies deletes its source: only once the copy is verified, whether asked or not (a clone shares the source's blocks)
    const verified = r.verify || (r.action === 'move' && chosen !== 'clone');
    const strategy: Strategy = chosen === 'rename' ? 'rename' : verified ? 'stream' : chosen === 'clone' ? 'clone' : 'copy';
    const item: PlannedTransfer = { source, target, kind: top.kind, method, strategy, conflict, files: 0, directories: 0, bytes: 0 };
    const survey = conflict?.resolution === 'skip'
      ? null
      : surveyTree(fs, source, item, {
          // a move that copies removes every file of the source afterwards: each folder of it must let us
          writable: r.action === 'move' && method === 'copy',
          linkedWritten,
          mergeInto: conflict?.resolution === 'merge' ? target : undefined,
        });
    if (survey?.clash) {
      // found half way through the merge, it would leave it half done
      const { clash } = survey;
      refusals.push({ path: source, code: 'KIND_CONFLICT', message: `${clash.target} is a ${clash.existing} and ${clash.source} a ${clash.kind}: one cannot replace the other; remove it first or use --overwrite rename` });
      continue;
    }
    if (survey?.unwritable) {
      refusals.push({ path: source, code: 'SOURCE_READ_ONLY', message: `${fs.display(survey.unwritable)} cannot be written (permission denied), so ${source} cannot be moved from it: the move would leave copies behind` });
    }
    plan.items.push(item);
    plan.files += item.files;
    plan.directories += item.directories;
    plan.bytes += item.bytes;
    if (method === 'copy') plan.bytesToWrite += survey?.bytesToWrite ?? 0;
  }
  if (plan.bytesToWrite > plan.freeBytes) {
    refusals.push({
      code: 'INSUFFICIENT_SPACE',
      message: `${plan.bytesToWrite} bytes to write but ${plan.freeBytes} free on the volume at ${mountPoint} (${fileSystem}): free some space first`,
    });
  }
  return plan;
}

export interface PlannedDeletion {
  path: string;
  kind: 'file' | 'directory' | 'symlink';
  files: number;
  directories: number;
  bytes: number;
}

export interface DeletePlan {
  mode: DeleteMode;
  items: PlannedDeletion[];
  files: number;
  directories: number;
  bytes: number;
  refusals: Refusal[];
}

export async function planDelete(fs: FileOperationsFs, r: { paths: string[]; mode: DeleteMode; confirmed: boolean }, guards: PlanGuards): Promise<DeletePlan> {
  const refusals: Refusal[] = [];
  const plan: DeletePlan = { mode: r.mode, items: [], files: 0, directories: 0, bytes: 0, refusals };
  /** Secure mode: per file with other hard links, its link count and the names of it that are to be deleted. */
  const links = new Map<string, { links: number; named: Set<string>; path: DiskPath }>();
  if (r.mode !== 'trash' && !r.confirmed) {
    refusals.push({ code: 'CONFIRMATION_REQUIRED', message: `--mode ${r.mode} cannot be undone: add --yes to confirm (or use --mode trash)` });
  }
  for (const raw of r.paths) {
    if (raw === '') {
      refusals.push({ code: 'PATH_EMPTY', message: 'an empty path names nothing: give the path of a file or folder' });
      continue;
    }
    if (endsInDots(raw)) {
      refusals.push({ code: 'PATH_DOTS', message: dotsMessage(raw, 'delete') });
      continue;
    }
    const p = path.resolve(raw);
    const top = fs.lstat(Buffer.from(p));
    if (!top) {
      refusals.push({ path: p, code: 'PATH_MISSING', message: `${p} does not exist` });
      continue;
    }
    if (p === '/' || top.kind === 'other') {
      refusals.push({ path: p, code: 'PATH_UNSUPPORTED', message: `${p} cannot be deleted by spacedrive` });
      continue;
    }
    if (raw.endsWith('/') && top.kind !== 'directory') {
      // as for rm: `x/` names a folder; whether `link/` meant the link or the folder it points to is not ours to guess
      const folder = top.kind === 'symlink' ? directoryBehind(p) : null;
      refusals.push({
        path: p,
        code: 'SOURCE_NOT_DIRECTORY',
        message: folder
          ? `${p}/ is a symlink to a folder: leave out the trailing slash to delete the symlink itself, or name the folder (${folder})`
          : `${p}/ is not a directory: leave out the trailing slash to delete the ${top.kind}`,
      });
      continue;
    }
    if (overlaps(realPathOf(p, top.kind), guards.dataDir)) {
      refusals.push({ path: p, code: 'PATH_PROTECTED', message: `${p} holds spacedrive's data directory (${guards.dataDir}) or is inside it: it cannot be deleted by spacedrive` });
      continue;
    }
    const readOnly = readOnlyReason(fs, path.dirname(p), await fs.volumes.volumeOf(path.dirname(p)));
    if (readOnly) refusals.push({ path: p, code: 'PARENT_READ_ONLY', message: `${p} cannot be removed from ${path.dirname(p)}: ${readOnly}` });
    const item: PlannedDeletion = { path: p, kind: top.kind, files: 0, directories: 0, bytes: 0 };
    // trash renames the top path only; permanent and secure remove every name below it, folder by folder
    const { unwritable } = surveyTree(fs, p, item, { writable: r.mode !== 'trash', links: r.mode === 'secure' ? links : undefined });
    if (unwritable) {
      refusals.push({ path: p, code: 'PARENT_READ_ONLY', message: `${fs.display(unwritable)} cannot be written (permission denied), so what is in it cannot be deleted: the delete would stop half done` });
    }
    plan.items.push(item);
    plan.files += item.files;
    plan.directories += item.directories;
    plan.bytes += item.bytes;
  }
  for (const l of links.values()) {
    if (l.named.size < l.links) {
      // overwriting the bytes overwrites them for every name of the file, and the others are not being deleted
      refusals.push({ code: 'HARD_LINKED', message: `${fs.display(l.path)} has other names (hard links) that are not being deleted: --mode secure would overwrite them too; use --mode permanent` });
    }
  }
  return plan;
}

/** Refuses a plan that cannot succeed, naming every reason; nothing has been appended at this point. */
export function requireFeasible(plan: { refusals: Refusal[] }): void {
  if (plan.refusals.length === 0) return;
  const [first] = plan.refusals;
  const more = plan.refusals.length > 1 ? ` (and ${plan.refusals.length - 1} more: ${plan.refusals.slice(1).map((r) => r.message).join('; ')})` : '';
  throw new DomainError(first.code, 'user', `${first.message}${more}`, { refusals: plan.refusals });
}

/** What `surveyTree` was asked to look for, beyond the counts. */
interface SurveyOptions {
  /** Find the first folder of the tree in which names cannot be removed. */
  writable?: boolean;
  /** Count, per file with several names (hard links), the names of it met (across calls). */
  links?: Map<string, { links: number; named: Set<string>; path: DiskPath }>;
  /** Files with several names already counted in `bytesToWrite` (across calls): each takes its space once. */
  linkedWritten?: Set<string>;
  /** The existing folder the tree merges into: find the first file that meets a folder there, or the reverse. */
  mergeInto?: string;
}

interface Survey {
  unwritable: DiskPath | null;
  bytesToWrite: number;
  clash: { source: string; target: string; kind: string; existing: string } | null;
}

/**
 * Adds the files, folders and bytes of the tree at `root` (the root included) to `into`, and answers what `options`
 * asks of the same walk: one pass over the tree, however many questions.
 */
function surveyTree(fs: FileOperationsFs, root: string, into: { files: number; directories: number; bytes: number }, options: SurveyOptions): Survey {
  const survey: Survey = { unwritable: null, bytesToWrite: 0, clash: null };
  const mergeInto = options.mergeInto === undefined ? null : Buffer.from(options.mergeInto);
  for (const it of fs.walk(Buffer.from(root))) {
    if (it.kind === 'directory') {
      into.directories++;
      if (options.writable && survey.unwritable === null && !fs.canWrite(it.path)) survey.unwritable = it.path;
    } else {
      into.files++;
      into.bytes += it.size;
      const linked = it.kind === 'file' && it.links > 1;
      if (!(linked && options.linkedWritten?.has(it.inode))) survey.bytesToWrite += it.size;
      if (linked) options.linkedWritten?.add(it.inode);
      if (linked && options.links) {
        // a path named twice (f f, or d and d/f) is one name of the file
        const l = options.links.get(it.inode) ?? { links: it.links, named: new Set<string>(), path: it.path };
        l.named.add(it.path.toString('latin1'));
        options.links.set(it.inode, l);
      }
    }
    if (mergeInto && survey.clash === null && it.rel.length > 0) {
      const destination = Buffer.concat([mergeInto, ...it.rel.flatMap((r) => [SLASH, r])]);
      const existing = fs.lstat(destination);
      if (existing && (existing.kind === 'directory') !== (it.kind === 'directory')) {
        survey.clash = { source: fs.display(it.path), target: fs.display(destination), kind: it.kind, existing: existing.kind };
      }
    }
  }
  return survey;
}

const SLASH = Buffer.from('/');

/** stat(2), with a path through a file (ENOTDIR) or too long read as missing. */
function statQuietly(p: string): Stats | undefined {
  try {
    return statSync(p, { throwIfNoEntry: false });
  } catch (err) {
    if (['ENOTDIR', 'ENAMETOOLONG', 'ELOOP'].includes((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw err;
  }
}

/** The real path of `p` itself: a symlink's folder resolved, not what it points at. */
function realPathOf(p: string, kind: 'file' | 'directory' | 'symlink'): string {
  return kind === 'directory' ? realpathSync(p) : path.join(realpathSync(path.dirname(p)), path.basename(p));
}

/** Whether `a` is `b` or inside it. */
function within(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`);
}

/** Whether one path is the other or inside it. */
function overlaps(a: string, b: string): boolean {
  return within(a, b) || within(b, a);
}

/** The real path of the folder a symlink points to (through any chain of links); null when it is no folder. */
function directoryBehind(link: string): string | null {
  try {
    return statSync(link).isDirectory() ? realpathSync(link) : null;
  } catch {
    return null;
  }
}

/** Whether the path's last component is `.` or `..` (trailing slashes aside): `dir/.`, `sub/..`, `.`. */
function endsInDots(raw: string): boolean {
  const last = raw.replace(/\/+$/, '').split('/').pop();
  return last === '.' || last === '..';
}

function dotsMessage(raw: string, action: string): string {
  return `${raw} ends in . or ..: ${action === 'delete' ? 'as rm does, spacedrive refuses to delete it' : 'that could mean the folder or what is in it'}; name the folder itself (${path.resolve(raw)})`;
}
