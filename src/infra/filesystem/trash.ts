import { createHash } from 'node:crypto';
import { constants, lstatSync, mkdirSync, openSync, closeSync, writeSync, unlinkSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DiskPath, Trashed } from '../../commands/files/ports.js';
import { DomainError } from '../../domain/errors.js';

/**
 * The freedesktop.org Trash specification 1.0: a path on the home volume goes to $XDG_DATA_HOME/Trash, one on
 * another volume to `$topdir/.Trash/$uid` (when the admin made `.Trash` a sticky, non-symlink directory) or else
 * `$topdir/.Trash-$uid`. The `.trashinfo` is claimed first (O_EXCL), so two trashers never take the same name.
 */
export async function moveToTrash(file: DiskPath, at: Date, env: NodeJS.ProcessEnv = process.env): Promise<Trashed> {
  const st = lstatSync(file);
  const home = homeTrash(env);
  mkdirSync(path.join(home, 'files'), { recursive: true, mode: 0o700 });
  mkdirSync(path.join(home, 'info'), { recursive: true, mode: 0o700 });
  let trashDir: Buffer;
  let recorded: Buffer;
  if (lstatSync(home).dev === st.dev) {
    trashDir = Buffer.from(home);
    recorded = file;
  } else {
    const top = topDirectory(file, st.dev);
    trashDir = volumeTrash(top);
    recorded = Buffer.from(path.posix.relative(top.toString('latin1'), file.toString('latin1')), 'latin1');
  }
  const base = trashName(basename(file));
  const info = Buffer.concat([
    Buffer.from('[Trash Info]\nPath='), Buffer.from(percentEncode(recorded)), Buffer.from(`\nDeletionDate=${localTime(at)}\n`),
  ]);
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : Buffer.concat([base, Buffer.from(`.${n}`)]);
    const infoPath = join(trashDir, 'info', Buffer.concat([name, Buffer.from('.trashinfo')]));
    const target = join(trashDir, 'files', name);
    let fd: number;
    try {
      fd = openSync(infoPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    try {
      writeSync(fd, info);
    } finally {
      closeSync(fd);
    }
    if (lstatSync(target, { throwIfNoEntry: false })) {
      unlinkSync(infoPath); // an orphan in files/ holds this name
      continue;
    }
    try {
      await rename(file, target);
    } catch (err) {
      unlinkSync(infoPath);
      throw err;
    }
    return { trashedTo: target, info: infoPath };
  }
}

export function homeTrash(env: NodeJS.ProcessEnv = process.env): string {
  const data = env.XDG_DATA_HOME || path.join(env.HOME || os.homedir(), '.local', 'share');
  return path.join(data, 'Trash');
}

const STICKY = 0o1000;

/** The mount point holding `file`: the highest ancestor still on its device. */
function topDirectory(file: DiskPath, dev: number): Buffer {
  let dir = path.posix.dirname(file.toString('latin1'));
  for (;;) {
    const parent = path.posix.dirname(dir);
    if (parent === dir || lstatSync(Buffer.from(parent, 'latin1')).dev !== dev) return Buffer.from(dir, 'latin1');
    dir = parent;
  }
}

function volumeTrash(top: Buffer): Buffer {
  const uid = process.getuid?.() ?? 0;
  const shared = join(top, Buffer.from('.Trash'));
  const s = lstatSync(shared, { throwIfNoEntry: false });
  // the spec's checks: a real directory with the sticky bit, else this user's own .Trash-$uid
  const candidates = s && s.isDirectory() && !s.isSymbolicLink() && (s.mode & STICKY) !== 0
    ? [join(shared, Buffer.from(String(uid))), join(top, Buffer.from(`.Trash-${uid}`))]
    : [join(top, Buffer.from(`.Trash-${uid}`))];
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const d = lstatSync(dir);
      if (!d.isDirectory() || d.isSymbolicLink() || d.uid !== uid) continue;
      mkdirSync(join(dir, Buffer.from('files')), { recursive: true, mode: 0o700 });
      mkdirSync(join(dir, Buffer.from('info')), { recursive: true, mode: 0o700 });
      return dir;
    } catch {
      // not writable here: try the next one
    }
  }
  throw new DomainError('TRASH_UNAVAILABLE', 'failure', `no usable trash on the volume at ${top.toString()}: delete with --mode permanent instead`);
}

/** RFC 2396 escaping of the path's bytes, as the spec asks; '/' stays. */
function percentEncode(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.!~*'()/]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** YYYY-MM-DDThh:mm:ss in local time, as the spec asks. */
function localTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Bytes a name may have (NAME_MAX), and what the trash adds to its names: `.trashinfo`, and `.N` for a taken one. */
const NAME_MAX = 255;
const ADDED = '.trashinfo'.length + 8;

/**
 * The name in the trash: the file's own, or for a name too long to take `.trashinfo` after it, its first bytes (cut
 * between characters) and a hash of it all. The spec lets the trash name files as it likes; `Path=` keeps the real one.
 */
function trashName(name: Buffer): Buffer {
  if (name.length <= NAME_MAX - ADDED) return name;
  let cut = NAME_MAX - ADDED - 9;
  while (cut > 0 && (name[cut] & 0xc0) === 0x80) cut--; // not inside a UTF-8 sequence
  return Buffer.concat([name.subarray(0, cut), Buffer.from(`~${createHash('sha1').update(name).digest('hex').slice(0, 8)}`)]);
}

function basename(p: Buffer): Buffer {
  const slash = p.lastIndexOf(0x2f);
  return p.subarray(slash + 1);
}

function join(...parts: (string | Buffer)[]): Buffer {
  const bufs: Buffer[] = [];
  parts.forEach((p, i) => {
    if (i > 0) bufs.push(Buffer.from('/'));
    bufs.push(typeof p === 'string' ? Buffer.from(p) : p);
  });
  return Buffer.concat(bufs);
}
