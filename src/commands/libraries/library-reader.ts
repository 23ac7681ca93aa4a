import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../domain/job/decider.js';
import { listJobs, type JobRecord } from '../../projections/jobs/queries.js';
import { jobDetails, type JobDetails } from '../jobs/find-job.js';
import { LocationQueries } from '../locations/location-queries.js';
import type { VolumeProbe } from '../volumes/ports.js';
import { VolumeQueries } from '../volumes/volume-queries.js';

/** The queries `job list|info`, `location list|info`, `ls` and `volume list|for` need: served by an open library or a reader. */
export interface LibraryQueries {
  readonly locations: LocationQueries;
  readonly volumes: VolumeQueries;
  listJobs(status?: JobStatus): JobRecord[];
  jobInfo(idOrPrefix: string): JobDetails;
  close(): void;
}

/**
 * A read-only view of a library another process holds open (a job running in another terminal): its read models
 * are committed with each append, so they are current up to that process's last transaction.
 */
export class LibraryReader implements LibraryQueries {
  readonly locations: LocationQueries;
  readonly volumes: VolumeQueries;

  constructor(
    private readonly db: Database,
    readonly path: string,
    volumes: { probe: VolumeProbe; deviceId: string },
  ) {
    this.locations = new LocationQueries(db);
    this.volumes = new VolumeQueries(db, volumes.probe, volumes.deviceId);
  }

  listJobs(status?: JobStatus): JobRecord[] {
    return listJobs(this.db, status);
  }

  jobInfo(idOrPrefix: string): JobDetails {
    return jobDetails(this.db, idOrPrefix);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
