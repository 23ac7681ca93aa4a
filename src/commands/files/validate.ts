import type { Database } from 'better-sqlite3';
import { fold } from '../../domain/decider.js';
import type { EventStore } from '../../domain/envelope.js';
import type { EventCatalog } from '../../domain/event-catalog.js';
import { validationDecider, type ValidationCommand, type ValidationState } from '../../domain/validation/decider.js';
import { validationStream, type Finding, type ValidationEvent } from '../../domain/validation/events.js';
import type { ValidationMode } from '../../domain/validation/modes.js';
import { entriesBelow, entryAt, type IndexedFile } from '../../projections/locations/indexed-files.js';
import { locationById, type LocationRecord } from '../../projections/locations/queries.js';
import type { JobContext, JobDefinition, JobOutcome } from '../jobs/job-runtime.js';
import { IndexedDiskPaths, displayPathOf } from './indexed-paths.js';
import type { FileChecksFileSystem, FileStat } from './file-checks-ports.js';

export const VALIDATE_JOB = 'validate-files';

/**
 * What to validate, resolved when the job is queued: a whole location, an indexed entry (a folder's subtree or one
 * file), or a path the index does not hold (outside every location, or not in its location's index).
 */
export interface ValidationTarget extends Record<string, unknown> {
  kind: 'location' | 'entry' | 'outside' | 'unindexed';
  path: string;
  locationId: string | null;
  /** The entry's path inside its location ('' for the location itself). */
  dir: string;
}

export interface ValidateInput extends Record<string, unknown> {
  mode: ValidationMode;
  targets: ValidationTarget[];
  /** Set when a whole location is validated, so the job lists with it. */
  locationId?: string;
}

/** Entries per batch: one `FilesValidated` event each, well under 64 KiB even when every entry has a finding. */
const BATCH = 100;

export interface ValidateDeps {
  store: EventStore;
  catalog: EventCatalog;
  db: Database;
  fs: FileChecksFileSystem;
}

/**
 * Validation as a job: compares what the index recorded with the disk — missing entries, changed kinds, size and
 * modification time drift and (integrity) the casId recomputed from the bytes against the indexed one. Findings
 * are recorded batch by batch on `validation-<jobId>`; a paused or killed validation resumes after its last batch.
 */
export function validateFilesJob(deps: ValidateDeps): JobDefinition<ValidateInput> {
  return { name: VALIDATE_JOB, run: (ctx, input) => new ValidationRun(deps, ctx, input).run() };
}

class ValidationRun {
  private state!: ValidationState;
  private version = 0;

  constructor(
    private readonly deps: ValidateDeps,
    private readonly ctx: JobContext,
    private readonly input: ValidateInput,
  ) {}

  async run(): Promise<JobOutcome> {
    const history = await this.deps.store.readStream(validationStream(this.ctx.jobId));
    this.state = fold(validationDecider, history as unknown as ValidationEvent[]);
    this.version = history.length;
    while (this.state.target < this.input.targets.length) {
      if ((await this.validateTarget(this.state.target, this.input.targets[this.state.target])) === 'stopped') return { status: 'stopped' };
    }
    const s = this.state;
    return {
      status: 'completed',
      output: { mode: this.input.mode, targets: this.input.targets.length, checked: s.checked, unverified: s.unverified, findings: { ...s.findings } },
    };
  }

  private async validateTarget(index: number, target: ValidationTarget): Promise<'done' | 'stopped'> {
    if (target.kind === 'outside' || target.kind === 'unindexed') return this.record(index, 0, true, 0, 0, [this.unindexed(target)]);
    const location = locationById(this.deps.db, target.locationId!);
    if (!location) {
      const gone = finding(target.path, target.locationId, 'not-indexed', 'error', 'its location was removed after the validation started', 'nothing to validate against: add the folder as a location again');
      return this.record(index, 0, true, 0, 0, [gone]);
    }
    let root: FileStat | null;
    try {
      root = this.deps.fs.stat(location.path);
    } catch (err) {
      const denied = finding(location.path, location.id, 'unreadable', 'error', `the folder of location "${location.name}" ${unreadable(err)}`, 'grant read access to it, then validate again; nothing else was checked');
      return this.record(index, 0, true, 0, 0, [denied]);
    }
    if (!root || root.kind !== 'directory') {
      const offline = finding(location.path, location.id, 'location-offline', 'error', `the folder of location "${location.name}" is not there (unmounted or moved?)`, 'reconnect the disk or move the folder back, then validate again; nothing else was checked');
      return this.record(index, 0, true, 0, 0, [offline]);
    }
    const disk = new IndexedDiskPaths(this.deps.db, location);
    const dir = target.dir;
    for (;;) {
      const afterId = this.state.afterId;
      const batch: IndexedFile[] = entriesBelow(this.deps.db, location.key, dir, afterId, BATCH);
      const last = batch.length ? batch[batch.length - 1].id : afterId;
      const done = batch.length < BATCH;
      if (afterId === 0 && dir !== '') {
        // the target entry itself, checked with its first batch
        const slash = dir.lastIndexOf('/');
        const self = entryAt(this.deps.db, location.key, slash < 0 ? '' : dir.slice(0, slash), dir.slice(slash + 1));
        if (self) batch.unshift(self);
      }
      const { findings, unverified } = await this.check(location, disk, dir, batch);
      if ((await this.record(index, last, done, batch.length, unverified, findings)) === 'stopped' || done) return this.ctx.stopRequested ? 'stopped' : 'done';
    }
  }

  /** Appends a batch on the validation stream, then checkpoints the job; a pause or cancel asked meanwhile stops here. */
  private async record(target: number, throughId: number, done: boolean, checked: number, unverified: number, findings: Finding[]): Promise<'done' | 'stopped'> {
    const command: ValidationCommand = { type: 'RecordValidatedBatch', jobId: this.ctx.jobId, target, throughId, done, checked, unverified, findings };
    const events = validationDecider.decide(this.state, command);
    for (const e of events) this.deps.catalog.validate(e);
    const result = await this.deps.store.append(
      validationStream(this.ctx.jobId),
      events.map((e) => ({ eventId: this.ctx.newId(), type: e.type, data: e.data })),
      { expectedVersion: this.version === 0 ? 'no_stream' : this.version, meta: this.ctx.meta },
    );
    this.version = result.nextExpectedVersion;
    this.state = events.reduce(validationDecider.evolve, this.state);
    const stopping = this.ctx.stopRequested !== null;
    await this.ctx.checkpoint(
      { target: this.state.target, afterId: this.state.afterId },
      { phase: 'validating', done: this.state.checked, total: null },
      { items: checked, force: stopping },
    );
    return stopping ? 'stopped' : 'done';
  }

  private unindexed(target: ValidationTarget): Finding {
    let st: FileStat | null;
    try {
      st = this.deps.fs.stat(target.path);
    } catch {
      st = null;
    }
    const location = target.locationId ? locationById(this.deps.db, target.locationId) : null;
    if (!st) {
      const where = location ? `the index of location "${location.name}"` : 'any location';
      return finding(target.path, target.locationId, 'not-found', 'error', `does not exist, and is not in ${where}`, 'check the path');
    }
    if (!location) {
      return finding(target.path, null, 'not-indexed', 'info', 'is not inside any location: there is no index to validate it against', 'add its folder as a location (`spacedrive location add <folder>`) to track it');
    }
    return finding(
      target.path, location.id, 'not-indexed', 'warning',
      `is inside location "${location.name}" but not in its index (new since the last scan, or skipped by its rules)`,
      rescan(location),
    );
  }

  /** Compares a batch of indexed entries with the disk; in integrity mode, recomputes the casIds of files. */
  private async check(location: LocationRecord, disk: IndexedDiskPaths, dir: string, entries: IndexedFile[]): Promise<{ findings: Finding[]; unverified: number }> {
    const findings: { order: number; finding: Finding }[] = [];
    const toHash: { order: number; entry: IndexedFile; diskPath: string | Buffer; st: FileStat }[] = [];
    let unverified = 0;
    const integrity = this.input.mode === 'integrity';
    entries.forEach((e, order) => {
      const shown = displayPathOf(location.path, e);
      const add = (f: Finding) => findings.push({ order, finding: f });
      const indexed = { size: e.size, modifiedAt: e.modifiedAt, casId: e.casId };
      const diskPath = disk.of(e);
      let st: FileStat | null;
      try {
        st = this.deps.fs.stat(diskPath);
      } catch (err) {
        add(finding(shown, location.id, 'unreadable', 'error', unreadable(err), 'grant read access to it (and its folders), then validate again', indexed));
        return;
      }
      if (!st) {
        // below a folder that is itself missing, the folder's own finding says it all
        const inTarget = dir === '' ? e.parent !== '' : e.parent === dir || e.parent.startsWith(`${dir}/`);
        if (inTarget && this.parentMissing(diskPath)) return;
        add(finding(shown, location.id, 'missing', 'error', `indexed as a ${e.kind} but not on disk`, `restore it, or ${rescan(location)} to forget it`, indexed));
        return;
      }
      if (st.kind !== e.kind) {
        add(finding(shown, location.id, 'kind-changed', 'error', `indexed as a ${e.kind}, now ${st.kind === 'other' ? 'a fifo, socket or device' : `a ${st.kind}`}`, rescan(location), indexed, facts(st)));
        return;
      }
      if (e.kind !== 'file') return;
      if (st.size !== e.size) {
        add(finding(shown, location.id, 'size-changed', 'warning', `size changed since it was indexed: ${e.size} → ${st.size} bytes`, `the file changed since indexing: ${rescan(location)}`, indexed, facts(st)));
        return;
      }
      const sameTime = st.modifiedAt === e.modifiedAt;
      if (integrity && e.casId !== null) toHash.push({ order, entry: e, diskPath, st });
      else if (!sameTime) add(finding(shown, location.id, 'modified-changed', 'warning', `modified since it was indexed (same size, ${timeDrift(e.modifiedAt, st.modifiedAt)})`, `the file changed since indexing: ${rescan(location)}`, indexed, facts(st)));
      if (integrity && e.casId === null && e.size > 0) unverified++;
    });
    if (toHash.length > 0) {
      const results = await this.deps.fs.hashMany(
        toHash.map((h) => ({ diskPath: h.diskPath, expected: { size: h.st.size, modifiedAt: h.st.modifiedAt } })),
        'cas',
      );
      toHash.forEach(({ order, entry: e, st }, i) => {
        const r = results[i];
        const shown = displayPathOf(location.path, e);
        const indexed = { size: e.size, modifiedAt: e.modifiedAt, casId: e.casId };
        const add = (f: Finding) => findings.push({ order, finding: f });
        if ('error' in r) {
          if (r.error.code === 'FILE_CHANGED') add(finding(shown, location.id, 'changed-while-read', 'warning', 'changed while its content was checked', 'validate again once it is no longer being written', indexed, facts(st)));
          else if (r.error.code === 'ENOENT') add(finding(shown, location.id, 'missing', 'error', 'vanished while its content was checked', `restore it, or ${rescan(location)} to forget it`, indexed));
          else add(finding(shown, location.id, 'unreadable', 'error', unreadable(r.error), 'grant read access to it, then validate again', indexed, facts(st)));
          return;
        }
        const found = { ...facts(st), casId: r.hash };
        const sameContent = r.hash === e.casId;
        if (st.modifiedAt !== e.modifiedAt) {
          add(
            sameContent
              ? finding(shown, location.id, 'modified-changed', 'info', `modification time changed (${timeDrift(e.modifiedAt, st.modifiedAt)}), content unchanged (same casId)`, `${rescan(location)} to record the new time`, indexed, found)
              : finding(shown, location.id, 'modified-changed', 'warning', 'modified since it was indexed: same size, other content (casId differs)', `the file changed since indexing: ${rescan(location)}`, indexed, found),
          );
        } else if (!sameContent) {
          add(
            finding(
              shown, location.id, 'content-mismatch', 'error',
              `content differs from the index (casId ${e.casId} → ${r.hash}) although its size and modification time did not change: corruption, or a tool that restored the time`,
              `compare it with a backup or another copy; if the change is intended, record it with \`spacedrive location rescan "${location.name}" --force\``,
              indexed, found,
            ),
          );
        }
      });
    }
    return { findings: findings.sort((a, b) => a.order - b.order).map((f) => f.finding), unverified };
  }

  private parentMissing(diskPath: string | Buffer): boolean {
    const parent = typeof diskPath === 'string' ? diskPath.slice(0, diskPath.lastIndexOf('/')) : diskPath.subarray(0, diskPath.lastIndexOf(0x2f));
    try {
      return this.deps.fs.stat(parent) === null;
    } catch {
      return false;
    }
  }
}

function finding(
  path: string, locationId: string | null, check: Finding['check'], severity: Finding['severity'], message: string, action: string,
  indexed: Finding['indexed'] = null, found: Finding['found'] = null,
): Finding {
  return { path, locationId, check, severity, message, action, indexed, found };
}

function facts(st: FileStat): { size: number; modifiedAt: number; casId: null } {
  return { size: st.size, modifiedAt: st.modifiedAt, casId: null };
}

function rescan(location: LocationRecord): string {
  return `rescan the location (\`spacedrive location rescan "${location.name}"\`)`;
}

function unreadable(err: unknown): string {
  const code = (err as { code?: string }).code;
  return code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read: ${(err as Error).message}`;
}

function timeDrift(from: number, to: number): string {
  return `${new Date(from).toISOString()} → ${new Date(to).toISOString()}`;
}
