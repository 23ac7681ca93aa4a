import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
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
  private readonly buffer = Buffer.allocUnsafe(Math.max(WHOLE_FILE_LIMIT, SAMPLED_BYTES));
  private readonly sizeBytes = Buffer.alloc(8);

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
   * learns the file's size, inode and time from this read instead of a stat of its own.
   */
  ofFile(path: string | Buffer, expected?: { size: number; modifiedAt: number }): ContentRead {
    const fd = openSync(path, expected ? constants.O_RDONLY : NO_FOLLOW);
    try {
      let before = expected;
      if (!before) {
        const st = fstatSync(fd);
        if (!st.isFile()) throw changed(path);
        before = { size: st.size, modifiedAt: Math.trunc(st.mtimeMs) };
      }
      const size = before.size;
      let filled = 0;
      let casId: string | null = null;
      if (size > 0) {
        this.begin(size);
        if (size <= WHOLE_FILE_LIMIT) {
          filled = this.readFully(fd, 0, size, 0, path);
          this.hasher.update(this.buffer.subarray(0, size));
        } else {
          for (const [at, len] of sampleRanges(size)) {
            this.readFully(fd, at, len, filled, path);
            this.hasher.update(this.buffer.subarray(filled, filled + len));
            filled += len;
          }
        }
        casId = this.finish();
      }
      const after = fstatSync(fd);
      if (after.size !== size || Math.trunc(after.mtimeMs) !== before.modifiedAt) throw changed(path);
      return { casId, size, inode: after.ino, modifiedAt: before.modifiedAt, head: this.buffer.subarray(0, Math.min(filled, size <= WHOLE_FILE_LIMIT ? size : HEADER)) };
    } finally {
      closeSync(fd);
    }
  }

  private begin(size: number): void {
    this.hasher.init();
    this.sizeBytes.writeBigUInt64LE(BigInt(size));
    this.hasher.update(this.sizeBytes);
  }

  private finish(): string {
    return (this.hasher.digest('hex') as string).slice(0, 16);
  }

  private readFully(fd: number, position: number, length: number, into: number, path: string | Buffer): number {
    let done = 0;
    while (done < length) {
      const n = readSync(fd, this.buffer, into + done, length - done, position + done);
      if (n === 0) throw changed(path);
      done += n;
    }
    return into + done;
  }
}

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

function changed(path: string | Buffer): DomainError {
  return new DomainError('FILE_CHANGED', 'failure', `${String(path)} changed while it was read; it will be identified on the next scan`);
}
