import { u16le, u32le } from './binary-fields.js';
import type { FileType } from './file-type.js';
import { FILE_TYPES } from './registry.js';

interface ZipMarker {
  readonly prefix: Uint8Array;
  readonly type: FileType;
}

const utf8 = new TextEncoder();
const markers: readonly ZipMarker[] = FILE_TYPES.flatMap((type) => (type.zipEntries ?? []).map((entry) => ({ prefix: utf8.encode(entry), type })));

const LOCAL_HEADER = 30;
/** General-purpose flag: the sizes follow the data instead of sitting in the header. */
const SIZES_AFTER_DATA = 0x08;

/**
 * Walks the zip's local file headers within `head` and names the zip-based type whose marker entry it meets first
 * (`word/…` → docx). Stops, returning null, at the end of the head or at an entry whose size it cannot know.
 */
export function typeFromZipEntries(head: Uint8Array): FileType | null {
  let at = 0;
  while (at + LOCAL_HEADER <= head.length) {
    if (head[at] !== 0x50 || head[at + 1] !== 0x4b || head[at + 2] !== 0x03 || head[at + 3] !== 0x04) return null;
    const flags = u16le(head, at + 6);
    const compressedSize = u32le(head, at + 18);
    const nameStart = at + LOCAL_HEADER;
    const nameEnd = nameStart + u16le(head, at + 26);
    if (nameEnd > head.length) return null;
    for (const { prefix, type } of markers) if (startsWith(head, nameStart, nameEnd, prefix)) return type;
    if ((flags & SIZES_AFTER_DATA) !== 0 && compressedSize === 0) return null;
    at = nameEnd + u16le(head, at + 28) + compressedSize;
  }
  return null;
}

function startsWith(bytes: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}
