import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors.js';
import type { ContentTarget, EntryTarget } from '../../domain/metadata/target.js';
import type { EntryQueries, EntryRecord, LocationRecord } from '../../projections/locations/queries.js';
import type { LocationQueries } from '../locations/location-queries.js';

export interface ResolvedEntry {
  location: LocationRecord;
  /** Path inside the location, POSIX separators. */
  path: string;
  entry: EntryRecord;
  target: EntryTarget;
}

/**
 * Finds an indexed entry from what a user types: a path on disk inside a location (the file may be offline: only
 * the index is read), or `<location>:<path inside it>` with the location's name or id.
 */
export function resolveEntry(locations: LocationQueries, entries: EntryQueries, ref: string): ResolvedEntry {
  const found = locationForm(locations, ref) ?? diskForm(locations, ref);
  if (!found) throw new DomainError('ENTRY_NOT_FOUND', 'user', `"${ref}" is not inside a location: give a path inside one, or <location>:<path> (see \`spacedrive location list\`)`);
  const clean = found.rel.split('/').filter((p) => p !== '' && p !== '.').join('/');
  if (clean === '') throw new DomainError('ENTRY_NOT_FOUND', 'user', `"${ref}" is the root of the location "${found.location.name}", not an entry in it`);
  const slash = clean.lastIndexOf('/');
  const entry = entries.entry(found.location.key, slash < 0 ? '' : clean.slice(0, slash), slash < 0 ? clean : clean.slice(slash + 1));
  if (!entry) throw new DomainError('ENTRY_NOT_FOUND', 'user', `${clean} is not in the index of "${found.location.name}": rescan the location if it is new`);
  return { location: found.location, path: clean, entry, target: { kind: 'entry', locationId: found.location.id, path: clean } };
}

/** The content of an entry, for metadata that follows every copy. */
export function contentTargetOf(r: ResolvedEntry): ContentTarget {
  if (r.entry.casId === null) {
    throw new DomainError(
      'ENTRY_HAS_NO_CONTENT',
      'user',
      r.entry.kind === 'file'
        ? `${r.path} has no content identity yet (empty, or indexed without content): rescan "${r.location.name}" with --mode content`
        : `${r.path} is a ${r.entry.kind}: only files have a content`,
    );
  }
  return { kind: 'content', casId: r.entry.casId };
}

function locationForm(locations: LocationQueries, ref: string): { location: LocationRecord; rel: string } | null {
  const colon = ref.indexOf(':');
  if (colon <= 0 || ref.startsWith('/') || ref.startsWith('.')) return null;
  try {
    return { location: locations.resolve(ref.slice(0, colon)), rel: ref.slice(colon + 1) };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'LOCATION_NOT_FOUND') return null;
    throw err;
  }
}

function diskForm(locations: LocationQueries, ref: string): { location: LocationRecord; rel: string } | null {
  const absolute = path.resolve(ref);
  const direct = locations.locate(absolute);
  if (direct) return { location: direct.location, rel: direct.dir };
  // a location added through a symlinked path is stored by its real path
  if (!existsSync(absolute)) return null;
  const real = locations.locate(realpathSync(absolute));
  return real ? { location: real.location, rel: real.dir } : null;
}
