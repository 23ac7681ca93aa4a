import { randomFillSync } from 'node:crypto';

/** ASCII hex digits of every byte value: two per byte. */
const HEX = Buffer.from(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).join(''), 'latin1');
const pool = Buffer.allocUnsafe(4096);
let poolOffset = pool.length;
let lastMs = -1;
let counter = 0;
/**
 * The id being written. Decoding it in one call gives a flat string; a concatenation of 20 pieces would be a rope
 * that the log flattens again to hash and store it, once per event.
 */
const text = Buffer.from('00000000-0000-7000-8000-000000000000', 'latin1');

function hex(at: number, byte: number): void {
  text[at] = HEX[2 * byte];
  text[at + 1] = HEX[2 * byte + 1];
}

/**
 * UUIDv7 (RFC 9562): 48-bit ms timestamp, then a 12-bit counter seeded randomly each ms (method 1 of §6.2), so ids
 * issued by one process sort in issue order. Time-ordered ids keep the log's unique index append-only.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const r = poolOffset;
  poolOffset += 10;
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = ((pool[r] << 4) | (pool[r + 1] >> 4)) & 0x7ff; // leave headroom before the counter overflows
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  const ms = lastMs;
  const hi = Math.floor(ms / 0x10000);
  const lo = ms % 0x10000;
  hex(0, (hi >>> 24) & 255);
  hex(2, (hi >>> 16) & 255);
  hex(4, (hi >>> 8) & 255);
  hex(6, hi & 255);
  hex(9, (lo >>> 8) & 255);
  hex(11, lo & 255);
  hex(14, 0x70 | (counter >>> 8));
  hex(16, counter & 255);
  hex(19, 0x80 | (pool[r + 2] & 0x3f));
  hex(21, pool[r + 3]);
  for (let k = 0; k < 6; k++) hex(24 + 2 * k, pool[r + 4 + k]);
  return text.toString('latin1');
}
