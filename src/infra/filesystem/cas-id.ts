import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import type { IHasher } from 'hash-wasm';
import { createBLAKE3 } from './wasm-hashers.js';
import { DomainError } from '../../domain/errors.js';

/** Files up to this size are hashed whole; larger ones by samples (DESIGN §5, byte-compatible with Spacedrive v2). */
export const WHOLE_FILE_LIMIT = 102_400;
const HEADER = 8192;
const SAMPLE = 10_240;
const SAMPLES = 4;
const FOOTER = 8192;
/** Everything a sampled hash reads: header, four samples and footer. */
const SAMPLED_BYTES = HEADER + SAMPLES * SAMPLE + FOOTER;

export interface ContentRead {
  /** null for an empty file: it has no casId. */
  casId: string | null;
  size: number;
  inode: number;
  modifiedAt: number;
  /** The first bytes of the file (up to what was read for the hash), for file-type detection. */
  head: Uint8Array;
}

/**
 * Computes casIds synchronously, one file at a time, reusing one hasher and one buffer: the indexer calls it for
 * every file of a tree, and a promise per file would cost more than the hashing of a small file.
 */
export class CasHasher {
  /** The size prefix (8 bytes), then what is read of the file: one update hashes both. */
  private readonly buffer = Buffer.allocUnsafe(8 + Math.max(WHOLE_FILE_LIMIT + 1, SAMPLED_BYTES));
  private readonly data = this.buffer.subarray(8);
  private readonly sizeBytes = Buffer.alloc(8);
  /**
   * About the share of larger files (hashed by samples) among the last few dozen read without a stat: where most are
   * (photos, videos), reading the first 100 KiB before the stat would be a waste, and the stat comes first.
   */
  private largeShare = 0;

  private constructor(private readonly hasher: IHasher) {}

  static async create(): Promise<CasHasher> {
    return new CasHasher(await createBLAKE3());
  }

  /** casId of bytes in memory (tests, and content already read). */
  ofBytes(bytes: Uint8Array): string {
    this.begin(bytes.length);
    if (bytes.length <= WHOLE_FILE_LIMIT) this.hasher.update(bytes);
    else for (const [at, len] of sampleRanges(bytes.length)) this.hasher.update(bytes.subarray(at, at + len));
    return this.finish();
  }

  /**
   * Reads and hashes a file. A file that shrinks while it is read, or whose size or modification time at the end
   * differs from what was `expected` (the walker's stat) or from the open file's at the start, is refused
   * (FILE_CHANGED) rather than given a casId of bytes that never existed together. Empty files have no casId.
   * Passing `expected` saves a stat per file, which the indexer does for every file of a tree. Without it the file is
   * opened without following a symlink and must be a regular file: the caller saw one in its directory listing and
   * learns the file's size, inode and time from this read instead of a stat of its own (see `readFirst`).
   */
  ofFile(path: string | Buffer, expected?: { size: number; modifiedAt: number }): ContentRead {
    const openedAt = expected || this.largeShare >= LARGE_SHARE ? -1 : Date.now();
    const fd = openSync(path, expected ? constants.O_RDONLY : NO_FOLLOW);
    try {
      let before = expected;
      if (!before) {
        const quick = openedAt >= 0 ? this.readFirst(fd, path, openedAt) : null;
        if (quick && 'casId' in quick) return quick;
        const st = quick ?? fstatSync(fd);
        if (!st.isFile()) throw changed(path);
        before = { size: st.size, modifiedAt: Math.trunc(st.mtimeMs) };
        this.largeShare += ((st.size > WHOLE_FILE_LIMIT ? 1 : 0) - this.largeShare) / 32;
      }
      const size = before.size;
      let filled = 0;
      let casId: string | null = null;
      if (size > 0) {
        if (size <= WHOLE_FILE_LIMIT) filled = this.readFully(fd, 0, size, 0, path);
        else for (const [at, len] of sampleRanges(size)) filled = this.readFully(fd, at, len, filled, path);
        casId = this.hashRead(size, filled);
      }
      const after = fstatSync(fd);
      if (after.size !== size || Math.trunc(after.mtimeMs) !== before.modifiedAt) throw changed(path);
      return { casId, size, inode: after.ino, modifiedAt: before.modifiedAt, head: this.data.subarray(0, Math.min(filled, size <= WHOLE_FILE_LIMIT ? size : HEADER)) };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * A file the walk did not stat, read before its stat: one read of up to WHOLE_FILE_LIMIT + 1 bytes, then one stat,
   * instead of a stat, the read and a stat to tell the file did not change meanwhile (a system call and a Stats
   * object less per file: most files of a tree are small). The read is the whole file when the stat's size is what
   * it returned, and no write can have come during it when the file's time is older than the open by SETTLED_MS
   * (more than the coarseness of filesystem clocks: FAT keeps times to 2 s). Otherwise — a larger file, a short read,
   * a file written just now — the stat is returned, for the read to be made with a stat before and after.
   */
  private readFirst(fd: number, path: string | Buffer, openedAt: number): ContentRead | Stats {
    let n: number;
    try {
      n = readSync(fd, this.data, 0, WHOLE_FILE_LIMIT + 1, 0);
    } catch (err) {
      // a folder put in the listed file's place (EISDIR), or a FIFO (ESPIPE: a read at an offset takes nothing from it)
      if (!fstatSync(fd).isFile()) throw changed(path);
      throw err;
    }
    const st = fstatSync(fd);
    const modifiedAt = Math.trunc(st.mtimeMs);
    if (!st.isFile() || st.size !== n || n > WHOLE_FILE_LIMIT || modifiedAt > openedAt - SETTLED_MS) return st;
    this.largeShare -= this.largeShare / 32;
    return { casId: n > 0 ? this.hashRead(n, n) : null, size: n, inode: st.ino, modifiedAt, head: this.data.subarray(0, n) };
  }

  /** casId of the file of `size` bytes whose bytes read (whole, or samples in order) are the first `filled` of `data`. */
  private hashRead(size: number, filled: number): string {
    // what is hashed is the size, then the bytes read, in one update
    writeSize(this.buffer, size);
    this.hasher.init();
    this.hasher.update(this.buffer.subarray(0, 8 + filled));
    return this.finish();
  }

  private begin(size: number): void {
    this.hasher.init();
    writeSize(this.sizeBytes, size);
    this.hasher.update(this.sizeBytes);
  }

  /** The first 8 bytes of the digest in hex: a hex string of all 32 cost a conversion and an allocation per file. */
  private finish(): string {
    const digest = this.hasher.digest('binary') as Uint8Array;
    let hex = '';
    for (let i = 0; i < 8; i++) hex += HEX[digest[i]];
    return hex;
  }

  private readFully(fd: number, position: number, length: number, into: number, path: string | Buffer): number {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, this.data, into + done, length - done, position + done);
      if (n === 0) throw changed(path);
      done += n;
    }
    return into + done;
  }
}

/** Files hashed by samples make up at least this share of recent reads: the stat comes first (see `largeShare`). */
const LARGE_SHARE = 0.25;
/** A file whose time is older than its open by this much was not written during the read (see `readFirst`). */
const SETTLED_MS = 3000;

/** Never follows a symlink swapped in since the listing; never blocks on a FIFO swapped in. */
const NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Offsets and lengths of the sampled hash's reads, in order. */
export function sampleRanges(size: number): [number, number][] {
  const ranges: [number, number][] = [[0, HEADER]];
  const step = Math.floor((size - 2 * HEADER) / SAMPLES);
  for (let k = 0; k < SAMPLES; k++) ranges.push([HEADER + k * step, SAMPLE]);
  ranges.push([size - FOOTER, FOOTER]);
  return ranges;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `size` as 8 bytes little-endian at the start of `into` (sizes stay below 2^53: no BigInt needed). */
function writeSize(into: Buffer, size: number): void {
  into.writeUInt32LE(size % 2 ** 32, 0);
  into.writeUInt32LE(Math.floor(size / 2 ** 32), 4);
}

function changed(path: string | Buffer): DomainError {
  return new DomainError('FILE_CHANGED', 'failure', `${String(path)} changed while it was read; it will be identified on the next scan`);
}
