import type { FileType } from '../file-type.js';
import { ascii, hex } from '../magic.js';

export const FONT_TYPES: readonly FileType[] = [
  // The sfnt version, then the high byte of the table count, which is always zero.
  {
    id: 'ttf',
    name: 'TrueType font',
    extensions: ['ttf'],
    mime: 'font/ttf',
    kind: 'font',
    magic: [[hex(0, '00 01 00 00 00')], [ascii(0, 'true\0')]],
  },
  { id: 'otf', name: 'OpenType font', extensions: ['otf'], mime: 'font/otf', kind: 'font', magic: [[ascii(0, 'OTTO\0')]] },
  { id: 'woff', name: 'WOFF font', extensions: ['woff'], mime: 'font/woff', kind: 'font', magic: [[ascii(0, 'wOFF')]] },
  { id: 'woff2', name: 'WOFF2 font', extensions: ['woff2'], mime: 'font/woff2', kind: 'font', magic: [[ascii(0, 'wOF2')]] },
  { id: 'ttc', name: 'Font collection', extensions: ['ttc', 'otc'], mime: 'font/collection', kind: 'font', magic: [[ascii(0, 'ttcf')]] },
  { id: 'eot', name: 'Embedded OpenType font', extensions: ['eot'], mime: 'application/vnd.ms-fontobject', kind: 'font', magic: [[ascii(34, 'LP')]] },
  {
    id: 'pfb',
    name: 'PostScript Type 1 font',
    extensions: ['pfb'],
    mime: 'application/x-font-type1',
    kind: 'font',
    magic: [[hex(0, '80 01'), ascii(6, '%!PS-AdobeFont')]],
  },
  {
    id: 'pfa',
    name: 'PostScript Type 1 font (ASCII)',
    extensions: ['pfa'],
    mime: 'application/x-font-type1',
    kind: 'font',
    magic: [[ascii(0, '%!PS-AdobeFont')]],
  },
  { id: 'bdf', name: 'BDF bitmap font', extensions: ['bdf'], mime: 'application/x-font-bdf', kind: 'font', magic: [[ascii(0, 'STARTFONT ')]] },
  { id: 'pcf', name: 'PCF bitmap font', extensions: ['pcf'], mime: 'application/x-font-pcf', kind: 'font', magic: [[hex(0, '01 66 63 70')]] },
];
