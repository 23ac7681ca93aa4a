import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { LibraryEvent } from '../../domain/library/events.js';
import type { LibrarySettings } from '../../domain/library/settings.js';
import type { Projection } from '../projection.js';

export const libraryProjection: Projection = {
  name: 'library',
  version: 1,
  handles: new Set(['LibraryCreated', 'LibraryRenamed', 'LibraryDescribed', 'LibrarySettingsChanged']),
  apply(db: Database, events: readonly StoredEvent[]) {
    for (const event of events) {
      const e = event as unknown as LibraryEvent;
      switch (e.type) {
        case 'LibraryCreated':
          db.prepare(
            `INSERT INTO library (id, name, description, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
          ).run(e.data.libraryId, e.data.name, e.data.description, JSON.stringify(e.data.settings), e.data.createdAt, e.data.createdAt);
          break;
        case 'LibraryRenamed':
          db.prepare('UPDATE library SET name = ?, updated_at = ?').run(e.data.to, e.data.at);
          break;
        case 'LibraryDescribed':
          db.prepare('UPDATE library SET description = ?, updated_at = ?').run(e.data.description, e.data.at);
          break;
        case 'LibrarySettingsChanged': {
          const row = db.prepare('SELECT settings FROM library').pluck().get() as string | undefined;
          if (row === undefined) break;
          const settings = { ...(JSON.parse(row) as LibrarySettings), ...e.data.changes };
          db.prepare('UPDATE library SET settings = ?, updated_at = ?').run(JSON.stringify(settings), e.data.at);
          break;
        }
      }
    }
  },
};

export interface LibraryRecord {
  id: string;
  name: string;
  description: string | null;
  settings: LibrarySettings;
  createdAt: string;
  updatedAt: string;
}

export function readLibrary(db: Database): LibraryRecord | null {
  const row = db.prepare('SELECT id, name, description, settings, created_at, updated_at FROM library').get() as
    | { id: string; name: string; description: string | null; settings: string; created_at: string; updated_at: string }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    settings: JSON.parse(row.settings) as LibrarySettings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
