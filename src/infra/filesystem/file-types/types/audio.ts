import type { FileType } from '../file-type.js';
import { ascii, hex } from '../magic.js';

const ftyp = (brand: string) => [ascii(4, `ftyp${brand}`)];
const oggWith = (codec: string) => [ascii(0, 'OggS'), ascii(28, codec)];

export const AUDIO_TYPES: readonly FileType[] = [
  {
    id: 'mp3',
    name: 'MP3 audio',
    extensions: ['mp3', 'mp2', 'mpga'],
    mime: 'audio/mpeg',
    kind: 'audio',
    // An ID3v2 tag, or the first frame's sync word (weak: two bytes).
    magic: [
      ...['ID3\x02', 'ID3\x03', 'ID3\x04'].map((tag) => [ascii(0, tag)]),
      ...['FF FB', 'FF FA', 'FF F3', 'FF F2', 'FF E3'].map((sync) => [hex(0, sync)]),
    ],
  },
  { id: 'aac', name: 'AAC audio', extensions: ['aac', 'adts'], mime: 'audio/aac', kind: 'audio', magic: [[hex(0, 'FF F1')], [hex(0, 'FF F9')]] },
  { id: 'flac', name: 'FLAC audio', extensions: ['flac'], mime: 'audio/flac', kind: 'audio', magic: [[ascii(0, 'fLaC')]] },
  {
    id: 'wav',
    name: 'WAVE audio',
    extensions: ['wav', 'wave'],
    mime: 'audio/wav',
    kind: 'audio',
    magic: [
      [ascii(0, 'RIFF'), ascii(8, 'WAVE')],
      [ascii(0, 'RF64'), ascii(8, 'WAVE')],
    ],
  },
  {
    id: 'aiff',
    name: 'AIFF audio',
    extensions: ['aif', 'aiff', 'aifc'],
    mime: 'audio/aiff',
    kind: 'audio',
    magic: [
      [ascii(0, 'FORM'), ascii(8, 'AIFF')],
      [ascii(0, 'FORM'), ascii(8, 'AIFC')],
    ],
  },
  { id: 'm4a', name: 'MPEG-4 audio', extensions: ['m4a'], mime: 'audio/mp4', kind: 'audio', base: 'mp4', magic: [ftyp('M4A ')] },
  { id: 'm4b', name: 'MPEG-4 audiobook', extensions: ['m4b'], mime: 'audio/x-m4b', kind: 'audio', base: 'mp4', magic: [ftyp('M4B ')] },
  { id: 'ogg', name: 'Ogg audio', extensions: ['ogg', 'oga'], mime: 'audio/ogg', kind: 'audio', magic: [[ascii(0, 'OggS')]] },
  { id: 'opus', name: 'Opus audio', extensions: ['opus'], mime: 'audio/opus', kind: 'audio', base: 'ogg', magic: [oggWith('OpusHead')] },
  { id: 'spx', name: 'Speex audio', extensions: ['spx'], mime: 'audio/x-speex', kind: 'audio', base: 'ogg', magic: [oggWith('Speex   ')] },
  { id: 'wma', name: 'Windows Media audio', extensions: ['wma'], mime: 'audio/x-ms-wma', kind: 'audio', base: 'asf' },
  { id: 'mka', name: 'Matroska audio', extensions: ['mka'], mime: 'audio/x-matroska', kind: 'audio', base: 'mkv' },
  { id: 'weba', name: 'WebM audio', extensions: ['weba'], mime: 'audio/webm', kind: 'audio', base: 'mkv' },
  { id: 'midi', name: 'MIDI sequence', extensions: ['mid', 'midi', 'kar'], mime: 'audio/midi', kind: 'audio', magic: [[ascii(0, 'MThd')]] },
  { id: 'amr', name: 'AMR audio', extensions: ['amr'], mime: 'audio/amr', kind: 'audio', magic: [[ascii(0, '#!AMR')]] },
  { id: 'ape', name: "Monkey's Audio", extensions: ['ape'], mime: 'audio/x-ape', kind: 'audio', magic: [[ascii(0, 'MAC ')]] },
  { id: 'wavpack', name: 'WavPack audio', extensions: ['wv'], mime: 'audio/x-wavpack', kind: 'audio', magic: [[ascii(0, 'wvpk')]] },
  { id: 'au', name: 'Sun audio', extensions: ['au', 'snd'], mime: 'audio/basic', kind: 'audio', magic: [[ascii(0, '.snd')]] },
  { id: 'caf', name: 'Core Audio file', extensions: ['caf'], mime: 'audio/x-caf', kind: 'audio', magic: [[ascii(0, 'caff')]] },
  { id: 'dsf', name: 'DSD stream file', extensions: ['dsf'], mime: 'audio/x-dsf', kind: 'audio', magic: [[ascii(0, 'DSD ')]] },
  { id: 'dff', name: 'DSDIFF audio', extensions: ['dff'], mime: 'audio/x-dff', kind: 'audio', magic: [[ascii(0, 'FRM8'), ascii(12, 'DSD ')]] },
  { id: 'ac3', name: 'Dolby Digital audio', extensions: ['ac3'], mime: 'audio/ac3', kind: 'audio', magic: [[hex(0, '0B 77')]] },
  { id: 'tta', name: 'True Audio', extensions: ['tta'], mime: 'audio/x-tta', kind: 'audio', magic: [[ascii(0, 'TTA1')]] },
  {
    id: 'musepack',
    name: 'Musepack audio',
    extensions: ['mpc'],
    mime: 'audio/x-musepack',
    kind: 'audio',
    magic: [[ascii(0, 'MPCK')], [ascii(0, 'MP+')]],
  },
  { id: 'xm', name: 'FastTracker module', extensions: ['xm'], mime: 'audio/x-xm', kind: 'audio', magic: [[ascii(0, 'Extended Module: ')]] },
  { id: 'it', name: 'Impulse Tracker module', extensions: ['it'], mime: 'audio/x-it', kind: 'audio', magic: [[ascii(0, 'IMPM')]] },
  { id: 's3m', name: 'Scream Tracker module', extensions: ['s3m'], mime: 'audio/x-s3m', kind: 'audio', magic: [[ascii(44, 'SCRM')]] },
  {
    id: 'mod',
    name: 'ProTracker module',
    extensions: ['mod'],
    mime: 'audio/x-mod',
    kind: 'audio',
    magic: [[ascii(1080, 'M.K.')], [ascii(1080, 'M!K!')]],
  },
  { id: 'voc', name: 'Creative voice file', extensions: ['voc'], mime: 'audio/x-voc', kind: 'audio', magic: [[ascii(0, 'Creative Voice File')]] },
];
