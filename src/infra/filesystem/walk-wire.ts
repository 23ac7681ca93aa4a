import type { DirectoryListing, EntryKind, WalkedEntry, WalkError, WalkOptions } from '../../commands/locations/ports.js';
import { entryDiskPath } from './walker.js';

/**
 * The messages between a walk and its thread (see `WalkThreads`). Listings cross in chunks, their entries in columns:
 * names in one string, numbers in one transferred buffer. Cloning an object and a string per entry costs the
 * receiving thread about what the stat it saved did.
 */
export type WalkRequest =
  | { op: 'start'; id: number; root: string; options: WalkOptions; credits: number }
  /** The walk took in a chunk: one more may be sent. */
  | { op: 'credit'; id: number }
  /** The walk was left early: stop reading. */
  | { op: 'stop'; id: number };

/** A chunk, or the error that ended the walk on its thread (a bug: the walk records what it cannot read). */
export type WalkReply = WalkChunk | { id: number; failure: { message: string; stack: string } };

export interface WalkChunk {
  id: number;
  /** The walk has no listings after these. */
  done: boolean;
  listings: ListingHead[];
  /** Every entry's name, in order, joined by NUL (which no name holds). */
  names: string;
  /** FACTS numbers per entry: flags (kind, hidden, unstated), size, inode, modifiedAt. */
  facts: Float64Array;
  /** The bytes of names that are not valid UTF-8, by entry number within the chunk. */
  rawNames: [number, Uint8Array][];
}

interface ListingHead {
  relPath: string;
  diskPath: string | Uint8Array;
  depth: number;
  entries: number;
  error?: WalkError;
  entryErrors: WalkError[];
  more?: true;
}

const FACTS = 4;
const KINDS: readonly EntryKind[] = ['file', 'directory', 'symlink'];
const HIDDEN = 4;
const UNSTATED = 8;

export function encodeChunk(id: number, listings: readonly DirectoryListing[], done: boolean): { chunk: WalkChunk; transfer: ArrayBuffer[] } {
  let count = 0;
  for (const l of listings) count += l.entries.length;
  const facts = new Float64Array(count * FACTS);
  const names: string[] = new Array(count);
  const rawNames: [number, Uint8Array][] = [];
  const heads: ListingHead[] = new Array(listings.length);
  let n = 0;
  listings.forEach((l, i) => {
    heads[i] = {
      relPath: l.relPath, diskPath: typeof l.diskPath === 'string' ? l.diskPath : ownBytes(l.diskPath), depth: l.depth, entries: l.entries.length, entryErrors: l.entryErrors,
      ...(l.error ? { error: l.error } : {}), ...(l.more ? { more: true } : {}),
    };
    for (const e of l.entries) {
      names[n] = e.name;
      if (e.rawName) rawNames.push([n, ownBytes(e.rawName)]);
      const at = n * FACTS;
      facts[at] = KINDS.indexOf(e.kind) | (e.hidden ? HIDDEN : 0) | (e.unstated ? UNSTATED : 0);
      facts[at + 1] = e.size;
      facts[at + 2] = e.inode;
      facts[at + 3] = e.modifiedAt;
      n++;
    }
  });
  return { chunk: { id, done, listings: heads, names: names.join('\0'), facts, rawNames }, transfer: [facts.buffer as ArrayBuffer] };
}

/** The listings of a chunk, as `walk` gave them on the other thread. */
export function decodeChunk(chunk: WalkChunk): DirectoryListing[] {
  const names = chunk.names.split('\0');
  const raw = new Map<number, Buffer>();
  for (const [n, bytes] of chunk.rawNames) raw.set(n, asBuffer(bytes));
  const { facts } = chunk;
  const out: DirectoryListing[] = new Array(chunk.listings.length);
  let n = 0;
  chunk.listings.forEach((head, i) => {
    const diskPath = typeof head.diskPath === 'string' ? head.diskPath : asBuffer(head.diskPath);
    const entries: WalkedEntry[] = new Array(head.entries);
    for (let k = 0; k < head.entries; k++, n++) {
      const at = n * FACTS;
      const flags = facts[at];
      const name = names[n];
      const rawName = raw.get(n);
      const entry: WalkedEntry = {
        name,
        ...(rawName ? { rawName } : {}),
        kind: KINDS[flags & 3],
        size: facts[at + 1],
        inode: facts[at + 2],
        modifiedAt: facts[at + 3],
        hidden: (flags & HIDDEN) !== 0,
        diskPath: entryDiskPath(diskPath, name, rawName),
      };
      if (flags & UNSTATED) entry.unstated = true;
      entries[k] = entry;
    }
    out[i] = {
      relPath: head.relPath, diskPath, depth: head.depth, entries, entryErrors: head.entryErrors,
      ...(head.error ? { error: head.error } : {}), ...(head.more ? { more: true } : {}),
    };
  });
  return out;
}

/**
 * The bytes alone: a small Buffer is often a view of Node's shared 8 KiB pool, and cloning a view copies all of the
 * memory under it.
 */
function ownBytes(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes);
}

/** A Buffer over what arrived as a Uint8Array (structured cloning does not keep the Buffer class). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
