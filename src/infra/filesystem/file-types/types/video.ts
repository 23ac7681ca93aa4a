import type { FileType } from '../file-type.js';
import { ascii, hex } from '../magic.js';

const ftyp = (brand: string) => [ascii(4, `ftyp${brand}`)];

export const VIDEO_TYPES: readonly FileType[] = [
  {
    id: 'mp4',
    name: 'MPEG-4 video',
    extensions: ['mp4'],
    mime: 'video/mp4',
    kind: 'video',
    // The bare `ftyp` box names any ISO media file whose brand is listed nowhere else; its extension decides.
    magic: [
      [ascii(4, 'ftyp')],
      ...['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'dash', 'mmp4', 'MSNV'].map(ftyp),
    ],
  },
  {
    id: 'm4v',
    name: 'iTunes video',
    extensions: ['m4v'],
    mime: 'video/x-m4v',
    kind: 'video',
    base: 'mp4',
    magic: [ftyp('M4V '), ftyp('M4VH'), ftyp('M4VP')],
  },
  {
    id: 'mov',
    name: 'QuickTime movie',
    extensions: ['mov', 'qt'],
    mime: 'video/quicktime',
    kind: 'video',
    base: 'mp4',
    // Old QuickTime files start with a movie or data atom instead of `ftyp`.
    magic: [ftyp('qt  '), [ascii(4, 'moov')], [ascii(4, 'mdat')], [ascii(4, 'wide')], [ascii(4, 'pnot')]],
  },
  { id: '3gp', name: '3GPP video', extensions: ['3gp', '3gpp'], mime: 'video/3gpp', kind: 'video', base: 'mp4', magic: [ftyp('3gp')] },
  { id: '3g2', name: '3GPP2 video', extensions: ['3g2', '3gpp2'], mime: 'video/3gpp2', kind: 'video', base: 'mp4', magic: [ftyp('3g2')] },
  { id: 'f4v', name: 'Flash MP4 video', extensions: ['f4v'], mime: 'video/x-f4v', kind: 'video', base: 'mp4', magic: [ftyp('F4V ')] },
  { id: 'mkv', name: 'Matroska video', extensions: ['mkv', 'mk3d'], mime: 'video/x-matroska', kind: 'video', magic: [[hex(0, '1A 45 DF A3')]] },
  { id: 'webm', name: 'WebM video', extensions: ['webm'], mime: 'video/webm', kind: 'video', base: 'mkv' },
  { id: 'avi', name: 'AVI video', extensions: ['avi'], mime: 'video/x-msvideo', kind: 'video', magic: [[ascii(0, 'RIFF'), ascii(8, 'AVI ')]] },
  {
    id: 'asf',
    name: 'Advanced Systems Format',
    extensions: ['asf'],
    mime: 'video/x-ms-asf',
    kind: 'video',
    magic: [[hex(0, '30 26 B2 75 8E 66 CF 11 A6 D9 00 AA 00 62 CE 6C')]],
  },
  { id: 'wmv', name: 'Windows Media video', extensions: ['wmv'], mime: 'video/x-ms-wmv', kind: 'video', base: 'asf' },
  { id: 'flv', name: 'Flash video', extensions: ['flv'], mime: 'video/x-flv', kind: 'video', magic: [[ascii(0, 'FLV\x01')]] },
  {
    id: 'mpeg',
    name: 'MPEG video',
    extensions: ['mpg', 'mpeg', 'mpe', 'm1v', 'm2v', 'm2p'],
    mime: 'video/mpeg',
    kind: 'video',
    magic: [[hex(0, '00 00 01 BA')], [hex(0, '00 00 01 B3')]],
  },
  { id: 'vob', name: 'DVD video object', extensions: ['vob'], mime: 'video/x-ms-vob', kind: 'video', base: 'mpeg' },
  {
    id: 'mpegts',
    name: 'MPEG transport stream',
    // `.ts` and `.mts` name TypeScript sources: transport streams with those names are found by their sync bytes.
    extensions: ['m2ts', 'm2t'],
    mime: 'video/mp2t',
    kind: 'video',
    // A sync byte every 188-byte packet (192 with the Blu-ray timestamp prefix).
    magic: [
      [hex(0, '47'), hex(188, '47'), hex(376, '47')],
      [hex(4, '47'), hex(196, '47'), hex(388, '47')],
    ],
  },
  {
    id: 'ogv',
    name: 'Ogg video',
    extensions: ['ogv'],
    mime: 'video/ogg',
    kind: 'video',
    base: 'ogg',
    magic: [[ascii(0, 'OggS'), ascii(28, '\x80theora')]],
  },
  { id: 'rm', name: 'RealMedia video', extensions: ['rm', 'rmvb'], mime: 'application/vnd.rn-realmedia', kind: 'video', magic: [[ascii(0, '.RMF')]] },
  {
    id: 'mxf',
    name: 'Material Exchange Format',
    extensions: ['mxf'],
    mime: 'application/mxf',
    kind: 'video',
    magic: [[hex(0, '06 0E 2B 34 02 05 01 01 0D 01 02 01 01 02')]],
  },
];
