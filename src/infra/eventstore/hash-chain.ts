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
 * buffer and hashed in a single update: this runs once per appended event.
 */
export class HashChain {
  private scratch = Buffer.allocUnsafe(64 * 1024);

  private constructor(private readonly hasher: IHasher) {}

  static async create(): Promise<HashChain> {
    return new HashChain(await createBLAKE3());
  }

  hash(prevHash: Uint8Array, f: ChainedFields): Uint8Array {
    const need =
      32 + 4 * 6 + 8 * 3 + 3 * (f.eventId.length + f.streamId.length + f.type.length + f.device.length + f.hlc.length) +
      f.meta.length + f.data.length;
    if (need > this.scratch.length) this.scratch = Buffer.allocUnsafe(need * 2);
    const b = this.scratch;
    b.set(prevHash, 0);
    let o = 32;
    const str = (s: string) => {
      const n = b.write(s, o + 4, 'utf8');
      b.writeUInt32BE(n, o);
      o += 4 + n;
    };
    const num = (n: number) => {
      b.writeUInt32BE(Math.floor(n / 0x100000000), o);
      b.writeUInt32BE(n >>> 0, o + 4);
      o += 8;
    };
    const bytes = (u: Uint8Array) => {
      b.writeUInt32BE(u.length, o);
      b.set(u, o + 4);
      o += 4 + u.length;
    };
    str(f.eventId);
    str(f.streamId);
    str(f.type);
    num(f.schemaVersion);
    str(f.device);
    num(f.epoch);
    num(f.seq);
    str(f.hlc);
    bytes(f.meta);
    bytes(f.data);
    this.hasher.init();
    this.hasher.update(b.subarray(0, o));
    return this.hasher.digest('binary');
  }
}
