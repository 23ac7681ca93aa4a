import { z } from 'zod';
import { defineEvent, type EventOf } from '../event-catalog.js';
import { Target } from '../metadata/target.js';

export const tagStream = (tagId: string): string => `tag-${tagId}`;

export const TagName = z.string().min(1).max(200);
/** `#rrggbb`, lowercase. */
export const TagColor = z.string().regex(/^#[0-9a-f]{6}$/);
export const TagIcon = z.string().min(1).max(64);

export const TagCreated = defineEvent(
  'TagCreated',
  z.object({ tagId: z.uuid(), name: TagName, color: TagColor.nullable(), icon: TagIcon.nullable(), parentId: z.uuid().nullable() }),
);
export const TagRenamed = defineEvent('TagRenamed', z.object({ tagId: z.uuid(), name: TagName }));
/** Only the fields present change. */
export const TagRecolored = defineEvent(
  'TagRecolored',
  z.object({ tagId: z.uuid(), color: TagColor.nullable().optional(), icon: TagIcon.nullable().optional() }),
);
export const TagMoved = defineEvent('TagMoved', z.object({ tagId: z.uuid(), parentId: z.uuid().nullable() }));
/** The tag and every application older than this event are gone; a later TagCreated of the same name revives the id. */
export const TagDeleted = defineEvent('TagDeleted', z.object({ tagId: z.uuid() }));
/** Each (event, target) is one element of the tag's add-set. */
export const TagApplied = defineEvent('TagApplied', z.object({ tagId: z.uuid(), targets: z.array(Target).min(1) }));
/** Removes the applications this device saw (observed-remove): one applied concurrently elsewhere survives. */
export const TagRemoved = defineEvent(
  'TagRemoved',
  z.object({ tagId: z.uuid(), applications: z.array(z.object({ eventId: z.uuid(), target: Target })).min(1) }),
);

export const tagEvents = [TagCreated, TagRenamed, TagRecolored, TagMoved, TagDeleted, TagApplied, TagRemoved] as const;

export type TagEvent =
  | EventOf<typeof TagCreated>
  | EventOf<typeof TagRenamed>
  | EventOf<typeof TagRecolored>
  | EventOf<typeof TagMoved>
  | EventOf<typeof TagDeleted>
  | EventOf<typeof TagApplied>
  | EventOf<typeof TagRemoved>;
