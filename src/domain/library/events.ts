import { z } from 'zod';
import { defineEvent, type EventOf } from '../event-catalog.js';
import { LibrarySettings, LibrarySettingsPatch } from './settings.js';

export const LIBRARY_STREAM = 'library';

export const LibraryCreated = defineEvent(
  'LibraryCreated',
  z.object({
    libraryId: z.uuid(),
    name: z.string().min(1),
    description: z.string().nullable(),
    settings: LibrarySettings,
    createdAt: z.iso.datetime(),
  }),
);
export const LibraryRenamed = defineEvent(
  'LibraryRenamed',
  z.object({ from: z.string(), to: z.string().min(1), at: z.iso.datetime() }),
);
export const LibraryDescribed = defineEvent(
  'LibraryDescribed',
  z.object({ description: z.string().nullable(), at: z.iso.datetime() }),
);
export const LibrarySettingsChanged = defineEvent(
  'LibrarySettingsChanged',
  z.object({ changes: LibrarySettingsPatch, at: z.iso.datetime() }),
);

export const libraryEvents = [LibraryCreated, LibraryRenamed, LibraryDescribed, LibrarySettingsChanged] as const;

export type LibraryEvent =
  | EventOf<typeof LibraryCreated>
  | EventOf<typeof LibraryRenamed>
  | EventOf<typeof LibraryDescribed>
  | EventOf<typeof LibrarySettingsChanged>;
