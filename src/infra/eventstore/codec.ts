import { Packr } from 'msgpackr';

/**
 * Plain msgpack (no msgpackr records extension) so payloads stay readable by any msgpack implementation and the
 * bytes that are hashed do not depend on what this process encoded before.
 */
const packr = new Packr({ useRecords: false, encodeUndefinedAsNil: true, mapsAsObjects: true });

export function encode(value: unknown): Buffer {
  return packr.pack(value);
}

export function decode(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

/** Decodes the one value stored in `bytes[start, end)`: replay reads many payloads out of one buffer. */
export function decodeRange(bytes: Uint8Array, start: number, end: number): unknown {
  return packr.unpack(bytes, { start, end });
}
