import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import path from 'node:path';
import type { AuditKind, AuditRecord } from '../../projections/audit/queries.js';
import { DomainError } from '../../domain/errors.js';
import { SpacedriveCommand } from '../base-command.js';

const KINDS = ['copy', 'move', 'delete', 'failure'] as const;

/** The JSON shape of an audit record (DESIGN §6: `{at, kind, device, jobId, paths, …}`). */
const auditJson = (r: AuditRecord) => r;

function describePath(r: AuditRecord, p: AuditRecord['paths'][number]): string {
  if ('destination' in p) return `${p.source} → ${p.destination}  (${p.kind}, ${p.bytes} bytes, ${p.strategy}${p.hash ? `, blake3 ${p.hash.slice(0, 16)}…` : ''})`;
  return `${p.source}  (${p.kind}, ${p.bytes} bytes, ${r.mode}${p.trashedTo ? ` → ${p.trashedTo}` : ''})`;
}

export class AuditCommand extends SpacedriveCommand {
  static override paths = [['audit']];
  static override usage = Command.Usage({
    description: 'What file operations did: copies, moves, deletes and failures, with device and job',
    details: 'With --path, the history of one file or folder, following it through moves.',
    examples: [['History of a file', '$0 audit --path ~/Photos/cat.jpg'], ['Deletes since a date, as JSON', '$0 audit --kind delete --since 2026-11-01 --json']],
  });
  pathFilter = Option.String('--path', { description: 'History of this path' });
  kind = Option.String('--kind', { description: KINDS.join(' | '), validator: t.isEnum(KINDS) });
  since = Option.String('--since', { description: 'ISO-8601 date or time' });
  device = Option.String('--device', { description: 'Device id (or a prefix)' });

  async run() {
    let since: string | undefined;
    if (this.since !== undefined) {
      const ms = Date.parse(this.since);
      if (Number.isNaN(ms)) throw new DomainError('INVALID_SINCE', 'user', `--since ${this.since} is not a date: use ISO-8601 (2026-11-21 or 2026-11-21T10:00:00Z)`);
      since = new Date(ms).toISOString();
    }
    await this.withLibrary(async (library) => {
      const records = library.audit({
        path: this.pathFilter === undefined ? undefined : path.resolve(this.pathFilter),
        kind: this.kind as AuditKind | undefined,
        since,
        device: this.device,
      });
      this.out.result(records.map(auditJson), () =>
        records.length === 0
          ? 'No file operations recorded.'
          : records.flatMap((r) => [
              `${r.at}  ${r.kind.padEnd(7)}  device ${r.device}  job ${r.jobId}`,
              ...r.paths.map((p) => `    ${describePath(r, p)}`),
              ...r.failures.map((f) => `    failed: ${f.source}${f.destination ? ` → ${f.destination}` : ''}: ${f.message} (${f.code})`),
            ]),
      );
    });
  }
}

export class AuditVerifyCommand extends SpacedriveCommand {
  static override paths = [['audit', 'verify']];
  static override usage = Command.Usage({
    description: "Check every device's hash chain in the log: a break means events were altered, removed or forked",
    examples: [['Verify', '$0 audit verify']],
  });

  async run() {
    return this.withLibrary(async (library) => {
      const report = await library.verifyChains();
      this.out.result(report, () => [
        report.ok ? `ok: ${report.checked} events in ${report.chains} chains, no break` : `BROKEN: ${report.breaks.length} breaks in ${report.chains} chains`,
        ...report.breaks.map((b) => `  device ${b.device} epoch ${b.epoch} seq ${b.seq} (position ${b.position}): ${b.reason}`),
      ]);
      return report.ok ? 0 : 2;
    });
  }
}
