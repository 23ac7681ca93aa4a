import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CONTENT_KINDS, ContentKindSchema } from '../../src/domain/content/content-kind.js';
import { MAGIC_BYTES_NEEDED, detectFileType } from '../../src/infra/filesystem/file-types/detect.js';
import { signatureEnd } from '../../src/infra/filesystem/file-types/magic.js';
import { imageFacts } from '../../src/infra/filesystem/file-types/media-facts.js';
import { FILE_TYPES, fileTypeById, isA } from '../../src/infra/filesystem/file-types/registry.js';
import { TEXT_SNIFF_BYTES } from '../../src/infra/filesystem/file-types/text-sniff.js';

/** Concatenates byte strings (each char one byte), byte arrays and numbers (one byte each). */
function bytes(...parts: (string | number | readonly number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') for (const c of part) out.push(c.charCodeAt(0));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

const u16le = (n: number) => [n & 0xff, n >>> 8];
const u16be = (n: number) => [n >>> 8, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const u32be = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u24le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, n >>> 16];

/** `bytes` placed at `offset` in a zero-filled buffer of `size`. */
function at(size: number, offset: number, content: Uint8Array): Uint8Array {
  const out = new Uint8Array(size);
  out.set(content, offset);
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A zip local file header for a stored entry, followed by its data. */
function zipEntry(name: string, data = ''): Uint8Array {
  return bytes('PK', 3, 4, u16le(20), u16le(0), u16le(0), u32le(0), u32le(0), u32le(data.length), u32le(data.length), u16le(name.length), u16le(0), name, data);
}

const PNG_1x1 = bytes(0x89, 'PNG\r\n', 0x1a, '\n', u32be(13), 'IHDR', u32be(640), u32be(480), 8, 2, 0, 0, 0, u32be(0));
const ELF = bytes(0x7f, 'ELF', 2, 1, 1, 0, new Array(56).fill(0));
const PDF = utf8('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n');

const registry = suite('file types: registry');

registry('holds at least 150 types with unique ids, a valid kind and a mime each', () => {
  assert.ok(FILE_TYPES.length >= 150, `only ${FILE_TYPES.length} types`);
  const ids = new Set(FILE_TYPES.map((t) => t.id));
  assert.is(ids.size, FILE_TYPES.length);
  for (const type of FILE_TYPES) {
    assert.ok(ContentKindSchema.safeParse(type.kind).success, `${type.id} has kind ${type.kind}`);
    assert.match(type.mime, /^[a-z]+\/[\w.+-]+$/i, `${type.id} has mime ${type.mime}`);
    assert.ok(type.name.length > 0);
  }
});

registry('every kind but unknown has a type', () => {
  for (const kind of CONTENT_KINDS) {
    if (kind === 'unknown') continue;
    assert.ok(
      FILE_TYPES.some((t) => t.kind === kind),
      `no type of kind ${kind}`,
    );
  }
});

registry('extensions belong to one type each, lower case and without a dot', () => {
  const seen = new Map<string, string>();
  for (const type of FILE_TYPES) {
    for (const ext of type.extensions) {
      assert.is(ext, ext.toLowerCase());
      assert.not.ok(ext.startsWith('.'));
      assert.not.ok(seen.has(ext), `${ext} claimed by ${seen.get(ext)} and ${type.id}`);
      seen.set(ext, type.id);
    }
  }
});

registry('every type is reachable: by an extension, a file name, an interpreter or its magic', () => {
  for (const t of FILE_TYPES) {
    assert.ok(t.extensions.length + (t.fileNames?.length ?? 0) + (t.interpreters?.length ?? 0) + (t.magic?.length ?? 0) > 0, t.id);
  }
});

registry('bases resolve, and zip entry markers sit on zip-based types', () => {
  const zip = fileTypeById('zip')!;
  for (const t of FILE_TYPES) {
    if (t.base) assert.ok(fileTypeById(t.base), `${t.id} builds on unknown ${t.base}`);
    if (t.zipEntries) assert.ok(isA(t, zip), `${t.id} has zip entries but is no zip`);
  }
  assert.ok(isA(fileTypeById('xlsm')!, zip));
  assert.not.ok(isA(zip, fileTypeById('docx')!));
});

registry('every signature fits in MAGIC_BYTES_NEEDED except ISO 9660', () => {
  for (const t of FILE_TYPES) {
    for (const signature of t.magic ?? []) {
      if (t.id === 'iso') assert.ok(signatureEnd(signature) > MAGIC_BYTES_NEEDED);
      else assert.ok(signatureEnd(signature) <= MAGIC_BYTES_NEEDED, `${t.id} reaches ${signatureEnd(signature)}`);
    }
  }
  assert.ok(MAGIC_BYTES_NEEDED <= 64 * 1024);
});

const magic = suite('file types: magic bytes');

magic('beat a lying extension', () => {
  assert.equal(detectFileType('photo.jpg', PNG_1x1), { kind: 'image', mime: 'image/png', typeId: 'png', extension: 'jpg' });
  assert.equal(detectFileType('notes.txt', ELF), { kind: 'executable', mime: 'application/x-executable', typeId: 'elf', extension: 'txt' });
  assert.equal(detectFileType('report.docx', PDF), { kind: 'document', mime: 'application/pdf', typeId: 'pdf', extension: 'docx' });
  // text under the name of a binary format that always carries its signature: the name lies
  const text = new TextEncoder().encode('shopping list:\n- milk\n');
  assert.equal(detectFileType('notes.png', text), { kind: 'text', mime: 'text/plain', typeId: null, extension: 'png' });
  assert.is(detectFileType('setup.exe', new TextEncoder().encode('#!/bin/sh\necho hi\n')).kind, 'code', 'a script by its #! line');
  assert.is(detectFileType('song.flac', text).typeId, 'flac', 'a text signature (fLaC) leaves the name standing');
  // binary bytes without the signature (a truncated or unusual file) keep the name's type; text formats keep theirs
  assert.is(detectFileType('broken.png', new Uint8Array([1, 2, 3, 0, 250])).typeId, 'png');
  assert.is(detectFileType('figure.eps', new TextEncoder().encode('%!PS-Adobe-2.0 EPSF-1.2\n')).typeId, 'eps');
  assert.is(detectFileType('drawing.svg', new TextEncoder().encode('<!-- made by hand -->\n<svg/>')).typeId, 'svg');
});

magic('identify files without an extension', () => {
  assert.is(detectFileType('IMG_0001', PNG_1x1).typeId, 'png');
  assert.is(detectFileType('a.out', ELF).kind, 'executable');
  assert.is(detectFileType('db', bytes('SQLite format 3', 0, new Array(84).fill(0))).kind, 'database');
});

magic('the zip family: the extension picks the member', () => {
  const zip = zipEntry('data.bin', 'hello');
  const cases: [string, string][] = [
    ['a.docx', 'docx'],
    ['a.xlsx', 'xlsx'],
    ['a.pptx', 'pptx'],
    ['a.jar', 'jar'],
    ['a.apk', 'apk'],
    ['a.epub', 'epub'],
    ['a.odt', 'odt'],
    ['a.cbz', 'cbz'],
    ['a.zip', 'zip'],
    ['a', 'zip'],
    ['a.txt', 'zip'],
  ];
  for (const [name, id] of cases) assert.is(detectFileType(name, zip).typeId, id, name);
  assert.is(detectFileType('a.epub', zip).kind, 'book');
});

magic('the zip family: the first entries say what an unnamed zip holds', () => {
  const epub = bytes(zipEntry('mimetype', 'application/epub+zip'), zipEntry('META-INF/container.xml'));
  assert.is(detectFileType('book', epub).typeId, 'epub');
  assert.is(detectFileType('book.zip', epub).typeId, 'epub');
  const odt = zipEntry('mimetype', 'application/vnd.oasis.opendocument.text');
  assert.is(detectFileType('letter', odt).typeId, 'odt');
  const docx = bytes(zipEntry('[Content_Types].xml', '<Types/>'), zipEntry('_rels/.rels', '<R/>'), zipEntry('word/document.xml', '<w/>'));
  assert.is(detectFileType('upload', docx).typeId, 'docx');
  assert.is(detectFileType('upload.bin', docx).typeId, 'docx');
  assert.is(detectFileType('sheet', bytes(zipEntry('[Content_Types].xml'), zipEntry('xl/workbook.xml'))).typeId, 'xlsx');
  assert.is(detectFileType('app', bytes(zipEntry('AndroidManifest.xml'), zipEntry('classes.dex'))).typeId, 'apk');
  assert.is(detectFileType('lib', zipEntry('META-INF/')).typeId, 'jar');
});

magic('ISO base media brands: heic, avif, mov, m4a, mp4', () => {
  const ftyp = (major: string, ...compatible: string[]) => bytes(u32be(16 + 4 * compatible.length), 'ftyp', major, u32be(0), ...compatible);
  assert.is(detectFileType('IMG_1234.HEIC', ftyp('heic', 'mif1', 'heic')).typeId, 'heic');
  assert.is(detectFileType('clip.mp4', ftyp('heic')).kind, 'image');
  assert.is(detectFileType('x.heic', ftyp('mif1', 'heic')).typeId, 'heic');
  assert.is(detectFileType('x.avif', ftyp('mif1', 'avif')).typeId, 'avif');
  assert.is(detectFileType('movie.mov', ftyp('qt  ')).typeId, 'mov');
  assert.is(detectFileType('song.m4a', ftyp('isom')).typeId, 'm4a');
  assert.is(detectFileType('song', ftyp('M4A ')).kind, 'audio');
  assert.is(detectFileType('video', ftyp('isom')).typeId, 'mp4');
  assert.is(detectFileType('video', ftyp('XYZ1')).typeId, 'mp4');
});

magic('RIFF subtypes', () => {
  const riff = (form: string) => bytes('RIFF', u32le(1000), form, new Array(20).fill(0));
  assert.is(detectFileType('a.avi', riff('WAVE')).typeId, 'wav');
  assert.is(detectFileType('a', riff('AVI ')).typeId, 'avi');
  assert.is(detectFileType('a', riff('WEBP')).typeId, 'webp');
});

magic('signatures at an offset: tar, ISO 9660, MPEG-TS', () => {
  assert.is(detectFileType('backup', at(1024, 257, utf8('ustar\x0000'))).typeId, 'tar');
  const iso = at(0x8800, 0x8001, utf8('CD001'));
  assert.is(detectFileType('disc', iso).typeId, 'iso');
  assert.is(detectFileType('disc', iso.subarray(0, MAGIC_BYTES_NEEDED)).kind, 'binary');
  assert.is(detectFileType('disc.iso', iso.subarray(0, MAGIC_BYTES_NEEDED)).typeId, 'iso');
  const ts = new Uint8Array(188 * 3);
  for (let i = 0; i < ts.length; i += 188) ts[i] = 0x47;
  assert.is(detectFileType('recording.ts', ts).kind, 'video');
  assert.is(detectFileType('index.ts', utf8('export const a = 1;\n')).typeId, 'typescript');
});

magic('compressed tarballs: gzip bytes and a compound extension', () => {
  const gzip = bytes(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
  assert.equal(detectFileType('release.tar.gz', gzip), { kind: 'archive', mime: 'application/x-compressed-tar', typeId: 'tgz', extension: 'tar.gz' });
  assert.is(detectFileType('data.gz', gzip).typeId, 'gzip');
  assert.is(detectFileType('drawing.svgz', gzip).typeId, 'svgz');
});

magic('a text signature never overrides a known extension, but names an unnamed file', () => {
  const cert = utf8('-----BEGIN CERTIFICATE-----\nMIIB...\n');
  assert.is(detectFileType('notes.txt', cert).typeId, 'text');
  assert.is(detectFileType('server.pem', cert).typeId, 'x509-certificate');
  assert.is(detectFileType('cert', cert).kind, 'key');
  assert.is(detectFileType('id_ed25519', utf8('-----BEGIN OPENSSH PRIVATE KEY-----\n')).typeId, 'private-key');
  assert.is(detectFileType('secret.asc', utf8('-----BEGIN PGP MESSAGE-----\n')).kind, 'encrypted');
  assert.is(detectFileType('scene.dae', utf8('<?xml version="1.0"?><COLLADA/>')).typeId, 'dae');
  assert.is(detectFileType('feed', utf8('<?xml version="1.0"?><rss/>')).typeId, 'xml');
});

magic('weak signatures name unknown files only', () => {
  const mp3Frame = bytes(0xff, 0xfb, 0x90, 0x64, new Array(60).fill(0));
  assert.is(detectFileType('track', mp3Frame).typeId, 'mp3');
  assert.is(detectFileType('track.aac', mp3Frame).typeId, 'aac');
  assert.is(detectFileType('cars', utf8('BMW and Mercedes, a list\n')).kind, 'text');
  assert.is(detectFileType('postcodes', utf8('MZ is not an executable, it is a line of text that goes on for a while.\n')).kind, 'text');
});

magic('Java classes and universal Mach-O binaries share CAFEBABE', () => {
  assert.is(detectFileType('Main', bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34)).typeId, 'java-class');
  assert.is(detectFileType('tool', bytes(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2)).typeId, 'macho');
});

const names = suite('file types: names');

names('X11 pixmaps are images though their bytes are C text, by name or by their header', () => {
  const xpm = Buffer.from('/* XPM */\nstatic char *icon[] = {\n"16 16 2 1",\n};\n');
  assert.equal([detectFileType('icon.xpm', xpm).kind, detectFileType('icon.xpm', xpm).mime], ['image', 'image/x-xpixmap']);
  assert.is(detectFileType('icon', xpm).kind, 'image');
  assert.is(detectFileType('notes.txt', xpm).kind, 'text', 'a text header does not override a known extension');
});

names('extension fallback is case-insensitive and handles compound extensions', () => {
  assert.equal(detectFileType('PHOTO.JPG', null), { kind: 'image', mime: 'image/jpeg', typeId: 'jpeg', extension: 'jpg' });
  assert.is(detectFileType('Archive.Tar.GZ', null).extension, 'tar.gz');
  assert.is(detectFileType('Archive.Tar.GZ', null).typeId, 'tgz');
  assert.is(detectFileType('notes.backup.gz', null).typeId, 'gzip');
  assert.is(detectFileType('movie.mkv', null).kind, 'video');
  assert.is(detectFileType('song.mp3', new Uint8Array(0)).kind, 'audio');
  assert.is(detectFileType('main.rs', utf8('fn main() {}\n')).kind, 'code');
  assert.is(detectFileType('config.yaml', utf8('a: 1\n')).kind, 'config');
});

names('well-known file names, dotfiles and names without an extension', () => {
  assert.is(detectFileType('Makefile', null).typeId, 'makefile');
  assert.is(detectFileType('Dockerfile', null).typeId, 'dockerfile');
  assert.is(detectFileType('CMakeLists.txt', null).typeId, 'cmake');
  assert.equal(detectFileType('.gitignore', null), { kind: 'config', mime: 'text/plain', typeId: 'ignore-file', extension: '' });
  assert.is(detectFileType('.bashrc', null).typeId, 'shell');
  assert.is(detectFileType('file.', null).extension, '');
  assert.equal(detectFileType('mystery.xyz', null), { kind: 'unknown', mime: null, typeId: null, extension: 'xyz' });
  assert.equal(detectFileType('mystery', new Uint8Array(0)), { kind: 'unknown', mime: null, typeId: null, extension: '' });
});

names('a #! line names an extensionless script', () => {
  assert.is(detectFileType('deploy', utf8('#!/usr/bin/env python3.12\nprint(1)\n')).typeId, 'python');
  assert.is(detectFileType('build', utf8('#!/bin/bash\nset -e\n')).typeId, 'shell');
  assert.is(detectFileType('serve', utf8('#!/usr/bin/env -S deno run --allow-net\n')).typeId, 'typescript');
  assert.is(detectFileType('tool', utf8('#!/opt/bin/unheard-of\n')).kind, 'text');
  assert.is(detectFileType('tool.md', utf8('#!/bin/sh\n')).typeId, 'markdown');
});

const sniff = suite('file types: text sniffing');

sniff('valid UTF-8 without an extension is text/plain', () => {
  assert.equal(detectFileType('notes', utf8('hello wörld — ✓ 🎉\n\tindented\r\n')), { kind: 'text', mime: 'text/plain', typeId: null, extension: '' });
  assert.is(detectFileType('colours', utf8('\x1b[31mred\x1b[0m\n')).kind, 'text');
});

sniff('invalid UTF-8, NUL and control bytes are binary', () => {
  const binary = { kind: 'binary', mime: 'application/octet-stream', typeId: null, extension: '' };
  assert.equal(detectFileType('blob', bytes('abc', 0xc3, 0x28, 'def')), binary);
  assert.equal(detectFileType('blob', bytes('abc', 0, 'def')), binary);
  assert.equal(detectFileType('blob', bytes('abc', 0x01, 'def')), binary);
  assert.equal(detectFileType('blob', bytes('overlong ', 0xc0, 0x80)), binary);
  assert.equal(detectFileType('blob', bytes('surrogate ', 0xed, 0xa0, 0x80)), binary);
  assert.equal(detectFileType('blob', bytes('too high ', 0xf4, 0x90, 0x80, 0x80)), binary);
  assert.equal(detectFileType('blob', bytes('stray ', 0x80, ' continuation')), binary);
});

sniff('a character cut by the end of the head is still text; only the first TEXT_SNIFF_BYTES are judged', () => {
  assert.is(detectFileType('cut', bytes('caf', 0xc3)).kind, 'text');
  assert.is(detectFileType('cut', bytes('emoji ', 0xf0, 0x9f, 0x8e)).kind, 'text');
  const long = bytes(new Array(TEXT_SNIFF_BYTES).fill(0x61), 0);
  assert.is(detectFileType('long', long).kind, 'text');
});

sniff('never throws on random bytes', () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let n = 0; n < 2000; n++) {
    const head = Uint8Array.from({ length: n % 700 }, random);
    const result = detectFileType(`f${n}.${['', 'jpg', 'zip', 'txt', 'tar.gz'][n % 5]}`, head);
    assert.ok(ContentKindSchema.safeParse(result.kind).success);
    imageFacts(head);
  }
});

const media = suite('file types: image facts');

const GIF = bytes('GIF89a', u16le(320), u16le(200), 0xf7, 0, 0);

/** JFIF APP0, an APP1 of `metadata` bytes, a DQT, then SOF0 for 1920×1080 and the scan. */
function jpeg(metadata = 16): Uint8Array {
  return bytes(
    0xff, 0xd8,
    0xff, 0xe0, u16be(16), 'JFIF', 0, 1, 1, 0, u16be(1), u16be(1), 0, 0,
    0xff, 0xe1, u16be(metadata + 2), new Array(metadata).fill(0x45),
    0xff, 0xdb, u16be(67), 0, new Array(64).fill(1),
    0xff, 0xc0, u16be(17), 8, u16be(1080), u16be(1920), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
    0xff, 0xda, u16be(12), 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0,
  );
}

const webpVp8x = bytes('RIFF', u32le(30), 'WEBP', 'VP8X', u32le(10), 0x10, 0, 0, 0, u24le(4095), u24le(2999));
const webpVp8l = bytes('RIFF', u32le(26), 'WEBP', 'VP8L', u32le(13), 0x2f, u32le((800 - 1) | ((600 - 1) << 14)), 0, 0, 0, 0);
const webpVp8 = bytes('RIFF', u32le(30), 'WEBP', 'VP8 ', u32le(18), 0x50, 0x2a, 0x01, 0x9d, 0x01, 0x2a, u16le(1024), u16le(768), 0, 0);
const bmp = (height: number) => bytes('BM', u32le(70), u32le(0), u32le(54), u32le(40), u32le(123), u32le(height >>> 0), u16le(1), u16le(24), new Array(24).fill(0));
const tiff = bytes('II*', 0, u32le(8), u16le(2), u16le(256), u16le(3), u32le(1), u16le(3000), 0, 0, u16le(257), u16le(4), u32le(1), u32le(2000), u32le(0));
const tiffBigEndian = bytes('MM', 0, '*', u32be(8), u16be(2), u16be(256), u16be(4), u32be(1), u32be(5000), u16be(257), u16be(3), u32be(1), u16be(4000), 0, 0, u32be(0));
const ico = bytes(0, 0, 1, 0, u16le(2), 16, 16, 0, 0, u16le(1), u16le(32), u32le(100), u32le(38), 0, 0, 0, 0, u16le(1), u16le(32), u32le(100), u32le(138));

function box(type: string, ...content: (string | number | readonly number[] | Uint8Array)[]): Uint8Array {
  const body = bytes(...content);
  return bytes(u32be(8 + body.length), type, body);
}
const ispe = (w: number, h: number) => box('ispe', u32be(0), u32be(w), u32be(h));
const heif = (major: string, compatible: string[]) =>
  bytes(
    box('ftyp', major, u32be(0), ...compatible),
    box(
      'meta',
      u32be(0),
      box('hdlr', u32be(0), u32be(0), 'pict', new Array(13).fill(0)),
      // A thumbnail's extent first, then another property, then the primary image's.
      box('iprp', box('ipco', ispe(320, 240), box('colr', 'nclx', 0, 0, 0, 0, 0, 0, 0), ispe(4032, 3024))),
    ),
  );

const FIXTURES: [string, Uint8Array, { width: number; height: number; format: string }][] = [
  ['png', PNG_1x1, { width: 640, height: 480, format: 'png' }],
  ['gif', GIF, { width: 320, height: 200, format: 'gif' }],
  ['jpeg', jpeg(), { width: 1920, height: 1080, format: 'jpeg' }],
  ['webp VP8X', webpVp8x, { width: 4096, height: 3000, format: 'webp' }],
  ['webp VP8L', webpVp8l, { width: 800, height: 600, format: 'webp' }],
  ['webp VP8', webpVp8, { width: 1024, height: 768, format: 'webp' }],
  ['bmp', bmp(456), { width: 123, height: 456, format: 'bmp' }],
  ['bmp top-down', bmp(-456), { width: 123, height: 456, format: 'bmp' }],
  ['tiff', tiff, { width: 3000, height: 2000, format: 'tiff' }],
  ['tiff big-endian', tiffBigEndian, { width: 5000, height: 4000, format: 'tiff' }],
  ['ico', ico, { width: 256, height: 256, format: 'ico' }],
  ['heic', heif('heic', ['mif1', 'heic']), { width: 4032, height: 3024, format: 'heic' }],
  ['avif', heif('mif1', ['avif', 'miaf']), { width: 4032, height: 3024, format: 'avif' }],
];

media('reads width, height and format of minimal images', () => {
  for (const [label, image, expected] of FIXTURES) assert.equal(imageFacts(image), expected, label);
});

media('the images are also detected as images', () => {
  for (const [label, image] of FIXTURES) assert.is(detectFileType('picture', image).kind, 'image', label);
});

media('truncated images give null until the needed bytes are there, never a throw or a wrong size', () => {
  for (const [label, image, expected] of FIXTURES) {
    let complete = false;
    for (let n = 0; n <= image.length; n++) {
      const facts = imageFacts(image.subarray(0, n));
      if (facts) {
        assert.equal(facts, expected, `${label} cut at ${n}`);
        complete = true;
      } else {
        assert.not.ok(complete, `${label}: a longer prefix than ${n - 1} lost the answer`);
      }
    }
    assert.ok(complete, label);
  }
});

media('a JPEG whose frame header lies beyond the bytes given is null', () => {
  const big = jpeg(20_000);
  assert.is(imageFacts(big.subarray(0, MAGIC_BYTES_NEEDED)), null);
  assert.equal(imageFacts(big), { width: 1920, height: 1080, format: 'jpeg' });
});

media('a TIFF whose first image is a reduced-resolution preview is null, not the preview size', () => {
  const preview = bytes(
    'II*', 0, u32le(8), u16le(3),
    u16le(254), u16le(4), u32le(1), u32le(1),
    u16le(256), u16le(3), u32le(1), u16le(160), 0, 0,
    u16le(257), u16le(3), u32le(1), u16le(120), 0, 0,
    u32le(0),
  );
  assert.is(imageFacts(preview), null);
});

media('not an image, or nonsense: null', () => {
  assert.is(imageFacts(new Uint8Array(0)), null);
  assert.is(imageFacts(PDF), null);
  assert.is(imageFacts(bytes(0xff, 0xd8, 0xff, 0xd9)), null);
  assert.is(imageFacts(bytes(0x89, 'PNG\r\n', 0x1a, '\n', u32be(13), 'IHDR', u32be(0), u32be(480))), null);
  assert.is(imageFacts(bytes('RIFF', u32le(30), 'WEBP', 'VP8 ', u32le(18), 0, 0, 0, 1, 2, 3, u16le(1), u16le(1), 0, 0)), null);
});

registry.run();
magic.run();
names.run();
sniff.run();
media.run();
