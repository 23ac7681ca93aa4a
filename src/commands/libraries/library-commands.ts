import { z } from 'zod';
import { libraryDecider } from '../../domain/library/decider.js';
import { LIBRARY_STREAM } from '../../domain/library/events.js';
import { LibrarySettingsPatch, defaultLibrarySettings } from '../../domain/library/settings.js';
import { defineCommand } from '../bus.js';
import { handleWithDecider } from '../decider-handler.js';

/** Records the library's birth; the first event of every library log. */
export const initializeLibrary = defineCommand({
  name: 'library.initialize',
  input: z.object({ libraryId: z.uuid(), name: z.string().min(1), description: z.string().nullable().default(null) }),
  async handle(ctx, input) {
    await handleWithDecider(ctx, LIBRARY_STREAM, libraryDecider, {
      type: 'CreateLibrary',
      ...input,
      settings: defaultLibrarySettings(),
      at: ctx.now().toISOString(),
    });
  },
});

/** Expects a name already made safe and unique by the library manager. */
export const renameLibrary = defineCommand({
  name: 'library.rename',
  input: z.object({ name: z.string().min(1) }),
  async handle(ctx, input) {
    const { events } = await handleWithDecider(ctx, LIBRARY_STREAM, libraryDecider, {
      type: 'RenameLibrary',
      name: input.name,
      at: ctx.now().toISOString(),
    });
    return { changed: events.length > 0 };
  },
});

export const describeLibrary = defineCommand({
  name: 'library.describe',
  input: z.object({ description: z.string().max(10_000).nullable() }),
  async handle(ctx, input) {
    const { events } = await handleWithDecider(ctx, LIBRARY_STREAM, libraryDecider, {
      type: 'DescribeLibrary',
      description: input.description === '' ? null : input.description,
      at: ctx.now().toISOString(),
    });
    return { changed: events.length > 0 };
  },
});

export const changeLibrarySettings = defineCommand({
  name: 'library.settings',
  input: z.object({ changes: LibrarySettingsPatch }),
  async handle(ctx, input) {
    const { events } = await handleWithDecider(ctx, LIBRARY_STREAM, libraryDecider, {
      type: 'ChangeLibrarySettings',
      changes: input.changes,
      at: ctx.now().toISOString(),
    });
    return { changed: events.length > 0 };
  },
});
