import type { FileType, MagicSignature } from './file-type.js';
import { matchesSignature, signatureStrength } from './magic.js';
import { FILE_TYPES } from './registry.js';

/**
 * Fewer fully compared bytes than this (`FF FB`, `0A ?? 01`) is a hint, not proof: such a match names a file whose
 * extension is unknown but never overrides a known one.
 */
const DECISIVE_STRENGTH = 3;

export interface MagicMatch {
  readonly type: FileType;
  /** Fully compared bytes: the more, the more specific the signature. */
  readonly strength: number;
  /** Whether the match outranks the file's extension (strong enough and not a mere text prefix). */
  readonly decisive: boolean;
}

/**
 * Signatures grouped by one byte they require, at a handful of offsets (0, 4 for `ftyp`, 257 for tar, …): a lookup
 * touches only the few signatures whose anchor byte is present in the head.
 */
interface Anchor {
  readonly offset: number;
  readonly byByte: (RankedMatch[] | undefined)[];
}

/** What a signature would mean if it matched; `rank` is its type's position in the registry, the tie-break. */
interface RankedMatch extends MagicMatch {
  readonly signature: MagicSignature;
  readonly rank: number;
}

const anchors: readonly Anchor[] = buildAnchors();

/**
 * What `strongestMagicMatch` starts from: no match, outranked by any. A match of the same shape as the real ones: the
 * comparisons with the best so far then see one kind of object from the first file on (with `null` there, the
 * optimised code was thrown away at the first match, and compiled again, on every hashing thread). Its rank is a small
 * integer like every real one: a rank of another representation (a double) would change the shape of them all.
 */
const NO_MATCH: RankedMatch = ranked(FILE_TYPES[0], [], -1, false, FILE_TYPES.length);

/** The most specific signature the head matches; on a tie the type listed first in the registry. */
export function strongestMagicMatch(head: Uint8Array): MagicMatch | null {
  let best = NO_MATCH;
  for (const { offset, byByte } of anchors) {
    if (offset >= head.length) continue;
    const candidates = byByte[head[offset]];
    if (!candidates) continue;
    for (const candidate of candidates) {
      if (candidate.strength < best.strength || (candidate.strength === best.strength && candidate.rank > best.rank)) continue;
      if (matchesSignature(head, candidate.signature)) best = candidate;
    }
  }
  return best === NO_MATCH ? null : best;
}

function ranked(type: FileType, signature: MagicSignature, strength: number, decisive: boolean, rank: number): RankedMatch {
  return { type, signature, strength, decisive, rank };
}

function buildAnchors(): Anchor[] {
  const byOffset = new Map<number, Anchor>();
  FILE_TYPES.forEach((type, rank) => {
    for (const signature of type.magic ?? []) {
      const strength = signatureStrength(signature);
      const match = ranked(type, signature, strength, strength >= DECISIVE_STRENGTH && !type.textual, rank);
      const [offset, byte] = anchorOf(type, signature);
      let anchor = byOffset.get(offset);
      if (!anchor) byOffset.set(offset, (anchor = { offset, byByte: new Array<RankedMatch[] | undefined>(256) }));
      (anchor.byByte[byte] ??= []).push(match);
    }
  });
  return [...byOffset.values()].sort((a, b) => a.offset - b.offset);
}

/** The earliest fully compared byte of a signature. */
function anchorOf(type: FileType, signature: MagicSignature): [offset: number, byte: number] {
  let found: [number, number] | null = null;
  for (const { offset, bytes, mask } of signature) {
    for (let i = 0; i < bytes.length; i++) {
      if (mask && mask[i] !== 0xff) continue;
      if (!found || offset + i < found[0]) found = [offset + i, bytes[i]];
      break;
    }
  }
  if (!found) throw new Error(`file type ${type.id}: a magic signature compares no whole byte`);
  return found;
}
