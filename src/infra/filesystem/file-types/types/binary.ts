import type { FileType } from '../file-type.js';
import { ascii, hex } from '../magic.js';

export const BINARY_TYPES: readonly FileType[] = [
  { id: 'bin', name: 'Binary data', extensions: ['bin'], mime: 'application/octet-stream', kind: 'binary' },
  {
    id: 'pcap',
    name: 'Packet capture',
    extensions: ['pcap', 'pcapng', 'cap'],
    mime: 'application/vnd.tcpdump.pcap',
    kind: 'binary',
    magic: [[hex(0, 'D4 C3 B2 A1')], [hex(0, 'A1 B2 C3 D4')], [hex(0, '4D 3C B2 A1')], [hex(0, '0A 0D 0D 0A')]],
  },
  {
    id: 'torrent',
    name: 'BitTorrent file',
    extensions: ['torrent'],
    mime: 'application/x-bittorrent',
    kind: 'binary',
    magic: [[ascii(0, 'd8:announce')]],
  },
];
