import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../domain/job/decider.js';
import { listJobs, type JobRecord } from '../../projections/jobs/queries.js';
import { jobDetails, type JobDetails } from '../jobs/find-job.js';
import { LocationQueries } from '../locations/location-queries.js';
import type { VolumeProbe } from '../volumes/ports.js';
import { VolumeQueries } from '../volumes/volume-queries.js';
import { Search, type SearchInput } from '../search/search.js';
import { TagQueries } from '../tags/tag-queries.js';
import type { SearchResult } from '../../projections/search/search-entries.js';
import { findDuplicates, type DuplicatesProgress, type DuplicatesQuery, type DuplicatesReport } from '../files/duplicates.js';
import type { FileChecksFileSystem } from '../files/file-checks-ports.js';
import type { SearchIndexProgress } from '../../projections/search/search-index.js';

/**
 * The queries `job list|info`, `location list|info`, `ls`, `volume list|for`, `tag list` and `search` need: served
 * by an open library or a reader.
 */
export interface LibraryQueries {
  readonly locations: LocationQueries;
  readonly volumes: VolumeQueries;
  readonly tags: TagQueries;
  /** Reports progress when the search index has to be caught up first. */
  search(input: SearchInput, onIndexProgress?: (p: SearchIndexProgress) => void): SearchResult;
  listJobs(status?: JobStatus): JobRecord[];
  jobInfo(idOrPrefix: string): JobDetails;
  findDuplicates(query: DuplicatesQuery, onProgress?: DuplicatesProgress): Promise<DuplicatesReport>;
  close(): void;
}

/**
 * A read-only view of a library another process holds open (a job running in another terminal): its read models
 * are committed with each append, so they are current up to that process's last transaction.
 */
export class LibraryReader implements LibraryQueries {
  readonly locations: LocationQueries;
  readonly volumes: VolumeQueries;
  readonly tags: TagQueries;
  private readonly searcher: Search;

  constructor(
    private readonly db: Database,
    readonly path: string,
    volumes: { probe: VolumeProbe; deviceId: string },
    private readonly checksFs: FileChecksFileSystem,
  ) {
    this.locations = new LocationQueries(db);
    this.volumes = new VolumeQueries(db, volumes.probe, volumes.deviceId);
    this.tags = new TagQueries(db);
    this.searcher = new Search(db, this.locations, this.tags, false);
  }

  search(input: SearchInput): SearchResult {
    return this.searcher.run(input);
  }

  listJobs(status?: JobStatus): JobRecord[] {
    return listJobs(this.db, status);
  }

  jobInfo(idOrPrefix: string): JobDetails {
    return jobDetails(this.db, idOrPrefix);
  }

  findDuplicates(query: DuplicatesQuery, onProgress?: DuplicatesProgress): Promise<DuplicatesReport> {
    return findDuplicates({ db: this.db, locations: this.locations, fs: this.checksFs }, query, onProgress);
  }

  close(): void {
    this.checksFs.close();
    if (this.db.open) this.db.close();
  }
}
