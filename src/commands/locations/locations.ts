import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import type { IndexMode } from '../../domain/location/events.js';
import type { LocationRecord } from '../../projections/locations/queries.js';
import type { JobRecord } from '../../projections/jobs/queries.js';
import { listJobs } from '../../projections/jobs/queries.js';
import type { CommandBus } from '../bus.js';
import type { JobDefinition, JobRuntime } from '../jobs/job-runtime.js';
import { INDEX_JOB } from '../../domain/location/index-modes.js';
import type { IndexInput } from './index-location.js';
import { addLocation, removeLocation, renameLocation } from './location-commands.js';
import { LocationQueries } from './location-queries.js';

export interface StartedJob {
  jobId: string;
  done: Promise<JobRecord>;
}

/** Locations of a library: add, index, rename, remove, and list what the index holds. */
export class Locations extends LocationQueries {
  constructor(
    private readonly bus: CommandBus,
    private readonly jobs: JobRuntime,
    db: Database,
    private readonly indexJob: JobDefinition<IndexInput>,
    private readonly newId: () => string,
  ) {
    super(db);
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
}
