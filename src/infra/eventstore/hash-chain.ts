import { createBLAKE3, type IHasher } from 'hash-wasm';

export const ZERO_HASH = new Uint8Array(32);

/** The fields of an event that every device holding it agrees on (position and stream version are local). */
export interface ChainedFields {
  eventId: string;
  streamId: string;
  type: string;
  schemaVersion: number;
  device: string;
  epoch: number;
  seq: number;
  hlc: string;
  meta: Uint8Array;
  data: Uint8Array;
}

/**
 * `hash = BLAKE3(prevHash ‖ canonical bytes)`. Canonical bytes: each string as u32-BE byte length + UTF-8, each
 * number as u64-BE, each byte field as u32-BE length + bytes, in the order of `ChainedFields`. Built in one reused
 * buffer and hashed in a single update: this runs once per appended event, so it avoids closures and native calls
 * for the short ASCII strings that most fields are.
 */
export class HashChain {
  private scratch = Buffer.allocUnsafe(64 * 1024);
  /** The bytes from streamId to epoch, which stay the same for a run of events of one type in one stream. */
  private middle = { streamId: '', type: '', schemaVersion: -1, device: '', epoch: -1, bytes: Buffer.alloc(0) };

  private constructor(private readonly hasher: IHasher) {}

  static async create(): Promise<HashChain> {
    return new HashChain(await createBLAKE3());
  }

  hash(prevHash: Uint8Array, f: ChainedFields): Uint8Array {
    const middle = this.middleOf(f);
    const need = 32 + 4 * 3 + 8 + 3 * (f.eventId.length + f.hlc.length) + middle.length + f.meta.length + f.data.length;
    if (need > this.scratch.length) this.scratch = Buffer.allocUnsafe(need * 2);
    const b = this.scratch;
    b.set(prevHash, 0);
    let o = writeString(b, 32, f.eventId);
    b.set(middle, o);
    o += middle.length;
    o = writeNumber(b, o, f.seq);
    o = writeString(b, o, f.hlc);
    o = writeBytes(b, o, f.meta);
    o = writeBytes(b, o, f.data);
    this.hasher.init();
    this.hasher.update(new Uint8Array(b.buffer, b.byteOffset, o));
    return this.hasher.digest('binary');
  }

  private middleOf(f: ChainedFields): Buffer {
    const m = this.middle;
    const same =
      f.streamId === m.streamId && f.type === m.type && f.schemaVersion === m.schemaVersion &&
      f.device === m.device && f.epoch === m.epoch;
    if (same) return m.bytes;
    const b = Buffer.allocUnsafe(4 * 3 + 8 * 2 + 3 * (f.streamId.length + f.type.length + f.device.length));
    let o = writeString(b, 0, f.streamId);
    o = writeString(b, o, f.type);
    o = writeNumber(b, o, f.schemaVersion);
    o = writeString(b, o, f.device);
    o = writeNumber(b, o, f.epoch);
    const { streamId, type, schemaVersion, device, epoch } = f;
    this.middle = { streamId, type, schemaVersion, device, epoch, bytes: b.subarray(0, o) };
    return this.middle.bytes;
  }
}

function writeU32(b: Buffer, o: number, n: number): void {
  b[o] = n >>> 24;
  b[o + 1] = (n >>> 16) & 0xff;
  b[o + 2] = (n >>> 8) & 0xff;
  b[o + 3] = n & 0xff;
}

function writeString(b: Buffer, o: number, s: string): number {
  const n = s.length;
  if (n <= 64) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) break;
      b[o + 4 + i] = c;
    }
    if (i === n) {
      writeU32(b, o, n);
      return o + 4 + n;
    }
  }
  const written = b.write(s, o + 4, 'utf8');
  writeU32(b, o, written);
  return o + 4 + written;
}

function writeNumber(b: Buffer, o: number, n: number): number {
  writeU32(b, o, Math.floor(n / 0x100000000));
  writeU32(b, o + 4, n >>> 0);
  return o + 8;
}

function writeBytes(b: Buffer, o: number, u: Uint8Array): number {
  writeU32(b, o, u.length);
  b.set(u, o + 4);
  return o + 4 + u.length;
}
