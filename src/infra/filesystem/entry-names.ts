/**
 * File names that are not valid UTF-8 cannot travel as strings without loss. The index names such an entry with a
 * readable stand-in — each byte of an invalid sequence written `\xHH` — and keeps the raw bytes beside it.
 */
const strict = new TextDecoder('utf-8', { fatal: true });

export function isValidUtf8(raw: Uint8Array): boolean {
  try {
    strict.decode(raw);
    return true;
  } catch {
    return false;
  }
}

export function escapeInvalidUtf8(raw: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const b = raw[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len > 0 && i + len <= raw.length) {
      try {
        out += strict.decode(raw.subarray(i, i + len));
        i += len;
        continue;
      } catch {
        // falls through: this byte starts no valid sequence
      }
    }
    out += `\\x${b.toString(16).padStart(2, '0')}`;
    i++;
  }
  return out;
}
