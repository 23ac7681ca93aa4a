import { createRequire } from 'node:module';
import type { Packr } from 'msgpackr';

/**
 * Plain msgpack (no msgpackr records extension) so payloads stay readable by any msgpack implementation and the
 * bytes that are hashed do not depend on what this process encoded before. Loaded on first use: a command that only
 * reads the read models (search, ls, duplicates) never encodes or decodes an event, and loading msgpackr with its
 * native extension cost every such run some 20 ms.
 */
let packer: Packr | null = null;
const require = createRequire(import.meta.url);

function packr(): Packr {
  if (packer === null) {
    const msgpackr = require('msgpackr') as typeof import('msgpackr');
    packer = new msgpackr.Packr({ useRecords: false, encodeUndefinedAsNil: true, mapsAsObjects: true });
  }
  return packer;
}

export function encode(value: unknown): Buffer {
  return packr().pack(value);
}

export function decode(bytes: Uint8Array): unknown {
  return packr().unpack(bytes);
}

/**
 * Encodes each value as one msgpack item, all in one buffer, and reads them back: the bytes to store for each value
 * and the value as every later read will return it (undefined becomes null, a Map an object, …). One pass over a
 * whole batch costs a fraction of one `encode` and one `decode` per value.
 */
export function encodeEach(values: readonly unknown[]): { bytes: Uint8Array[]; decoded: unknown[] } {
  const bytes: Uint8Array[] = new Array(values.length);
  const decoded: unknown[] = new Array(values.length);
  if (values.length === 0) return { bytes, decoded };
  const packed = packr().pack(values);
  // skip the array header: fixarray, array 16 or array 32
  const items = packed.subarray(packed[0] === 0xdc ? 3 : packed[0] === 0xdd ? 5 : 1);
  let i = 0;
  packr().unpackMultiple(items, (value: unknown, start = 0, end = 0) => {
    // a plain view: Buffer#subarray costs several times more, once per event
    bytes[i] = new Uint8Array(items.buffer, items.byteOffset + start, end - start);
    decoded[i++] = value;
  });
  if (i !== values.length) throw new Error(`encoded ${values.length} values but read back ${i}`);
  return { bytes, decoded };
}

/**
 * Decodes msgpack items stored back to back, calling `each` with every value and its byte range until it returns
 * false.
 */
export function decodeEach(bytes: Uint8Array, each: (value: unknown, start: number, end: number) => boolean): void {
  if (bytes.length > 0) packr().unpackMultiple(bytes, (value: unknown, start = 0, end = 0) => each(value, start, end));
}
