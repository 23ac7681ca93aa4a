import type { ContentFacts, MediaFacts } from '../../domain/location/events.js';
import type { ContentKind } from '../../domain/content/content-kind.js';
import type { FileStat, IdentifyRequest, IdentifyResult } from '../../commands/locations/ports.js';

/**
 * The messages between the indexer and its hashing threads, in columns rather than one object per file: a batch of
 * thousands of files then costs a few arrays to copy between threads instead of thousands of objects, on both sides.
 */
export interface RequestMessage {
  id: number;
  deep: boolean;
  paths: (string | Uint8Array)[];
  /** Names that are not the end of their path (a path given as bytes), by index. */
  names: [number, string][];
  /** Per file: expected size and modification time, NaN when not given. */
  expected: Float64Array;
}

export interface ResultMessage {
  id: number;
  /** 16 hex characters per file; 16 spaces for a file without a casId (empty, or an error). */
  casIds: string;
  /** Per file: size, inode and modification time as read; NaN for a file that could not be examined. */
  sizes: Float64Array;
  inodes: Float64Array;
  times: Float64Array;
  /** Per file: an index into `types`. */
  typeOf: Uint16Array;
  /** `kind` and `mime` pairs, each once. */
  types: [ContentKind, string | null][];
  errors: [number, string, string][];
  media: [number, MediaFacts][];
}

export function encodeRequests(id: number, items: readonly IdentifyRequest[], deep: boolean): RequestMessage {
  const paths: (string | Uint8Array)[] = new Array(items.length);
  const names: [number, string][] = [];
  const expected = new Float64Array(items.length * 2).fill(NaN);
  items.forEach((item, i) => {
    paths[i] = item.diskPath;
    if (typeof item.diskPath !== 'string' || !item.diskPath.endsWith(`/${item.name}`)) names.push([i, item.name]);
    if (item.expected) {
      expected[2 * i] = item.expected.size;
      expected[2 * i + 1] = item.expected.modifiedAt;
    }
  });
  return { id, deep, paths, names, expected };
}

export interface DecodedRequest {
  diskPath: string | Buffer;
  name: string;
  expected?: { size: number; modifiedAt: number };
}

export function decodeRequests(m: RequestMessage): DecodedRequest[] {
  const names = new Map(m.names);
  return m.paths.map((p, i) => {
    const diskPath = typeof p === 'string' ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    const name = names.get(i) ?? (p as string).slice((p as string).lastIndexOf('/') + 1);
    const size = m.expected[2 * i];
    return Number.isNaN(size) ? { diskPath, name } : { diskPath, name, expected: { size, modifiedAt: m.expected[2 * i + 1] } };
  });
}

const NO_CAS = ' '.repeat(16);

/** Builds a result message file by file, in request order. */
export class ResultEncoder {
  private casIds = '';
  private readonly sizes: Float64Array;
  private readonly inodes: Float64Array;
  private readonly times: Float64Array;
  private readonly typeOf: Uint16Array;
  private readonly types: [ContentKind, string | null][] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly errors: [number, string, string][] = [];
  private readonly media: [number, MediaFacts][] = [];
  private n = 0;

  constructor(
    private readonly id: number,
    count: number,
  ) {
    this.sizes = new Float64Array(count).fill(NaN);
    this.inodes = new Float64Array(count);
    this.times = new Float64Array(count);
    this.typeOf = new Uint16Array(count);
  }

  content(facts: ContentFacts | null, seen: FileStat): void {
    const i = this.n++;
    this.stat(i, seen);
    if (!facts) {
      this.casIds += NO_CAS;
      return;
    }
    this.casIds += facts.casId;
    const key = `${facts.contentKind}\t${facts.mime ?? ''}`;
    let t = this.typeIndex.get(key);
    if (t === undefined) {
      t = this.types.push([facts.contentKind, facts.mime]) - 1;
      this.typeIndex.set(key, t);
    }
    this.typeOf[i] = t;
    if (facts.media) this.media.push([i, facts.media]);
  }

  private stat(i: number, seen: FileStat): void {
    this.sizes[i] = seen.size;
    this.inodes[i] = seen.inode;
    this.times[i] = seen.modifiedAt;
  }

  /** `seen`: the file's stat, when it was asked for and the file could be examined although not read. */
  error(code: string, message: string, seen?: FileStat): void {
    const i = this.n++;
    this.errors.push([i, code, message]);
    this.casIds += NO_CAS;
    if (seen) this.stat(i, seen);
  }

  finish(): ResultMessage {
    const { id, casIds, sizes, inodes, times } = this;
    return { id, casIds, sizes, inodes, times, typeOf: this.typeOf, types: this.types, errors: this.errors, media: this.media };
  }
}

export function decodeResults(m: ResultMessage): IdentifyResult[] {
  const count = m.sizes.length;
  const out: IdentifyResult[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const size = m.sizes[i];
    const inode = m.inodes[i];
    const modifiedAt = m.times[i];
    if (m.casIds.charCodeAt(16 * i) === 32) {
      out[i] = { content: null, size, inode, modifiedAt };
      continue;
    }
    const [contentKind, mime] = m.types[m.typeOf[i]];
    out[i] = { content: { casId: m.casIds.slice(16 * i, 16 * i + 16), contentKind, mime }, size, inode, modifiedAt };
  }
  for (const [i, code, message] of m.errors) {
    const size = m.sizes[i];
    out[i] = Number.isNaN(size) ? { error: { code, message } } : { error: { code, message }, stat: { size, inode: m.inodes[i], modifiedAt: m.times[i] } };
  }
  for (const [i, media] of m.media) (out[i] as { content: ContentFacts }).content.media = media;
  return out;
}
