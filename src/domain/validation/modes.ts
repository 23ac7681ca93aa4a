/** basic: metadata against the index; integrity: also the casId of every file. Without zod, so the CLI loads it at start. */
export const VALIDATION_MODES = ['basic', 'integrity'] as const;
export type ValidationMode = (typeof VALIDATION_MODES)[number];
