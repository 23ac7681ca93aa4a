import type { FileType } from '../file-type.js';
import { ascii, hex } from '../magic.js';

export const ENCRYPTED_TYPES: readonly FileType[] = [
  {
    id: 'openpgp',
    name: 'OpenPGP encrypted data',
    extensions: ['gpg', 'pgp'],
    mime: 'application/pgp-encrypted',
    kind: 'encrypted',
    // The first packet: a public-key encrypted session key (v3), or a symmetric one as `gpg -c` writes it.
    magic: [[hex(0, '85 ?? ?? 03')], [hex(0, '84 ?? 03')], [hex(0, '8C 0D 04')]],
  },
  {
    id: 'pgp-message',
    name: 'OpenPGP armored message',
    extensions: [],
    mime: 'application/pgp-encrypted',
    kind: 'encrypted',
    base: 'pgp-armored',
    textual: true,
    magic: [[ascii(0, '-----BEGIN PGP MESSAGE-----')]],
  },
  {
    id: 'age',
    name: 'age encrypted file',
    extensions: ['age'],
    mime: 'application/x-age',
    kind: 'encrypted',
    magic: [[ascii(0, 'age-encryption.org/v1\n')], [ascii(0, '-----BEGIN AGE ENCRYPTED FILE-----')]],
  },
  {
    id: 'keepass',
    name: 'KeePass database',
    extensions: ['kdbx', 'kdb'],
    mime: 'application/x-keepass2',
    kind: 'encrypted',
    magic: [[hex(0, '03 D9 A2 9A 67 FB 4B B5')], [hex(0, '03 D9 A2 9A 65 FB 4B B5')]],
  },
  {
    id: 'openssl-enc',
    name: 'OpenSSL encrypted data',
    extensions: ['enc'],
    mime: 'application/x-openssl-encrypted',
    kind: 'encrypted',
    magic: [[ascii(0, 'Salted__')]],
  },
  {
    id: 'aescrypt',
    name: 'AES Crypt file',
    extensions: ['aes'],
    mime: 'application/x-aes-crypt',
    kind: 'encrypted',
    magic: [[ascii(0, 'AES\x01')], [ascii(0, 'AES\x02')]],
  },
  {
    id: 'luks',
    name: 'LUKS encrypted volume',
    extensions: ['luks'],
    mime: 'application/x-luks',
    kind: 'encrypted',
    magic: [[ascii(0, 'LUKS'), hex(4, 'BA BE')]],
  },
  // Encrypted volumes are indistinguishable from random bytes by design.
  { id: 'veracrypt', name: 'VeraCrypt volume', extensions: ['hc', 'tc'], mime: 'application/x-veracrypt', kind: 'encrypted' },
  { id: 'p7m', name: 'S/MIME encrypted message', extensions: ['p7m'], mime: 'application/pkcs7-mime', kind: 'encrypted' },
];
