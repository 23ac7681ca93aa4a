import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * One entry of a tree as `cp -a` must reproduce it: name bytes, type, size, mode, symlink target, content, mtime,
 * and the other names in the tree of the same file (hard links).
 */
export interface TreeFact {
  rel: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  mode: number;
  target: string | null;
  sha256: string | null;
  mtimeNs: bigint;
  /** The tree's other names of this file, sorted and joined by spaces; null when it has none. */
  linkedWith: string | null;
}

/** Every entry below `root` (names as hex of their bytes, so invalid UTF-8 compares exactly), sorted. */
export function treeFacts(root: string | Buffer): TreeFact[] {
  const out: TreeFact[] = [];
  const byInode = new Map<bigint, TreeFact[]>();
  const visit = (dir: Buffer, rel: string) => {
    for (const name of readdirSync(dir, { encoding: 'buffer' }) as Buffer[]) {
      const p = Buffer.concat([dir, Buffer.from('/'), name]);
      const r = rel ? `${rel}/${name.toString('hex')}` : name.toString('hex');
      const st = lstatSync(p, { bigint: true });
      const type = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other';
      const fact: TreeFact = {
        rel: r, type, size: type === 'directory' ? 0 : Number(st.size), mode: Number(st.mode & 0o7777n),
        target: type === 'symlink' ? (readlinkSync(p, { encoding: 'buffer' }) as Buffer).toString('hex') : null,
        sha256: type === 'file' ? createHash('sha256').update(readFileSync(p)).digest('hex') : null,
        mtimeNs: st.mtimeNs,
        linkedWith: null,
      };
      out.push(fact);
      if (type === 'file' && st.nlink > 1n) byInode.set(st.ino, [...(byInode.get(st.ino) ?? []), fact]);
      if (type === 'directory') visit(p, r);
    }
  };
  visit(Buffer.isBuffer(root) ? root : Buffer.from(root), '');
  for (const names of byInode.values()) {
    if (names.length < 2) continue;
    for (const f of names) f.linkedWith = names.filter((o) => o !== f).map((o) => o.rel).sort().join(' ');
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/**
 * Differences between two trees, as readable lines (empty when equal). mtimes compare to the microsecond: Node's
 * utimes (libuv) sets whole microseconds, so the nanosecond digits below them that `cp -a` keeps cannot be set.
 */
export function treeDifferences(expected: TreeFact[], actual: TreeFact[], options: { mtimes: boolean }): string[] {
  const diffs: string[] = [];
  const byRel = new Map(actual.map((f) => [f.rel, f]));
  for (const e of expected) {
    const a = byRel.get(e.rel);
    byRel.delete(e.rel);
    if (!a) {
      diffs.push(`missing ${e.rel}`);
      continue;
    }
    for (const k of ['type', 'size', 'mode', 'target', 'sha256', 'linkedWith'] as const) if (e[k] !== a[k]) diffs.push(`${e.rel}: ${k} ${String(e[k])} ≠ ${String(a[k])}`);
    // symlink times: cp -a sets them with lutimes, and so do we
    if (options.mtimes && e.mtimeNs / 1000n !== a.mtimeNs / 1000n) diffs.push(`${e.rel}: mtime ${e.mtimeNs} ≠ ${a.mtimeNs}`);
  }
  for (const rel of byRel.keys()) diffs.push(`unexpected ${rel}`);
  return diffs;
}
