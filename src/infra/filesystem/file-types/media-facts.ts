import { i32le, u16be, u16le, u24le, u32be, u32le } from './binary-fields.js';

/**
 * Image dimensions read straight from the header bytes, no decoder. Every reader checks its bounds and returns null
 * on anything truncated, malformed or unknown; none throws.
 *
 * How many bytes to pass: PNG, GIF, WebP, BMP and ICO need under 64; TIFF needs its first IFD (usually within the
 * first few hundred bytes); JPEG needs everything up to its frame header, which follows the metadata segments
 * (EXIF with a thumbnail, ICC profile, XMP) and so often lies beyond 4 KiB, and HEIC/AVIF need their `meta` box.
 * 256 KiB covers nearly all of them.
 */

export interface ImageFacts {
  width: number;
  height: number;
  /** `png`, `gif`, `jpeg`, `webp`, `bmp`, `tiff`, `ico`, `avif` or `heic`. */
  format: string;
}

export function imageFacts(head: Uint8Array): ImageFacts | null {
  if (head.length < 4) return null;
  const facts = readerFor(head)?.(head) ?? null;
  return facts && facts.width > 0 && facts.height > 0 ? facts : null;
}

type Reader = (b: Uint8Array) => ImageFacts | null;

function readerFor(b: Uint8Array): Reader | null {
  if (startsWith(b, 0, PNG)) return png;
  if (startsWith(b, 0, GIF87) || startsWith(b, 0, GIF89)) return gif;
  if (b[0] === 0xff && b[1] === 0xd8) return jpeg;
  if (startsWith(b, 0, RIFF) && startsWith(b, 8, WEBP)) return webp;
  if (b[0] === 0x42 && b[1] === 0x4d) return bmp;
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)) return tiff;
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return ico;
  if (startsWith(b, 4, FTYP)) return heif;
  return null;
}

function png(b: Uint8Array): ImageFacts | null {
  // The first chunk is always IHDR: width and height as big-endian 32-bit integers.
  if (b.length < 24 || !startsWith(b, 12, IHDR)) return null;
  return { width: u32be(b, 16), height: u32be(b, 20), format: 'png' };
}

function gif(b: Uint8Array): ImageFacts | null {
  if (b.length < 10) return null;
  return { width: u16le(b, 6), height: u16le(b, 8), format: 'gif' };
}

/** Walks the marker segments to the first start-of-frame; the scan data (SOS) or the end (EOI) before it gives up. */
function jpeg(b: Uint8Array): ImageFacts | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte before a marker
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    if (isStartOfFrame(marker)) {
      if (at + 9 > b.length) return null;
      return { width: u16be(b, at + 7), height: u16be(b, at + 5), format: 'jpeg' };
    }
    at += 2 + u16be(b, at + 2);
  }
  return null;
}

/** SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function webp(b: Uint8Array): ImageFacts | null {
  if (startsWith(b, 12, VP8X)) {
    // Canvas size minus one, 24-bit little-endian.
    if (b.length < 30) return null;
    return { width: 1 + u24le(b, 24), height: 1 + u24le(b, 27), format: 'webp' };
  }
  if (startsWith(b, 12, VP8L)) {
    // After the 0x2F signature byte: 14 bits width − 1, then 14 bits height − 1, least significant bit first.
    if (b.length < 25 || b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff), format: 'webp' };
  }
  if (startsWith(b, 12, VP8)) {
    // A key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (the top 2 bits are scaling).
    if (b.length < 30 || b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, format: 'webp' };
  }
  return null;
}

function bmp(b: Uint8Array): ImageFacts | null {
  if (b.length < 26) return null;
  const headerSize = u32le(b, 14);
  // OS/2 1.x core header: 16-bit sizes; every later header: signed 32-bit, the height negative for top-down rows.
  if (headerSize === 12) return { width: u16le(b, 18), height: u16le(b, 20), format: 'bmp' };
  if (headerSize < 40) return null;
  return { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)), format: 'bmp' };
}

const TIFF_NEW_SUBFILE_TYPE = 254;
const TIFF_IMAGE_WIDTH = 256;
const TIFF_IMAGE_LENGTH = 257;

/**
 * The first IFD's ImageWidth and ImageLength. When that IFD is a reduced-resolution preview (camera raw files
 * often start so), the full size is elsewhere: null rather than the preview's size.
 */
function tiff(b: Uint8Array): ImageFacts | null {
  const le = b[0] === 0x49;
  const u16 = (at: number) => (le ? u16le(b, at) : u16be(b, at));
  const u32 = (at: number) => (le ? u32le(b, at) : u32be(b, at));
  if (b.length < 8) return null;
  const ifd = u32(4);
  if (ifd + 2 > b.length) return null;
  const count = u16(ifd);
  let width = 0;
  let height = 0;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + 12 * i;
    if (entry + 12 > b.length) return null;
    const tag = u16(entry);
    const type = u16(entry + 2);
    // SHORT values sit in the first two bytes of the value field, LONG ones fill it.
    const value = type === 3 ? u16(entry + 8) : type === 4 ? u32(entry + 8) : 0;
    if (tag === TIFF_NEW_SUBFILE_TYPE && (value & 1) !== 0) return null;
    if (tag === TIFF_IMAGE_WIDTH) width = value;
    else if (tag === TIFF_IMAGE_LENGTH) height = value;
  }
  return { width, height, format: 'tiff' };
}

/** The largest image of the icon directory (an entry's 0 means 256). */
function ico(b: Uint8Array): ImageFacts | null {
  if (b.length < 6) return null;
  const count = u16le(b, 4);
  // The whole directory, or a smaller entry might pass for the largest.
  if (6 + 16 * count > b.length) return null;
  let best: ImageFacts | null = null;
  for (let i = 0; i < count; i++) {
    const entry = 6 + 16 * i;
    const width = b[entry] || 256;
    const height = b[entry + 1] || 256;
    if (!best || width * height > best.width * best.height) best = { width, height, format: 'ico' };
  }
  return best;
}

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/**
 * HEIC and AVIF: the `ispe` (image spatial extent) properties in meta → iprp → ipco. Every image item has one —
 * the primary image, its tiles, its thumbnails — and the primary (or the grid the tiles make up) is the largest.
 */
function heif(b: Uint8Array): ImageFacts | null {
  const ftypEnd = Math.min(b.length, u32be(b, 0));
  if (ftypEnd < 16) return null;
  let format: string | null = null;
  // The major brand at 8, then the compatible brands from 16; an AVIF may carry the generic `mif1` as major brand.
  for (let at = 8; at + 4 <= ftypEnd; at += at === 8 ? 8 : 4) {
    const brand = fourcc(b, at);
    if (brand === 'avif' || brand === 'avis') format = 'avif';
    else if (format === null && HEIC_BRANDS.has(brand)) format = 'heic';
  }
  if (format === null) return null;
  const meta = childBox(b, 0, b.length, 'meta');
  // `meta` is a full box: a version and flags word precedes its children.
  const iprp = meta && childBox(b, meta.body + 4, meta.end, 'iprp');
  const ipco = iprp && childBox(b, iprp.body, iprp.end, 'ipco');
  // All of the properties, or a thumbnail's extent might pass for the largest.
  if (!ipco || !ipco.whole) return null;
  let best: ImageFacts | null = null;
  for (let at = ipco.body; at + 8 <= ipco.end; ) {
    const box = boxAt(b, at, ipco.end);
    if (!box) break;
    if (box.type === 'ispe' && box.body + 12 <= box.end) {
      const width = u32be(b, box.body + 4);
      const height = u32be(b, box.body + 8);
      if (!best || width * height > best.width * best.height) best = { width, height, format };
    }
    at = box.end;
  }
  return best;
}

interface Box {
  type: string;
  /** Where the box's content starts. */
  body: number;
  /** Where it ends, clipped to the bytes at hand. */
  end: number;
  /** Whether all of it is at hand. */
  whole: boolean;
}

function childBox(b: Uint8Array, from: number, to: number, type: string): Box | null {
  for (let at = from; at + 8 <= to; ) {
    const box = boxAt(b, at, to);
    if (!box) return null;
    if (box.type === type) return box;
    at = box.end;
  }
  return null;
}

function boxAt(b: Uint8Array, at: number, limit: number): Box | null {
  let size = u32be(b, at);
  let body = at + 8;
  if (size === 1) {
    // A 64-bit size follows the type; sizes beyond 2^53 cannot occur in the bytes at hand.
    if (at + 16 > limit) return null;
    size = u32be(b, at + 8) * 2 ** 32 + u32be(b, at + 12);
    body = at + 16;
  } else if (size === 0) {
    size = limit - at; // extends to the end of the enclosing box
  }
  if (size < body - at) return null;
  return { type: fourcc(b, at + 4), body, end: Math.min(limit, at + size), whole: at + size <= limit };
}

const bytesOf = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const IHDR = bytesOf('IHDR');
const GIF87 = bytesOf('GIF87a');
const GIF89 = bytesOf('GIF89a');
const RIFF = bytesOf('RIFF');
const WEBP = bytesOf('WEBP');
const VP8 = bytesOf('VP8 ');
const VP8L = bytesOf('VP8L');
const VP8X = bytesOf('VP8X');
const FTYP = bytesOf('ftyp');

function startsWith(b: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at + expected.length > b.length) return false;
  for (let i = 0; i < expected.length; i++) if (b[at + i] !== expected[i]) return false;
  return true;
}

const fourcc = (b: Uint8Array, at: number): string => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
