import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import type { IndexMode } from '../../domain/location/events.js';
import { EntryQueries, listLocations, locationById, type EntryRecord, type LocationRecord } from '../../projections/locations/queries.js';
import type { JobRecord } from '../../projections/jobs/queries.js';
import { listJobs } from '../../projections/jobs/queries.js';
import type { CommandBus } from '../bus.js';
import type { JobDefinition, JobRuntime } from '../jobs/job-runtime.js';
import { INDEX_JOB, type IndexInput } from './index-location.js';
import { addLocation, removeLocation, renameLocation } from './location-commands.js';

export interface StartedJob {
  jobId: string;
  done: Promise<JobRecord>;
}

/** Locations of a library: add, index, rename, remove, and list what the index holds. */
export class Locations {
  constructor(
    private readonly bus: CommandBus,
    private readonly jobs: JobRuntime,
    private readonly db: Database,
    private readonly indexJob: JobDefinition<IndexInput>,
    private readonly newId: () => string,
  ) {}

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

  async add(input: { path: string; name?: string; mode?: IndexMode; rules?: Partial<LocationRecord['rules']> }): Promise<{ location: LocationRecord; job: StartedJob }> {
    const location = await this.bus.execute(addLocation, input);
    return { location, job: await this.index(location, {}) };
  }

  /** Starts an index job: a rescan (only changes are recorded) or, with `mode`, one at another depth of identification. */
  async index(location: LocationRecord, options: { mode?: IndexMode; maxDepth?: number | null; force?: boolean }): Promise<StartedJob> {
    const running = listJobs(this.db).find(
      (j) => j.name === INDEX_JOB && j.locationId === location.id && (j.status === 'running' || j.status === 'paused' || j.status === 'queued'),
    );
    if (running && (running.status !== 'running' || this.jobs.isLive(running.id))) {
      throw new DomainError(
        'LOCATION_BUSY',
        'user',
        `location "${location.name}" has a ${running.status} index job ${running.id}: resume it (\`spacedrive job resume ${running.id}\`) or cancel it first`,
      );
    }
    const actionId = this.newId();
    return this.jobs.start(
      this.indexJob,
      { locationId: location.id, mode: options.mode ?? location.mode, maxDepth: options.maxDepth ?? null, force: options.force ?? false },
      { actionId, correlationId: actionId, commandKind: 'location.index' },
    );
  }

  async rename(location: LocationRecord, name: string): Promise<LocationRecord> {
    return this.bus.execute(renameLocation, { locationId: location.id, name });
  }

  async remove(location: LocationRecord): Promise<void> {
    await this.bus.execute(removeLocation, { locationId: location.id });
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
  }
}
