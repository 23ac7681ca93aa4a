import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type { ChainReport, ReadAllOptions, RecordedEvent } from '../../domain/envelope.js';
import { DomainError } from '../../domain/errors.js';
import { listDevices, type DeviceRecord } from '../../projections/devices/devices-projection.js';
import { readLibrary, type LibraryRecord } from '../../projections/library/library-projection.js';
import type { EventSource, ProjectionRunner, VerifyReport } from '../../projections/runner.js';
import type { CommandBus, CommandDefinition, ExecuteOptions } from '../bus.js';
import type { JobRuntime } from '../jobs/job-runtime.js';
import type { Locations } from '../locations/locations.js';
import type { Volumes } from '../volumes/volumes.js';
import type { Files } from '../files/files.js';
import { auditHistory, type AuditFilter, type AuditRecord } from '../../projections/audit/queries.js';
import { listJobs, type JobRecord } from '../../projections/jobs/queries.js';
import { jobDetails, type JobDetails } from '../jobs/find-job.js';
import type { LibraryQueries } from './library-reader.js';
import type { JobStatus } from '../../domain/job/decider.js';
import type { EventStore } from '../../domain/envelope.js';
import type { Tags } from '../tags/tags.js';
import type { EntryMetadata } from '../metadata/entry-metadata.js';
import type { Search, SearchInput } from '../search/search.js';
import type { SearchResult } from '../../projections/search/search-entries.js';
import { findDuplicates, type DuplicatesProgress, type DuplicatesQuery, type DuplicatesReport } from '../files/duplicates.js';
import type { FileChecksFileSystem } from '../files/file-checks-ports.js';
import type { Validation } from '../files/validation.js';
import { SearchIndex, type SearchIndexProgress } from '../../projections/search/search-index.js';

export interface LibraryParts {
  path: string;
  db: Database;
  store: EventStore & EventSource;
  runner: ProjectionRunner;
  bus: CommandBus;
  jobs: JobRuntime;
  locations: Locations;
  volumes: Volumes;
  files: Files;
  tags: Tags;
  metadata: EntryMetadata;
  search: Search;
  /** Scans and hashing threads of duplicate detection and validation. */
  checksFs: FileChecksFileSystem;
  /** Validation jobs and their findings. */
  validation: Validation;
  /** A throw-away database for `verify`, deleted by `dispose`. */
  scratch(): { db: Database; dispose(): void };
  /** Releases the database and the lock. */
  release(): void;
}

/** An open library: run commands, query read models, read and follow the log, rebuild and verify. */
export class Library implements LibraryQueries {
  private closed = false;

  constructor(private readonly parts: LibraryParts) {}

  get path(): string {
    return this.parts.path;
  }

  get id(): string {
    return this.info().id;
  }

  execute<S extends z.ZodType, R>(command: CommandDefinition<S, R>, input: z.input<S>, options?: ExecuteOptions): Promise<R> {
    this.ensureOpen();
    return this.parts.bus.execute(command, input, options);
  }

  /** The library read model: id, name, description, settings, times. */
  info(): LibraryRecord {
    this.ensureOpen();
    const record = readLibrary(this.parts.db);
    if (!record) throw new DomainError('LIBRARY_NOT_INITIALIZED', 'failure', `library at ${this.parts.path} has no LibraryCreated event`);
    return record;
  }

  /** Locations: add, index, rename, remove, list the index. */
  get locations(): Locations {
    this.ensureOpen();
    return this.parts.locations;
  }

  /** Volumes of this device: detected now, tracked in this library, speed-tested. */
  get volumes(): Volumes {
    this.ensureOpen();
    return this.parts.volumes;
  }

  /** Copy, move and delete: plans and jobs. */
  get files(): Files {
    this.ensureOpen();
    return this.parts.files;
  }

  /** What file operations did, from the audit read model (`spacedrive audit`). */
  audit(filter: AuditFilter): AuditRecord[] {
    this.ensureOpen();
    return auditHistory(this.parts.db, filter);
  }

  /** Tags: create, rename, recolor, move, delete, apply, remove, list. */
  get tags(): Tags {
    this.ensureOpen();
    return this.parts.tags;
  }

  /** Notes, favourites and hidden flags of entries, and everything known about one entry. */
  get metadata(): EntryMetadata {
    this.ensureOpen();
    return this.parts.metadata;
  }

  /** Searches the index (the files may be offline). */
  search(input: SearchInput, onIndexProgress?: (p: SearchIndexProgress) => void): SearchResult {
    this.ensureOpen();
    return this.parts.search.run(input, onIndexProgress);
  }

  /** The job runtime of this process: start, resume, pause, cancel, and follow progress. */
  get jobs(): JobRuntime {
    this.ensureOpen();
    return this.parts.jobs;
  }

  /** Validation of indexed files against the disk: start a job, read its findings. */
  get validation(): Validation {
    this.ensureOpen();
    return this.parts.validation;
  }

  /** Duplicate files under paths, or in a location's index. Read-only. */
  findDuplicates(query: DuplicatesQuery, onProgress?: DuplicatesProgress): Promise<DuplicatesReport> {
    this.ensureOpen();
    return findDuplicates({ db: this.parts.db, locations: this.parts.locations, fs: this.parts.checksFs }, query, onProgress);
  }

  listJobs(status?: JobStatus): JobRecord[] {
    this.ensureOpen();
    return listJobs(this.parts.db, status);
  }

  /** A job record with its recorded errors (the first thousand). */
  jobInfo(idOrPrefix: string): JobDetails {
    this.ensureOpen();
    return jobDetails(this.parts.db, idOrPrefix);
  }

  devices(): DeviceRecord[] {
    this.ensureOpen();
    return listDevices(this.parts.db);
  }

  readEvents(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.ensureOpen();
    return this.parts.store.readAll(options);
  }

  subscribe(listener: (events: readonly RecordedEvent[]) => void): () => void {
    this.ensureOpen();
    return this.parts.store.subscribe(listener);
  }

  verifyChains(): Promise<ChainReport> {
    this.ensureOpen();
    return this.parts.store.verifyChains();
  }

  /** Drops the read models and replays the log into them. */
  rebuild(): { events: number } {
    this.ensureOpen();
    const rebuilt = this.parts.runner.rebuild(this.parts.store);
    new SearchIndex(this.parts.db).catchUp();
    return rebuilt;
  }

  /** Rebuilds into a scratch database and compares every read-model table with the live one. */
  verify(): VerifyReport {
    this.ensureOpen();
    const scratch = this.parts.scratch();
    try {
      // the search index is compared caught up on both sides: it is then a function of the entries alone
      new SearchIndex(this.parts.db).catchUp();
      return this.parts.runner.verify(this.parts.store, scratch.db, (db) => new SearchIndex(db).catchUp());
    } finally {
      scratch.dispose();
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.parts.release();
  }

  private ensureOpen(): void {
    if (this.closed) throw new DomainError('LIBRARY_CLOSED', 'failure', 'this library has been closed');
  }
}
