import type { MagicPattern, MagicSignature } from './file-type.js';

/** `hex(0, '89 50 4E 47')`; spaces are optional and `??` matches any byte. */
export function hex(offset: number, pattern: string): MagicPattern {
  const digits = pattern.replace(/\s+/g, '');
  if (digits.length === 0 || digits.length % 2 !== 0) throw new Error(`magic pattern "${pattern}" is not whole bytes`);
  const bytes = new Uint8Array(digits.length / 2);
  const mask = new Uint8Array(bytes.length);
  let masked = false;
  for (let i = 0; i < bytes.length; i++) {
    const pair = digits.slice(2 * i, 2 * i + 2);
    if (pair === '??') {
      masked = true;
      continue;
    }
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) throw new Error(`magic pattern "${pattern}" has a bad byte "${pair}"`);
    bytes[i] = Number.parseInt(pair, 16);
    mask[i] = 0xff;
  }
  return masked ? { offset, bytes, mask } : { offset, bytes };
}

/** `ascii(8, 'WEBP')`; escapes such as `\x7F` or `\0` give the other byte values. */
export function ascii(offset: number, text: string): MagicPattern {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new Error(`magic text "${text}" is not a byte string`);
    bytes[i] = code;
  }
  return { offset, bytes };
}

/** One byte at `offset` of which only the bits of `mask` count: a range such as 0x20–0x3F is `masked(o, 0x20, 0xE0)`. */
export function masked(offset: number, value: number, mask: number): MagicPattern {
  return { offset, bytes: Uint8Array.of(value & mask), mask: Uint8Array.of(mask) };
}

export function matchesSignature(head: Uint8Array, signature: MagicSignature): boolean {
  for (const { offset, bytes, mask } of signature) {
    if (offset + bytes.length > head.length) return false;
    if (mask) {
      for (let i = 0; i < bytes.length; i++) if ((head[offset + i] & mask[i]) !== bytes[i]) return false;
    } else {
      for (let i = 0; i < bytes.length; i++) if (head[offset + i] !== bytes[i]) return false;
    }
  }
  return true;
}

/** How much a match says: the number of fully compared bytes. Longer signatures are more specific. */
export function signatureStrength(signature: MagicSignature): number {
  let strength = 0;
  for (const { bytes, mask } of signature) {
    for (let i = 0; i < bytes.length; i++) if (!mask || mask[i] === 0xff) strength++;
  }
  return strength;
}

/** Where a signature ends: the number of leading bytes a head must have for it to match. */
export function signatureEnd(signature: MagicSignature): number {
  let end = 0;
  for (const { offset, bytes } of signature) end = Math.max(end, offset + bytes.length);
  return end;
}
