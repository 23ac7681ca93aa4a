import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { DomainError, ValidationError } from '../../domain/errors.js';
import type { Finding } from '../../domain/validation/events.js';
import { VALIDATION_MODES } from '../../domain/validation/modes.js';
import { entryAt } from '../../projections/locations/indexed-files.js';
import { findingsOf } from '../../projections/validation/queries.js';
import type { JobDefinition, JobRuntime } from '../jobs/job-runtime.js';
import { findJob } from '../jobs/find-job.js';
import type { LocationQueries } from '../locations/location-queries.js';
import type { StartedJob } from '../locations/locations.js';
import { VALIDATE_JOB, type ValidateInput, type ValidationTarget } from './validate.js';

export const ValidateRequest = z.object({
  paths: z.array(z.string().min(1)).default([]),
  location: z.string().min(1).optional(),
  mode: z.enum(VALIDATION_MODES).default('basic'),
});
export type ValidateRequest = z.input<typeof ValidateRequest>;

/** Validation of indexed files against the disk: start a validation job, read the findings of one. */
export class Validation {
  constructor(
    private readonly jobs: JobRuntime,
    private readonly db: Database,
    private readonly locations: LocationQueries,
    private readonly job: JobDefinition<ValidateInput>,
    private readonly newId: () => string,
  ) {}

  /** Resolves what to validate (a location, or paths: indexed entries or not) and starts the job. */
  async start(request: ValidateRequest): Promise<StartedJob> {
    const parsed = ValidateRequest.safeParse(request);
    if (!parsed.success) throw new ValidationError('validate request', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    const r = parsed.data;
    if ((r.paths.length > 0) === (r.location !== undefined)) {
      throw new DomainError('VALIDATE_SOURCE', 'user', 'name the files or folders to validate, or --location <name> for a whole location (not both)');
    }
    const targets: ValidationTarget[] = r.location !== undefined ? [this.locationTarget(r.location)] : r.paths.map((p) => this.pathTarget(p));
    const actionId = this.newId();
    const input: ValidateInput = { mode: r.mode, targets, ...(r.location !== undefined ? { locationId: targets[0].locationId! } : {}) };
    return this.jobs.start(this.job, input, { actionId, correlationId: actionId, commandKind: 'file.validate' });
  }

  /** The findings of a validation job, most severe first. */
  findings(jobIdOrPrefix: string, limit = 100_000): { jobId: string; findings: Finding[] } {
    const job = findJob(this.db, jobIdOrPrefix);
    if (job.name !== VALIDATE_JOB) throw new DomainError('NOT_A_VALIDATION', 'user', `job ${job.id} is not a validation (it is a ${job.name} job): see \`spacedrive job info ${job.id}\``);
    return { jobId: job.id, findings: findingsOf(this.db, job.id, limit) };
  }

  private locationTarget(ref: string): ValidationTarget {
    const l = this.locations.resolve(ref);
    return { kind: 'location', path: l.path, locationId: l.id, dir: '' };
  }

  private pathTarget(input: string): ValidationTarget {
    const absolute = realParent(path.resolve(input));
    const found = this.locations.locate(absolute);
    if (!found) return { kind: 'outside', path: absolute, locationId: null, dir: '' };
    const { location, dir } = found;
    if (dir === '') return { kind: 'location', path: location.path, locationId: location.id, dir: '' };
    const slash = dir.lastIndexOf('/');
    const entry = entryAt(this.db, location.key, slash < 0 ? '' : dir.slice(0, slash), dir.slice(slash + 1));
    return { kind: entry ? 'entry' : 'unindexed', path: absolute, locationId: location.id, dir };
  }
}

/** The path with its folder's symlinks resolved (locations are stored by real path); the name itself is kept. */
function realParent(absolute: string): string {
  const parent = path.dirname(absolute);
  return existsSync(parent) ? path.join(realpathSync(parent), path.basename(absolute)) : absolute;
}
