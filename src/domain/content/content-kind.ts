import { z } from 'zod';

/** What a file's content is, as users browse and search it: the `contentKind` of `ls --json` (DESIGN §6). */
export const CONTENT_KINDS = [
  'unknown',
  'image',
  'video',
  'audio',
  'document',
  'archive',
  'code',
  'text',
  'database',
  'book',
  'font',
  'mesh',
  'config',
  'encrypted',
  'key',
  'executable',
  'binary',
] as const;

export type ContentKind = (typeof CONTENT_KINDS)[number];

export const ContentKindSchema = z.enum(CONTENT_KINDS);
