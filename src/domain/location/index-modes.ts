/** How far indexing goes: names and stats, + content identity (casId, kind, MIME), + media facts. Without zod, so the CLI loads it at start. */
export const INDEX_MODES = ['shallow', 'content', 'deep'] as const;

/** The name of the job that indexes a location (its jobs read-model rows say how a location's last scan went). */
export const INDEX_JOB = 'index-location';
