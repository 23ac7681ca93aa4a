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

/**
 * Makes the stand-ins of a folder's names that are not valid UTF-8 unique among all its names: a stand-in can spell
 * a name that is also there for real (`a\xff` as bytes beside a file named with the four characters `\xff`). One
 * that is taken gets ` (raw N)` added, counting up until it is free. Stand-ins are given out in the byte order of
 * the raw names, so the same folder gives the same names scan after scan.
 */
export function uniqueStandIns<T extends { name: string; rawName?: Uint8Array }>(entries: T[]): void {
  if (!entries.some((e) => e.rawName)) return;
  const taken = new Set(entries.filter((e) => !e.rawName).map((e) => e.name));
  const standIns = entries.filter((e) => e.rawName).sort((a, b) => Buffer.compare(a.rawName!, b.rawName!));
  for (const e of standIns) {
    let name = e.name;
    for (let n = 1; taken.has(name); n++) name = `${e.name} (raw ${n})`;
    e.name = name;
    taken.add(name);
  }
}
