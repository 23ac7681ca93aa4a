import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = Buffer.allocUnsafe(4096);
let poolOffset = pool.length;
let lastMs = -1;
let counter = 0;

/**
 * UUIDv7 (RFC 9562): 48-bit ms timestamp, then a 12-bit counter seeded randomly each ms (method 1 of §6.2), so ids
 * issued by one process sort in issue order. Time-ordered ids keep the log's unique index append-only.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const r = pool.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = ((r[0] << 4) | (r[1] >> 4)) & 0x7ff; // leave headroom before the counter overflows
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  const ms = lastMs;
  const hi = Math.floor(ms / 0x10000);
  const lo = ms % 0x10000;
  return (
    HEX[(hi >>> 24) & 255] + HEX[(hi >>> 16) & 255] + HEX[(hi >>> 8) & 255] + HEX[hi & 255] + '-' +
    HEX[(lo >>> 8) & 255] + HEX[lo & 255] + '-' +
    HEX[0x70 | (counter >>> 8)] + HEX[counter & 255] + '-' +
    HEX[0x80 | (r[2] & 0x3f)] + HEX[r[3]] + '-' +
    HEX[r[4]] + HEX[r[5]] + HEX[r[6]] + HEX[r[7]] + HEX[r[8]] + HEX[r[9]]
  );
}
