/** What a copy or move does when a destination exists, and how a delete deletes. Without zod, so the CLI loads it at start. */
export const OVERWRITE_POLICIES = ['error', 'replace', 'skip', 'rename'] as const;
export const DELETE_MODES = ['trash', 'permanent', 'secure'] as const;
