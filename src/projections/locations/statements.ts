import type { Database, Statement } from 'better-sqlite3';
import { preparedOnce } from '../prepared.js';

/** The SQL of the locations projection, prepared once per database (the live one, or a scratch one for verify). */
const SQL = {
  locationKey: 'SELECT key FROM locations WHERE id = ?',
  insertLocation: `INSERT INTO locations (id, name, path, mode, rules, device_id, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  renameLocation: 'UPDATE locations SET name = ?, updated_at = ? WHERE key = ?',
  deleteLocation: 'DELETE FROM locations WHERE key = ?',
  locationTotals: 'UPDATE locations SET files = files + ?, directories = directories + ?, bytes = bytes + ? WHERE key = ?',
  recordScan: 'UPDATE locations SET scans = scans + 1, last_scan = ?, updated_at = ? WHERE key = ?',
  entry: 'SELECT id, kind, size, cas_id AS casId, aggregate_size AS aggregateSize, file_count AS fileCount FROM entries WHERE location = ? AND parent = ? AND name = ?',
  updateEntryFacts: 'UPDATE entries SET size = ?, inode = ?, modified_at = ?, hidden = ?, raw_name = ?, cas_id = ? WHERE id = ?',
  setCas: 'UPDATE entries SET cas_id = ? WHERE id = ?',
  moveEntry: 'UPDATE entries SET parent = ?, name = ?, extension = ?, modified_at = ?, hidden = ? WHERE id = ?',
  moveSubtree: `UPDATE entries SET parent = ? || substr(parent, length(?) + 1) WHERE location = ? AND (parent = ? OR (parent >= ? AND parent < ?))`,
  deleteEntry: 'DELETE FROM entries WHERE id = ?',
  subtreeCas: `SELECT cas_id AS casId, count(*) AS n FROM entries
       WHERE location = ? AND (parent = ? OR (parent >= ? AND parent < ?)) AND cas_id IS NOT NULL GROUP BY cas_id`,
  subtreeDirectories: `SELECT count(*) FROM entries WHERE location = ? AND (parent = ? OR (parent >= ? AND parent < ?)) AND kind = 'directory'`,
  deleteSubtree: 'DELETE FROM entries WHERE location = ? AND (parent = ? OR (parent >= ? AND parent < ?))',
  locationCas: 'SELECT cas_id AS casId, count(*) AS n FROM entries WHERE location = ? AND cas_id IS NOT NULL GROUP BY cas_id',
  deleteLocationEntries: 'DELETE FROM entries WHERE location = ?',
  directoryAggregates: `UPDATE entries SET aggregate_size = aggregate_size + ?, file_count = file_count + ? WHERE location = ? AND parent = ? AND name = ?`,
  childCount: 'UPDATE entries SET child_count = child_count + ? WHERE location = ? AND parent = ? AND name = ?',
  addContent: `INSERT INTO content_identities (cas_id, kind, mime, size, entries, width, height, media_format)
       VALUES (?, ?, ?, ?, 1, ?, ?, ?)
       ON CONFLICT (cas_id) DO UPDATE SET entries = entries + 1,
         width = coalesce(width, excluded.width), height = coalesce(height, excluded.height),
         media_format = coalesce(media_format, excluded.media_format)`,
  dropContent: 'UPDATE content_identities SET entries = entries - ? WHERE cas_id = ?',
  addMedia: `UPDATE content_identities SET width = coalesce(width, ?), height = coalesce(height, ?), media_format = coalesce(media_format, ?)
       WHERE cas_id = ?`,
  pruneContent: 'DELETE FROM content_identities WHERE cas_id = ? AND entries <= 0',
} as const;

export type LocationStatements = Record<keyof typeof SQL, Statement>;

/** The statements, prepared once per database; `locationKey` and `subtreeDirectories` return their column's value. */
export const statementsOf: (db: Database) => LocationStatements = preparedOnce<keyof typeof SQL>(SQL, ['locationKey', 'subtreeDirectories']);
