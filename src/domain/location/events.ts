import { z } from 'zod';
import { ContentKindSchema } from '../content/content-kind.js';
import { defineEvent, type EventOf } from '../event-catalog.js';
import { IndexerRulesSchema } from './indexer-rules.js';

export const locationStream = (locationId: string): string => `location-${locationId}`;

import { INDEX_MODES } from './index-modes.js';

export const IndexMode = z.enum(INDEX_MODES);
export type IndexMode = z.infer<typeof IndexMode>;

/** Entry paths are relative to the location root, POSIX separators; the root's children have parent ''. */
const Name = z.string().min(1);

export const MediaFacts = z.object({ width: z.number().int().nonnegative(), height: z.number().int().nonnegative(), format: z.string() });
export type MediaFacts = z.infer<typeof MediaFacts>;

export const ContentFacts = z.object({
  casId: z.string().regex(/^[0-9a-f]{16}$/),
  contentKind: ContentKindSchema,
  mime: z.string().nullable(),
  media: MediaFacts.optional(),
});
export type ContentFacts = z.infer<typeof ContentFacts>;

/**
 * What the indexer saw of one entry. `rawName` holds the name's bytes when they are not valid UTF-8 (then `name`
 * is a readable, unique stand-in); `content` is present when the file was identified while it was discovered.
 */
export const EntryFacts = z.object({
  name: Name,
  kind: z.enum(['file', 'directory', 'symlink']),
  size: z.number().int().nonnegative(),
  inode: z.number().int().nonnegative(),
  modifiedAt: z.number().int(),
  hidden: z.boolean(),
  rawName: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes').optional(),
  content: ContentFacts.optional(),
});
export type EntryFacts = z.infer<typeof EntryFacts>;

export const LocationAdded = defineEvent(
  'LocationAdded',
  z.object({
    locationId: z.uuid(),
    name: z.string().min(1),
    path: z.string().min(1),
    mode: IndexMode,
    rules: IndexerRulesSchema,
    deviceId: z.uuid(),
    at: z.iso.datetime(),
  }),
);
export const LocationRenamed = defineEvent('LocationRenamed', z.object({ name: z.string().min(1), at: z.iso.datetime() }));
export const LocationRemoved = defineEvent('LocationRemoved', z.object({ at: z.iso.datetime() }));

/** One event per directory batch, never one per file. */
export const EntriesAdded = defineEvent('EntriesAdded', z.object({ parent: z.string(), entries: z.array(EntryFacts).min(1) }));
/** Size, time, inode or kind changed: the facts replace the old ones, and content not given here is forgotten. */
export const EntriesModified = defineEvent('EntriesModified', z.object({ parent: z.string(), entries: z.array(EntryFacts).min(1) }));
/** The same inode at a new path; a moved directory takes its subtree along. */
export const EntriesMoved = defineEvent(
  'EntriesMoved',
  z.object({
    moves: z.array(z.object({ fromParent: z.string(), fromName: Name, toParent: z.string(), toName: Name, modifiedAt: z.number().int() })).min(1),
  }),
);
/** A removed directory takes its subtree along. */
export const EntriesRemoved = defineEvent('EntriesRemoved', z.object({ parent: z.string(), names: z.array(Name).min(1) }));
export const ContentIdentified = defineEvent(
  'ContentIdentified',
  z.object({ parent: z.string(), entries: z.array(ContentFacts.extend({ name: Name })).min(1) }),
);
/** The scan record: appended by every index job, even when nothing changed. */
export const LocationScanned = defineEvent(
  'LocationScanned',
  z.object({
    jobId: z.uuid(),
    mode: IndexMode,
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    added: z.number().int().nonnegative(),
    modified: z.number().int().nonnegative(),
    moved: z.number().int().nonnegative(),
    removed: z.number().int().nonnegative(),
    identified: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    /** The location folder's inode: a later scan that finds another folder there (an unmounted disk's mount point, a folder put in its place) refuses to read it as every entry removed. Absent before it was recorded. */
    rootInode: z.number().int().nonnegative().optional(),
  }),
);

export const locationEvents = [
  LocationAdded, LocationRenamed, LocationRemoved, EntriesAdded, EntriesModified, EntriesMoved, EntriesRemoved,
  ContentIdentified, LocationScanned,
] as const;

export type LocationLifecycleEvent = EventOf<typeof LocationAdded> | EventOf<typeof LocationRenamed> | EventOf<typeof LocationRemoved>;
export type EntriesEvent =
  | EventOf<typeof EntriesAdded>
  | EventOf<typeof EntriesModified>
  | EventOf<typeof EntriesMoved>
  | EventOf<typeof EntriesRemoved>
  | EventOf<typeof ContentIdentified>
  | EventOf<typeof LocationScanned>;
export type LocationEvent = LocationLifecycleEvent | EntriesEvent;
