import type { Database } from 'better-sqlite3';
import type { CopiedPath, DeletedPath, FailedPath } from '../../domain/fileops/events.js';

export type AuditKind = 'copy' | 'move' | 'delete' | 'failure';

export interface AuditFilter {
  /** The history of this path: records naming it, a directory above it, or (for a directory) anything below it. */
  path?: string;
  kind?: AuditKind;
  /** ISO-8601: records at or after it. */
  since?: string;
  /** A device id or a prefix of it. */
  device?: string;
  limit?: number;
}

export interface AuditRecord {
  at: string;
  kind: AuditKind;
  action: 'copy' | 'move' | 'delete';
  device: string;
  jobId: string;
  position: number;
  eventId: string;
  /** Delete records: trash, permanent or secure. */
  mode?: string;
  paths: (CopiedPath | DeletedPath)[];
  failures: FailedPath[];
}

interface Row {
  position: number;
  eventId: string;
  at: string;
  kind: AuditKind;
  action: AuditRecord['action'];
  device: string;
  jobId: string;
  detail: string;
}

const COLUMNS = 'position, event_id AS eventId, at, kind, action, device, job_id AS jobId, detail';

function toRecord(r: Row): AuditRecord {
  const d = JSON.parse(r.detail) as { mode?: string; paths: AuditRecord['paths']; failures: FailedPath[] };
  return { at: r.at, kind: r.kind, action: r.action, device: r.device, jobId: r.jobId, position: r.position, eventId: r.eventId, ...(d.mode ? { mode: d.mode } : {}), paths: d.paths, failures: d.failures };
}

/** Records in log order, filtered; with `path`, only the entries of each record that concern that path. */
export function auditHistory(db: Database, f: AuditFilter): AuditRecord[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.kind) {
    where.push('kind = ?');
    params.push(f.kind);
  }
  if (f.since) {
    where.push('at >= ?');
    params.push(f.since);
  }
  if (f.device) {
    where.push('device >= ? AND device < ?');
    params.push(f.device, `${f.device}\u{10FFFF}`);
  }
  if (f.path === undefined) {
    const sql = `SELECT ${COLUMNS} FROM audit_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY position${f.limit ? ' LIMIT ?' : ''}`;
    return (db.prepare(sql).all(...params, ...(f.limit ? [f.limit] : [])) as Row[]).map(toRecord);
  }
  const wanted = lineage(db, f.path);
  const positions = [...wanted.keys()].sort((a, b) => a - b);
  const one = db.prepare(`SELECT ${COLUMNS} FROM audit_records WHERE position = ? ${where.length ? `AND ${where.join(' AND ')}` : ''}`);
  const out: AuditRecord[] = [];
  for (const position of positions) {
    const row = one.get(position, ...params) as Row | undefined;
    if (!row) continue;
    const record = toRecord(row);
    const seqs = wanted.get(position)!;
    const failureBase = record.paths.length;
    record.paths = record.paths.filter((_, i) => seqs.has(i));
    record.failures = record.failures.filter((_, i) => seqs.has(failureBase + i));
    out.push(record);
    if (f.limit && out.length >= f.limit) break;
  }
  return out;
}

/**
 * Which records (and which of their paths) make up the history of `path`. Moves are followed both ways: what the
 * file was before it was moved here, and what became of it after it was moved away.
 */
function lineage(db: Database, start: string): Map<number, Set<number>> {
  const rows = db.prepare(
    `SELECT p.path, p.position, p.seq, p.role, r.kind FROM audit_paths p JOIN audit_records r ON r.position = p.position
     WHERE p.path = ? OR (p.path >= ? AND p.path < ?)`,
  );
  const ancestorRows = db.prepare(
    `SELECT p.path, p.position, p.seq, p.role, r.kind FROM audit_paths p JOIN audit_records r ON r.position = p.position WHERE p.path = ?`,
  );
  const pathOf = db.prepare(`SELECT path FROM audit_paths WHERE position = ? AND seq = ? AND role = ?`).pluck();
  const out = new Map<number, Set<number>>();
  const seen = new Set<string>();
  const visit = (p: string, after: number, before: number) => {
    const key = `${p}\u0000${after}\u0000${before}`;
    if (seen.has(key) || seen.size > 1000) return;
    seen.add(key);
    type Hit = { path: string; position: number; seq: number; role: string; kind: string };
    const hits = [...(rows.all(p, `${p}/`, `${p}0`) as Hit[])];
    for (const a of ancestors(p)) hits.push(...(ancestorRows.all(a) as Hit[]));
    for (const h of hits) {
      if (h.position <= after || h.position >= before) continue;
      let seqs = out.get(h.position);
      if (!seqs) out.set(h.position, (seqs = new Set()));
      seqs.add(h.seq);
      if (h.kind !== 'move') continue;
      // the same file under its other name: p relative to the record's path, applied to the other side
      const other = pathOf.get(h.position, h.seq, h.role === 'source' ? 'destination' : 'source') as string | undefined;
      if (!other || !(h.path === p || p.startsWith(`${h.path}/`))) continue;
      const mapped = other + p.slice(h.path.length);
      if (h.role === 'source') visit(mapped, h.position, before);
      else visit(mapped, after, h.position);
    }
  };
  visit(start, 0, Number.MAX_SAFE_INTEGER);
  return out;
}

function ancestors(p: string): string[] {
  const out: string[] = [];
  for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) out.push(p.slice(0, i));
  return out;
}
