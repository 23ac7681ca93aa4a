import type { Database } from 'better-sqlite3';
import type { Finding } from '../../domain/validation/events.js';

interface FindingRow {
  path: string;
  locationId: string | null;
  check: Finding['check'];
  severity: Finding['severity'];
  message: string;
  action: string;
  indexed: string | null;
  found: string | null;
}

/** A validation job's findings, most severe first, then in the order they were found. */
export function findingsOf(db: Database, jobId: string, limit: number): Finding[] {
  const rows = db
    .prepare(
      `SELECT path, location_id AS locationId, check_name AS "check", severity, message, action, indexed, found FROM validation_findings
       WHERE job_id = ? ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, seq LIMIT ?`,
    )
    .all(jobId, limit) as FindingRow[];
  return rows.map((r) => ({
    ...r,
    indexed: r.indexed ? (JSON.parse(r.indexed) as Finding['indexed']) : null,
    found: r.found ? (JSON.parse(r.found) as Finding['found']) : null,
  }));
}
