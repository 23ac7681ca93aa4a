import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { ValidationEvent } from '../../domain/validation/events.js';
import { preparedOnce } from '../prepared.js';
import type { Projection } from '../projection.js';

const SQL = {
  count: 'SELECT count(*) FROM validation_findings WHERE job_id = ?',
  insert: `INSERT INTO validation_findings (job_id, seq, path, location_id, check_name, severity, message, action, indexed, found)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
};
const statementsOf = preparedOnce<keyof typeof SQL>(SQL, ['count']);

/** The findings of validation jobs, numbered in log order per job. */
export const validationProjection: Projection = {
  name: 'validation',
  version: 1,
  handles: new Set(['FilesValidated']),
  apply(db: Database, events: readonly StoredEvent[]) {
    const s = statementsOf(db);
    for (const event of events) {
      const e = event as unknown as ValidationEvent;
      if (e.data.findings.length === 0) continue;
      const before = s.count.get(e.data.jobId) as number;
      e.data.findings.forEach((f, i) =>
        s.insert.run(
          e.data.jobId, before + i + 1, f.path, f.locationId, f.check, f.severity, f.message, f.action,
          f.indexed ? JSON.stringify(f.indexed) : null, f.found ? JSON.stringify(f.found) : null,
        ),
      );
    }
  },
};
