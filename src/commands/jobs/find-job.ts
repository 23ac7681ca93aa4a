import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import { findJobs, jobErrors, type JobRecord } from '../../projections/jobs/queries.js';

/** A job by its id or a unique prefix of it. */
export function findJob(db: Database, idOrPrefix: string): JobRecord {
  const found = findJobs(db, idOrPrefix);
  if (found.length === 0) throw new DomainError('JOB_NOT_FOUND', 'user', `no job ${idOrPrefix}: see \`spacedrive job list\``);
  if (found.length > 1 && found[0].id !== idOrPrefix) {
    throw new DomainError('JOB_AMBIGUOUS', 'user', `${idOrPrefix} matches several jobs: give more of the id`);
  }
  return found[0];
}

export type JobDetails = JobRecord & { errors: { path: string; code: string; message: string }[] };

/** A job record with its recorded errors (the first thousand). */
export function jobDetails(db: Database, idOrPrefix: string): JobDetails {
  const record = findJob(db, idOrPrefix);
  return { ...record, errors: jobErrors(db, record.id) };
}
