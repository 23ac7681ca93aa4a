import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { FileOperationEvent } from '../../domain/fileops/events.js';
import { preparedOnce } from '../prepared.js';
import type { Projection } from '../projection.js';

const SQL = {
  record: 'INSERT INTO audit_records (position, event_id, at, kind, action, device, job_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  path: 'INSERT OR IGNORE INTO audit_paths (path, position, seq, role) VALUES (?, ?, ?, ?)',
};
const statementsOf = preparedOnce<keyof typeof SQL>(SQL);

/** The audit read model: every copy, move, delete and failure, by time and by path (`spacedrive audit`). */
export const auditProjection: Projection = {
  name: 'audit',
  version: 1,
  handles: new Set(['FilesCopied', 'FilesDeleted', 'FileOperationFailed']),
  apply(db: Database, events: readonly StoredEvent[]) {
    const s = statementsOf(db);
    for (const event of events) {
      const e = event as unknown as FileOperationEvent;
      const d = e.data;
      const action = e.type === 'FilesDeleted' ? 'delete' : e.data.action;
      const kind = e.type === 'FileOperationFailed' ? 'failure' : action;
      const paths = e.type === 'FileOperationFailed' ? [] : e.data.paths;
      const failures = e.type === 'FileOperationFailed' ? e.data.failures : [];
      const detail = { ...(e.type === 'FilesDeleted' ? { mode: e.data.mode } : {}), paths, failures };
      s.record.run(event.position, event.eventId, d.at, kind, action, event.origin.device, d.jobId, JSON.stringify(detail));
      [...paths, ...failures].forEach((p, seq) => {
        s.path.run(p.source, event.position, seq, 'source');
        const destination = 'destination' in p ? p.destination : 'trashedTo' in p ? p.trashedTo : undefined;
        if (destination) s.path.run(destination, event.position, seq, 'destination');
      });
    }
  },
};
