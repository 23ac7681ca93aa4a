import type { Database } from 'better-sqlite3';
import { fold } from '../../domain/decider.js';
import type { EventMeta, EventStore, ExpectedVersion } from '../../domain/envelope.js';
import { DomainError } from '../../domain/errors.js';
import type { EventCatalog } from '../../domain/event-catalog.js';
import { jobDecider, type JobCommand, type JobState } from '../../domain/job/decider.js';
import { jobStream, type JobEvent, type JobItemError, type JobProgress } from '../../domain/job/events.js';
import { findJobs, type JobRecord } from '../../projections/jobs/queries.js';
import { findJob } from './find-job.js';

/** Checkpoint cadence (DESIGN §4): every 500 items or 2 seconds, whichever comes first. */
const CHECKPOINT_ITEMS = 500;
const CHECKPOINT_MS = 2000;

export type StopRequest = 'pause' | 'cancel';

/** What a running job may use. Work results go to their own streams; this records the job's own life. */
export interface JobContext {
  readonly jobId: string;
  /** The cursor of the last checkpoint, null on a first start. */
  readonly cursor: unknown;
  /** Set when a pause or a cancel was asked: the job should checkpoint and return `stopped`. */
  readonly stopRequested: StopRequest | null;
  readonly meta: EventMeta;
  /** Records progress; a `JobCheckpointed` is appended when the cadence is due, or when `force`d. */
  checkpoint(cursor: unknown, progress: JobProgress, options?: { items?: number; force?: boolean }): Promise<void>;
  /** A non-critical error: recorded with the next checkpoint, the job goes on. */
  recordError(error: JobItemError): void;
  readonly errorCount: number;
  now(): Date;
  newId(): string;
}

export type JobOutcome = { status: 'completed'; output: Record<string, unknown> } | { status: 'stopped' };

export interface JobDefinition<I extends Record<string, unknown>> {
  readonly name: string;
  run(ctx: JobContext, input: I): Promise<JobOutcome>;
  /**
   * Tidies what a cancelled run leaves (temporary files): called once the cancel is recorded, whether the job was
   * running or paused, or left by a killed process. Its failure does not undo the cancel.
   */
  cancelled?(jobId: string, input: I): Promise<void>;
}

export interface JobRuntimeDeps {
  store: EventStore;
  catalog: EventCatalog;
  db: Database;
  now(): Date;
  newId(): string;
  /** Known job kinds, to resume a job from its stream by name. */
  definitions: ReadonlyMap<string, JobDefinition<Record<string, unknown>>>;
}

export type ProgressListener = (jobId: string, progress: JobProgress) => void;

/** A live job: its own stream, its run, and the stop request the runtime passes to it. */
class LiveJob implements JobContext {
  stopRequested: StopRequest | null = null;
  private version: ExpectedVersion;
  private pendingErrors: JobItemError[] = [];
  private sinceCheckpoint = 0;
  private lastCheckpoint = Date.now();
  private errors: number;

  constructor(
    readonly jobId: string,
    private state: JobState,
    version: ExpectedVersion,
    readonly meta: EventMeta,
    private readonly deps: JobRuntimeDeps,
    private readonly onProgress: ProgressListener,
  ) {
    this.version = version;
    this.errors = state.status === 'absent' ? 0 : state.errorCount;
  }

  /** The job's input, as queued. */
  get input(): Record<string, unknown> | null {
    return this.state.status === 'absent' ? null : this.state.input;
  }

  get cursor(): unknown {
    return this.state.status === 'absent' ? null : this.state.cursor;
  }

  get errorCount(): number {
    return this.errors;
  }

  now(): Date {
    return this.deps.now();
  }

  newId(): string {
    return this.deps.newId();
  }

  recordError(error: JobItemError): void {
    this.pendingErrors.push(error);
    this.errors++;
  }

  async checkpoint(cursor: unknown, progress: JobProgress, options: { items?: number; force?: boolean } = {}): Promise<void> {
    this.sinceCheckpoint += options.items ?? 0;
    this.onProgress(this.jobId, progress);
    const due = options.force || this.sinceCheckpoint >= CHECKPOINT_ITEMS || Date.now() - this.lastCheckpoint >= CHECKPOINT_MS;
    if (!due) return;
    await this.flushErrors();
    await this.decide({ type: 'CheckpointJob', cursor, progress, at: this.deps.now().toISOString() });
    this.sinceCheckpoint = 0;
    this.lastCheckpoint = Date.now();
  }

  async flushErrors(): Promise<void> {
    if (this.pendingErrors.length === 0) return;
    const errors = this.pendingErrors;
    this.pendingErrors = [];
    await this.decide({ type: 'RecordJobErrors', errors });
  }

  /** Decides on the state kept in memory and appends at the version it was folded from. */
  async decide(command: JobCommand): Promise<void> {
    const events = jobDecider.decide(this.state, command);
    if (events.length === 0) return;
    for (const e of events) this.deps.catalog.validate(e);
    const result = await this.deps.store.append(
      jobStream(this.jobId),
      events.map((e) => ({ eventId: this.deps.newId(), type: e.type, data: e.data })),
      { expectedVersion: this.version, meta: this.meta },
    );
    this.version = result.nextExpectedVersion;
    this.state = events.reduce(jobDecider.evolve, this.state);
  }
}

/**
 * Runs jobs in this process and keeps their streams: queue, start, checkpoints, errors, then completed, paused,
 * cancelled or failed. A job that was running when its process died is resumed from its last checkpoint.
 */
export class JobRuntime {
  private readonly live = new Map<string, { job: LiveJob; done: Promise<JobRecord> }>();
  private readonly listeners = new Set<ProgressListener>();

  constructor(private readonly deps: JobRuntimeDeps) {}

  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isLive(jobId: string): boolean {
    return this.live.has(jobId);
  }

  /** Queues and starts a job; `done` settles with its record when it completes, pauses, cancels or fails. */
  async start<I extends Record<string, unknown>>(
    definition: JobDefinition<I>,
    input: I,
    meta: EventMeta,
  ): Promise<{ jobId: string; done: Promise<JobRecord> }> {
    const jobId = this.deps.newId();
    const at = this.deps.now().toISOString();
    const job = new LiveJob(jobId, { status: 'absent' }, 'no_stream', meta, this.deps, (id, p) => this.emit(id, p));
    await job.decide({ type: 'QueueJob', jobId, name: definition.name, input, at });
    await job.decide({ type: 'StartJob', at });
    return { jobId, done: this.track(job, definition as unknown as JobDefinition<Record<string, unknown>>, input) };
  }

  /** Resumes a paused job, or one its dead process left running, from its last checkpoint. */
  async resume(idOrPrefix: string, meta: EventMeta): Promise<{ jobId: string; done: Promise<JobRecord> }> {
    const record = findJob(this.deps.db, idOrPrefix);
    const definition = this.deps.definitions.get(record.name);
    if (!definition) throw new DomainError('JOB_KIND_UNKNOWN', 'failure', `this version cannot run ${record.name} jobs`);
    const job = await this.load(record.id, meta);
    await job.decide({ type: 'ResumeJob', live: this.isLive(record.id), at: this.deps.now().toISOString() });
    return { jobId: record.id, done: this.track(job, definition, record.input) };
  }

  /** Pauses a live job at its next checkpoint, or marks a job its dead process left running as paused. */
  async pause(idOrPrefix: string, meta: EventMeta): Promise<JobRecord> {
    const record = findJob(this.deps.db, idOrPrefix);
    const live = this.live.get(record.id);
    if (live) {
      if (live.job.stopRequested) throw new DomainError('JOB_ALREADY_PAUSED', 'user', `job ${record.id} is already pausing`);
      live.job.stopRequested = 'pause';
      return live.done;
    }
    const job = await this.load(record.id, meta);
    await job.decide({ type: 'PauseJob', reason: 'user', at: this.deps.now().toISOString() });
    return this.record(record.id);
  }

  async cancel(idOrPrefix: string, meta: EventMeta): Promise<JobRecord> {
    const record = findJob(this.deps.db, idOrPrefix);
    const live = this.live.get(record.id);
    if (live) {
      live.job.stopRequested = 'cancel';
      return live.done;
    }
    const job = await this.load(record.id, meta);
    await job.decide({ type: 'CancelJob', live: false, at: this.deps.now().toISOString() });
    const definition = this.deps.definitions.get(record.name);
    const input = job.input;
    if (definition && input) await this.tidy(definition, record.id, input);
    return this.record(record.id);
  }

  private async tidy(definition: JobDefinition<Record<string, unknown>>, jobId: string, input: Record<string, unknown>): Promise<void> {
    try {
      await definition.cancelled?.(jobId, input);
    } catch (err) {
      process.emitWarning(`job ${jobId} was cancelled, but what it left could not all be removed: ${(err as Error).message}`, 'JobWarning');
    }
  }

  /** Asks every live job to pause at its next checkpoint (Ctrl-C, SIGTERM, closing the library). */
  pauseAll(): void {
    for (const { job } of this.live.values()) job.stopRequested ??= 'pause';
  }

  private record(id: string): JobRecord {
    return findJobs(this.deps.db, id)[0];
  }

  private async load(jobId: string, meta: EventMeta): Promise<LiveJob> {
    const history = await this.deps.store.readStream(jobStream(jobId));
    const state = fold(jobDecider, history as unknown as JobEvent[]);
    if (state.status === 'absent') throw new DomainError('JOB_NOT_FOUND', 'user', `no job ${jobId}`);
    return new LiveJob(jobId, state, history.length, meta, this.deps, (id, p) => this.emit(id, p));
  }

  private track(job: LiveJob, definition: JobDefinition<Record<string, unknown>>, input: Record<string, unknown>): Promise<JobRecord> {
    const done = this.drive(job, definition, input).finally(() => this.live.delete(job.jobId));
    this.live.set(job.jobId, { job, done });
    return done;
  }

  private async drive(job: LiveJob, definition: JobDefinition<Record<string, unknown>>, input: Record<string, unknown>): Promise<JobRecord> {
    const at = () => this.deps.now().toISOString();
    try {
      const outcome = await definition.run(job, input);
      await job.flushErrors();
      if (outcome.status === 'completed') await job.decide({ type: 'CompleteJob', output: outcome.output, at: at() });
      // the run has returned: the job is no longer live, so the cancel it asked for can be recorded
      else if (job.stopRequested === 'cancel') {
        await job.decide({ type: 'CancelJob', live: false, at: at() });
        await this.tidy(definition, job.jobId, input);
      }
      else await job.decide({ type: 'PauseJob', reason: job.stopRequested === 'pause' ? 'requested' : 'stopped', at: at() });
    } catch (err) {
      const e = err instanceof DomainError
        ? { code: err.code, message: err.message, kind: err.kind }
        : { code: 'JOB_CRASHED', message: (err as Error).message ?? String(err), kind: 'failure' as const };
      await job.flushErrors().catch(() => undefined);
      await job.decide({ type: 'FailJob', error: e, at: at() });
    }
    return this.record(job.jobId);
  }

  private emit(jobId: string, progress: JobProgress): void {
    for (const l of this.listeners) l(jobId, progress);
  }
}
