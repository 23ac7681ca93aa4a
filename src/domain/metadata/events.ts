import { z } from 'zod';
import { defineEvent, type EventOf } from '../event-catalog.js';
import { EntryTarget } from './target.js';

/** Notes and flags of one entry, in its stream `entry-<uuid>` (see `entryStream`). A null note clears it. */
export const EntryNoted = defineEvent('EntryNoted', z.object({ target: EntryTarget, note: z.string().min(1).max(65_536).nullable() }));
export const EntryFavorited = defineEvent('EntryFavorited', z.object({ target: EntryTarget, favorite: z.boolean() }));
/** Hidden from normal views: search leaves it out unless asked for hidden entries. */
export const EntryHidden = defineEvent('EntryHidden', z.object({ target: EntryTarget, hidden: z.boolean() }));

export const metadataEvents = [EntryNoted, EntryFavorited, EntryHidden] as const;

export type MetadataEvent = EventOf<typeof EntryNoted> | EventOf<typeof EntryFavorited> | EventOf<typeof EntryHidden>;
