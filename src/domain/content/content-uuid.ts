import { createHash } from 'node:crypto';

/** RFC 4122 DNS namespace: Spacedrive v2 derives content UUIDs from it. */
const DNS_NAMESPACE = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');

/** Content UUID = UUIDv5(DNS namespace, casId): the same content has the same UUID on every device. */
export function contentUuidOf(casId: string): string {
  const h = createHash('sha1').update(DNS_NAMESPACE).update(casId, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
