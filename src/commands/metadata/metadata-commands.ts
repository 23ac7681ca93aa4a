import { z } from 'zod';
import { metadataDecider } from '../../domain/metadata/decider.js';
import { EntryTarget, entryStream } from '../../domain/metadata/target.js';
import { defineCommand } from '../bus.js';
import { handleSharedWithDecider } from '../shared-data-handler.js';

/** Sets (or, with null, clears) the note of an entry. */
export const noteEntry = defineCommand({
  name: 'meta.note',
  input: z.object({ target: EntryTarget, note: z.string().max(65_536).nullable() }),
  async handle(ctx, input): Promise<{ changed: boolean }> {
    const note = input.note === null || input.note.trim() === '' ? null : input.note;
    const { events } = await handleSharedWithDecider(ctx, entryStream(input.target), metadataDecider, { type: 'NoteEntry', target: input.target, note });
    return { changed: events.length > 0 };
  },
});

/** Marks entries favourite or not; entries already so append nothing. */
export const favoriteEntries = defineCommand({
  name: 'meta.favorite',
  input: z.object({ targets: z.array(EntryTarget).min(1), favorite: z.boolean() }),
  async handle(ctx, input): Promise<{ changed: number }> {
    let changed = 0;
    for (const target of input.targets) {
      const { events } = await handleSharedWithDecider(ctx, entryStream(target), metadataDecider, { type: 'FavoriteEntry', target, favorite: input.favorite });
      changed += events.length;
    }
    return { changed };
  },
});

/** Hides entries from normal views (search leaves them out unless asked for hidden ones), or shows them again. */
export const hideEntries = defineCommand({
  name: 'meta.hide',
  input: z.object({ targets: z.array(EntryTarget).min(1), hidden: z.boolean() }),
  async handle(ctx, input): Promise<{ changed: number }> {
    let changed = 0;
    for (const target of input.targets) {
      const { events } = await handleSharedWithDecider(ctx, entryStream(target), metadataDecider, { type: 'HideEntry', target, hidden: input.hidden });
      changed += events.length;
    }
    return { changed };
  },
});
