/** How far indexing goes: names and stats, + content identity (casId, kind, MIME), + media facts. Without zod, so the CLI loads it at start. */
export const INDEX_MODES = ['shallow', 'content', 'deep'] as const;
