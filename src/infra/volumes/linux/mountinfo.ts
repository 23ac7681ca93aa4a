import { readFileSync } from 'node:fs';

/** One line of /proc/self/mountinfo (proc(5)). */
export interface MountEntry {
  mountId: number;
  parentId: number;
  major: number;
  minor: number;
  /** The directory of the filesystem mounted here ('/' unless a bind mount of a sub-tree). */
  root: string;
  mountPoint: string;
  /** The mount point's exact bytes: a name that is not valid UTF-8 still reaches statfs and stat intact. */
  mountPointBytes: Buffer;
  mountOptions: string[];
  /** Propagation tags (`shared:N`, `master:N`, …) between the options and the `-` separator. */
  optionalFields: string[];
  fileSystem: string;
  source: string;
  superOptions: string[];
  /** Read-only when the mount or the filesystem (super options) says `ro`. */
  readOnly: boolean;
}

const BACKSLASH = 0x5c;

/** The kernel escapes space, tab, newline and backslash as `\ooo` octal; everything else is raw bytes. */
function unescape(field: Buffer): Buffer {
  if (!field.includes(BACKSLASH)) return field;
  const out = Buffer.allocUnsafe(field.length);
  let n = 0;
  for (let i = 0; i < field.length; i++) {
    const b = field[i];
    if (b === BACKSLASH && i + 3 < field.length && isOctal(field[i + 1]) && isOctal(field[i + 2]) && isOctal(field[i + 3])) {
      out[n++] = ((field[i + 1] - 0x30) << 6) | ((field[i + 2] - 0x30) << 3) | (field[i + 3] - 0x30);
      i += 3;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}

const isOctal = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x37;

function splitSpaces(line: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || line[i] === 0x20) {
      fields.push(line.subarray(start, i));
      start = i + 1;
    }
  }
  return fields;
}

/** Parses mountinfo text; malformed lines are skipped rather than failing the whole listing. */
export function parseMountinfo(content: Buffer): MountEntry[] {
  const entries: MountEntry[] = [];
  let start = 0;
  while (start < content.length) {
    let end = content.indexOf(0x0a, start);
    if (end < 0) end = content.length;
    const entry = parseLine(content.subarray(start, end));
    if (entry) entries.push(entry);
    start = end + 1;
  }
  return entries;
}

function parseLine(line: Buffer): MountEntry | null {
  const f = splitSpaces(line);
  const dash = f.findIndex((x, i) => i >= 6 && x.length === 1 && x[0] === 0x2d);
  if (f.length < 10 || dash < 0 || f.length < dash + 4) return null;
  const [major, minor] = f[2].toString('latin1').split(':').map(Number);
  if (!Number.isInteger(major) || !Number.isInteger(minor)) return null;
  const mountPointBytes = unescape(f[4]);
  const mountOptions = f[5].toString('utf8').split(',');
  const superOptions = unescape(f[dash + 3]).toString('utf8').split(',');
  return {
    mountId: Number(f[0].toString('latin1')),
    parentId: Number(f[1].toString('latin1')),
    major,
    minor,
    root: unescape(f[3]).toString('utf8'),
    mountPoint: mountPointBytes.toString('utf8'),
    mountPointBytes: Buffer.from(mountPointBytes),
    mountOptions,
    optionalFields: f.slice(6, dash).map((x) => x.toString('utf8')),
    fileSystem: unescape(f[dash + 1]).toString('utf8'),
    source: unescape(f[dash + 2]).toString('utf8'),
    superOptions,
    readOnly: mountOptions.includes('ro') || superOptions.includes('ro'),
  };
}

export function readMountinfo(file = '/proc/self/mountinfo'): MountEntry[] {
  return parseMountinfo(readFileSync(file));
}

/**
 * The mounts that are visible: when several are stacked on one mount point, only the last (topmost) one is what a
 * path under it reaches, so the ones beneath are dropped.
 */
export function visibleMounts(entries: readonly MountEntry[]): MountEntry[] {
  const top = new Map<string, MountEntry>();
  for (const e of entries) {
    const key = e.mountPointBytes.toString('latin1');
    top.delete(key); // keep file order, with the stacked mount at its own position
    top.set(key, e);
  }
  return [...top.values()];
}

/** st_dev of files on the mount, as glibc's makedev encodes major:minor (what fs.stat reports as `dev`). */
export function deviceNumber(major: number, minor: number): number {
  const M = BigInt(major);
  const m = BigInt(minor);
  const dev = ((M & 0xfffff000n) << 32n) | ((M & 0xfffn) << 8n) | ((m & 0xffffff00n) << 12n) | (m & 0xffn);
  return Number(dev);
}

/** major and minor of an st_dev / st_rdev (glibc's gnu_dev_major and gnu_dev_minor). */
export function splitDeviceNumber(dev: number): { major: number; minor: number } {
  const d = BigInt(dev);
  return {
    major: Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & 0xfffff000n)),
    minor: Number((d & 0xffn) | ((d >> 12n) & 0xffffff00n)),
  };
}
