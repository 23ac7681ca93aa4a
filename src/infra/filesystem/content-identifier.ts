import { closeSync, openSync, readSync } from 'node:fs';
import type { ContentFacts } from '../../domain/location/events.js';
import { CasHasher } from './cas-id.js';
import { detectFileType } from './file-types/detect.js';
import { imageFacts } from './file-types/media-facts.js';

/** Deep mode reads this much of an image whose dimensions lie beyond the bytes the hash read (JPEG EXIF). */
const MEDIA_HEAD = 256 * 1024;

export interface Identified {
  /** null for an empty file. */
  facts: ContentFacts | null;
  size: number;
  inode: number;
  modifiedAt: number;
}

/** casId, file type and (deep) media facts of one file, synchronously: run on the main thread or in a worker. */
export class ContentIdentifier {
  private constructor(private readonly hasher: CasHasher) {}

  static async create(): Promise<ContentIdentifier> {
    return new ContentIdentifier(await CasHasher.create());
  }

  /** Without `expected`, the file must be a regular file, not a symlink to one (see `CasHasher.ofFile`). */
  identify(diskPath: string | Buffer, name: string, deep: boolean, expected?: { size: number; modifiedAt: number }): Identified {
    const read = this.hasher.ofFile(diskPath, expected);
    const seen = { size: read.size, inode: read.inode, modifiedAt: read.modifiedAt };
    if (read.casId === null) return { facts: null, ...seen };
    const type = detectFileType(name, read.head);
    const facts: ContentFacts = { casId: read.casId, contentKind: type.kind, mime: type.mime };
    if (deep && type.kind === 'image') {
      const media = imageFacts(read.head) ?? (read.size > read.head.length ? imageFacts(readHead(diskPath, MEDIA_HEAD)) : null);
      if (media) facts.media = media;
    }
    return { facts, ...seen };
  }
}

function readHead(diskPath: string | Buffer, length: number): Uint8Array {
  const fd = openSync(diskPath, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    const n = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
