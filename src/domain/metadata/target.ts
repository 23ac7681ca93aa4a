import { z } from 'zod';
import { uuidv5 } from '../uuidv5.js';

/**
 * What user metadata points at, by what every device agrees on: an entry as its location id and its path inside
 * the location (local row ids differ between devices and rebuilds), or a content as its casId (every copy of it).
 */
export const EntryTarget = z.object({ kind: z.literal('entry'), locationId: z.uuid(), path: z.string().min(1) });
export const ContentTarget = z.object({ kind: z.literal('content'), casId: z.string().regex(/^[0-9a-f]{16}$/) });
export const Target = z.discriminatedUnion('kind', [EntryTarget, ContentTarget]);
export type EntryTarget = z.infer<typeof EntryTarget>;
export type ContentTarget = z.infer<typeof ContentTarget>;
export type Target = z.infer<typeof Target>;

/** The key of a target in the read models. */
export function targetKey(t: Target): string {
  return t.kind === 'entry' ? `entry:${t.locationId}:${t.path}` : `content:${t.casId}`;
}

/** An entry's path split as the entries table stores it. */
export function splitEntryPath(path: string): { parent: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { parent: '', name: path } : { parent: path.slice(0, slash), name: path.slice(slash + 1) };
}

/** The stream of an entry's notes and flags: `entry-<UUIDv5(location id, path)>`, the same on every device. */
export const entryStream = (t: EntryTarget): string => `entry-${uuidv5(t.locationId, t.path)}`;
