import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { JobEvent } from '../../domain/job/events.js';
import { preparedOnce } from '../prepared.js';
import type { Projection } from '../projection.js';

const SQL = {
  insert: `INSERT INTO jobs (id, name, status, input, location_id, queued_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?, ?)`,
  status: 'UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?',
  progress: 'UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ?',
  finish: 'UPDATE jobs SET status = ?, output = ?, failure = ?, updated_at = ?, finished_at = ? WHERE id = ?',
  errorCount: 'SELECT error_count FROM jobs WHERE id = ?',
  addErrors: 'UPDATE jobs SET error_count = error_count + ? WHERE id = ?',
  insertError: 'INSERT INTO job_errors (job_id, seq, path, code, message) VALUES (?, ?, ?, ?, ?)',
};
const statementsOf = preparedOnce<keyof typeof SQL>(SQL, ['errorCount']);

/** Job records for `job list` and `job info`: status, last progress, errors, output. */
export const jobsProjection: Projection = {
  name: 'jobs',
  version: 1,
  handles: new Set([
    'JobQueued', 'JobStarted', 'JobCheckpointed', 'JobErrorsRecorded', 'JobPaused', 'JobResumed', 'JobCompleted', 'JobFailed', 'JobCancelled',
  ]),
  apply(db: Database, events: readonly StoredEvent[]) {
    const s = statementsOf(db);
    for (const event of events) {
      const e = event as unknown as JobEvent;
      const id = event.streamId.slice('job-'.length);
      switch (e.type) {
        case 'JobQueued': {
          const locationId = typeof e.data.input.locationId === 'string' ? e.data.input.locationId : null;
          s.insert.run(e.data.jobId, e.data.name, JSON.stringify(e.data.input), locationId, e.data.at, e.data.at);
          break;
        }
        case 'JobStarted':
        case 'JobResumed':
          s.status.run('running', e.data.at, id);
          break;
        case 'JobPaused':
          s.status.run('paused', e.data.at, id);
          break;
        case 'JobCheckpointed':
          s.progress.run(JSON.stringify(e.data.progress), e.data.at, id);
          break;
        case 'JobErrorsRecorded': {
          const before = (s.errorCount.get(id) as number | undefined) ?? 0;
          e.data.errors.forEach((err, i) => s.insertError.run(id, before + i + 1, err.path, err.code, err.message));
          s.addErrors.run(e.data.errors.length, id);
          break;
        }
        case 'JobCompleted':
          s.finish.run('completed', JSON.stringify(e.data.output), null, e.data.at, e.data.at, id);
          break;
        case 'JobFailed':
          s.finish.run('failed', null, JSON.stringify(e.data.error), e.data.at, e.data.at, id);
          break;
        case 'JobCancelled':
          s.finish.run('cancelled', null, null, e.data.at, e.data.at, id);
          break;
      }
    }
  },
};
