import { z } from 'zod';

/** Library settings; every field has a default so older libraries read with the current shape. */
export const LibrarySettings = z.object({
  generateThumbnails: z.boolean().default(true),
  thumbnailQuality: z.number().int().min(0).max(100).default(85),
  thumbnailSizes: z.array(z.number().int().positive()).default([128, 256, 512]),
  enableAiTagging: z.boolean().default(false),
  syncEnabled: z.boolean().default(false),
  encryptionEnabled: z.boolean().default(false),
  ignoredExtensions: z.array(z.string()).default(['.tmp', '.temp', '.cache', '.part']),
  maxFileSize: z.number().int().positive().nullable().default(100 * 1024 ** 3),
  autoTrackSystemVolumes: z.boolean().default(true),
  autoTrackExternalVolumes: z.boolean().default(false),
});
export type LibrarySettings = z.output<typeof LibrarySettings>;

export const LibrarySettingsPatch = LibrarySettings.partial().strict();
export type LibrarySettingsPatch = z.output<typeof LibrarySettingsPatch>;

export function defaultLibrarySettings(): LibrarySettings {
  return LibrarySettings.parse({});
}
