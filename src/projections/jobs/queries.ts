import type { Database } from 'better-sqlite3';
import type { JobProgress } from '../../domain/job/events.js';
import type { JobStatus } from '../../domain/job/decider.js';

export interface JobRecord {
  id: string;
  name: string;
  status: JobStatus;
  input: Record<string, unknown>;
  locationId: string | null;
  progress: JobProgress | null;
  errorCount: number;
  failure: { code: string; message: string; kind?: 'user' | 'failure' } | null;
  output: Record<string, unknown> | null;
  queuedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

interface JobRow {
  id: string;
  name: string;
  status: JobStatus;
  input: string;
  locationId: string | null;
  progress: string | null;
  errorCount: number;
  failure: string | null;
  output: string | null;
  queuedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const COLUMNS = `id, name, status, input, location_id AS locationId, progress, error_count AS errorCount, failure, output,
  queued_at AS queuedAt, updated_at AS updatedAt, finished_at AS finishedAt`;

function toRecord(r: JobRow): JobRecord {
  const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
  return {
    ...r,
    input: JSON.parse(r.input) as Record<string, unknown>,
    progress: parse<JobProgress>(r.progress),
    failure: parse<{ code: string; message: string }>(r.failure),
    output: parse<Record<string, unknown>>(r.output),
  };
}

export function listJobs(db: Database, status?: JobStatus): JobRecord[] {
  const rows = status
    ? db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE status = ? ORDER BY queued_at, id`).all(status)
    : db.prepare(`SELECT ${COLUMNS} FROM jobs ORDER BY queued_at, id`).all();
  return (rows as JobRow[]).map(toRecord);
}

/** A job by its id or a unique prefix of it. */
export function findJobs(db: Database, idOrPrefix: string): JobRecord[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`).all(idOrPrefix, `${idOrPrefix}\u{10FFFF}`);
  return (rows as JobRow[]).map(toRecord);
}

export function jobErrors(db: Database, id: string, limit = 1000): { path: string; code: string; message: string }[] {
  return db.prepare('SELECT path, code, message FROM job_errors WHERE job_id = ? ORDER BY seq LIMIT ?').all(id, limit) as {
    path: string; code: string; message: string;
  }[];
}
