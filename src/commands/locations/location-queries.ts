import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import { EntryQueries, listLocations, locationById, type EntryRecord, type LocationRecord } from '../../projections/locations/queries.js';

/** What the index says about a library's locations: read-only, so it also serves while another process writes. */
export class LocationQueries {
  constructor(protected readonly db: Database) {}

  list(): LocationRecord[] {
    return listLocations(this.db);
  }

  /** A location by id, unique id prefix, name, or path. */
  resolve(ref: string): LocationRecord {
    const all = this.list();
    const exact = all.filter((l) => l.id === ref || l.name === ref || l.path === ref);
    const byPath = exact.length ? exact : all.filter((l) => l.path === path.resolve(ref));
    const found = byPath.length ? byPath : all.filter((l) => ref.length >= 4 && l.id.startsWith(ref));
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new DomainError('LOCATION_AMBIGUOUS', 'user', `"${ref}" names several locations: use the id (see \`spacedrive location list\`)`);
    throw new DomainError('LOCATION_NOT_FOUND', 'user', `no location "${ref}": see \`spacedrive location list\``);
  }

  /** A directory of a location as the index holds it ('' for the root); `recursive` lists the whole subtree. */
  entries(location: LocationRecord, dir: string, recursive: boolean): EntryRecord[] {
    const q = new EntryQueries(this.db);
    const clean = dir.split('/').filter(Boolean).join('/');
    if (clean !== '') {
      const slash = clean.lastIndexOf('/');
      const self = q.entry(location.key, slash < 0 ? '' : clean.slice(0, slash), slash < 0 ? clean : clean.slice(slash + 1));
      if (!self) throw new DomainError('ENTRY_NOT_FOUND', 'user', `${clean} is not in the index of "${location.name}"`);
      if (self.kind !== 'directory') return [self];
    }
    return recursive ? [...q.subtreeOf(location.key, clean)] : q.childrenOf(location.key, clean);
  }

  /** Which location holds an absolute path, and the path inside it. */
  locate(absolute: string): { location: LocationRecord; dir: string } | null {
    const target = path.resolve(absolute);
    for (const l of this.list()) {
      const rel = path.relative(l.path, target);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return { location: l, dir: rel.split(path.sep).join('/') };
    }
    return null;
  }

  byId(id: string): LocationRecord | null {
    return locationById(this.db, id);
  }}
