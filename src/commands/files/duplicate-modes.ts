/** How duplicates are told apart: by size, name and size, sampled casId, or every byte. Without zod, so the CLI loads it at start. */
export const DUPLICATE_MODES = ['size', 'name-size', 'content', 'deep'] as const;
export type DuplicateMode = (typeof DUPLICATE_MODES)[number];
