import { statSync } from 'node:fs';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { DomainError } from '../../domain/errors.js';
import type { IndexMode } from '../../domain/location/events.js';
import { INDEX_MODES } from '../../domain/location/index-modes.js';
import type { LocationRecord } from '../../projections/locations/queries.js';
import { SpacedriveCommand } from '../base-command.js';
import { counted, printable } from '../output.js';
import { jobExit, jobJson, jobOutcomeLine, runInForeground } from '../foreground-job.js';
import { runsInHolder, type LockHolder } from '../lock-holder.js';

const modeOption = () =>
  Option.String('--mode', { description: 'shallow (names, sizes, times) | content (+ casId, kind, MIME) | deep (+ media facts)', validator: t.isEnum(INDEX_MODES) });

/**
 * How a location stands: `offline` when its folder is not there now, or its last scan found another folder in its
 * place (an unmounted disk's mount point: the index was left as it was, and a rescan tells again); `indexing` while
 * its index job runs (in the process that holds the library: `holder`), `interrupted` when a killed process left it
 * running, `paused` when paused (the index is partial in these three); `failed` when the last scan failed
 * otherwise; else `indexed`, or `new` before its first scan ends.
 */
export function locationState(l: LocationRecord, holder: LockHolder | null): 'new' | 'indexed' | 'indexing' | 'interrupted' | 'paused' | 'offline' | 'failed' {
  let folder = false;
  try {
    folder = statSync(l.path).isDirectory();
  } catch {
    // not there, or not readable: offline either way
  }
  const job = l.lastIndexJob;
  if (!folder || (job?.status === 'failed' && job.failureCode === 'LOCATION_OFFLINE')) return 'offline';
  if (job?.status === 'failed') return 'failed';
  if (job?.status === 'running' || job?.status === 'queued') return holder && runsInHolder(job, holder) ? 'indexing' : 'interrupted';
  if (job?.status === 'paused') return 'paused';
  return l.scans > 0 ? 'indexed' : 'new';
}

/** `holder`: the process that held the library when it was read (null: this one), for `locationState`. */
export const locationJson = (l: LocationRecord, holder: LockHolder | null = null) => ({
  id: l.id,
  name: l.name,
  path: l.path,
  mode: l.mode,
  state: locationState(l, holder),
  files: l.files,
  directories: l.directories,
  bytes: l.bytes,
  addedAt: l.addedAt,
  lastScan: l.lastScan,
});

export class LocationAddCommand extends SpacedriveCommand {
  static override paths = [['location', 'add']];
  static override usage = Command.Usage({
    description: 'Add a folder as a location and index it',
    details: 'Indexing runs in the foreground; Ctrl-C pauses it (resume with `spacedrive job resume <id>`).',
    examples: [['Index ~/Pictures with content identification', '$0 location add ~/Pictures --mode content']],
  });
  folder = Option.String({ required: true });
  name = Option.String('--name', { description: 'Name (default: the folder name)' });
  mode = modeOption();
  hidden = Option.Boolean('--hidden', { description: 'Index hidden files (default: yes; --no-hidden skips them)' });
  gitignore = Option.Boolean('--gitignore', { description: 'Honour .gitignore files (default: yes)' });
  accept = Option.Array('--accept', { description: 'Index only files matching this glob (repeatable)' });
  reject = Option.Array('--reject', { description: 'Skip paths matching this glob (repeatable)' });
  wait = Option.Boolean('--wait', true, { description: 'Wait for the index job to end (always, until a daemon exists)' });

  async run() {
    if (!this.wait) {
      throw new DomainError('NO_DAEMON', 'user', 'jobs run in the foreground until a daemon exists: --no-wait is not possible yet (Ctrl-C pauses the job)');
    }
    const rules = {
      ...(this.hidden !== undefined ? { includeHidden: this.hidden } : {}),
      ...(this.gitignore !== undefined ? { respectGitignore: this.gitignore } : {}),
      ...(this.accept ? { accept: this.accept } : {}),
      ...(this.reject ? { reject: this.reject } : {}),
    };
    return this.withLibrary(async (library) => {
      let added: LocationRecord | undefined;
      const job = await runInForeground(
        library,
        async () => {
          const r = await library.locations.add({ path: this.folder, name: this.name, mode: this.mode as IndexMode | undefined, rules });
          added = r.location;
          return r.job;
        },
        { stderr: this.context.stderr, showProgress: !this.json && !this.quiet },
      );
      const location = library.locations.byId(added!.id) ?? added!;
      this.out.result({ location: locationJson(location), job: jobJson(job) }, () => [
        `Added location "${printable(location.name)}" (${location.id}) at ${printable(location.path)}`,
        jobOutcomeLine(job),
        `${counted(location.files, 'file')}, ${counted(location.directories, 'directory', 'directories')}, ${counted(location.bytes, 'byte')}`,
      ]);
      return jobExit(job, this.context.stderr, this.json);
    });
  }
}

export class LocationRescanCommand extends SpacedriveCommand {
  static override paths = [['location', 'rescan']];
  static override usage = Command.Usage({
    description: 'Index a location again, recording only what changed',
    examples: [['Rescan', '$0 location rescan Pictures'], ['Rescan and identify content', '$0 location rescan Pictures --mode content']],
  });
  location = Option.String({ required: true });
  mode = modeOption();
  maxDepth = Option.String('--max-depth', { description: 'Directory levels below the root to read', validator: t.isNumber() });
  scope = Option.String('--scope', { description: 'current (only the top folder) | recursive (default)', validator: t.isEnum(['current', 'recursive'] as const) });
  force = Option.Boolean('--force', false, { description: 'Re-identify every file (forget casIds first)' });

  async run() {
    return this.withLibrary(async (library) => {
      const location = library.locations.resolve(this.location);
      const maxDepth = this.scope === 'current' ? 0 : (this.maxDepth ?? null);
      const job = await runInForeground(
        library,
        () => library.locations.index(location, { mode: this.mode as IndexMode | undefined, maxDepth, force: this.force }),
        { stderr: this.context.stderr, showProgress: !this.json && !this.quiet },
      );
      const after = library.locations.byId(location.id) ?? location;
      this.out.result({ location: locationJson(after), job: jobJson(job) }, () => jobOutcomeLine(job));
      return jobExit(job, this.context.stderr, this.json);
    });
  }
}

export class LocationListCommand extends SpacedriveCommand {
  static override paths = [['location', 'list']];
  static override usage = Command.Usage({ description: 'List locations', examples: [['List', '$0 location list']] });

  async run() {
    await this.withQueries(async (library) => {
      const all = library.locations.list();
      this.out.result(all.map((l) => locationJson(l, this.libraryHolder)), () =>
        all.length === 0
          ? 'No locations yet: `spacedrive location add <folder>` adds one.'
          : all.map((l) => {
              const state = locationState(l, this.libraryHolder);
              const shown = state === 'indexed' ? '' : `  ${this.out.paint(state, state === 'offline' || state === 'failed' ? 'red' : 'dim')}`;
              return `${printable(l.name)}  ${this.out.paint(l.id, 'dim')}  ${printable(l.path)}  ${l.mode}  ${counted(l.files, 'file')}, ${counted(l.directories, 'dir')}, ${counted(l.bytes, 'byte')}${shown}`;
            }),
      );
    });
  }
}

export class LocationInfoCommand extends SpacedriveCommand {
  static override paths = [['location', 'info']];
  static override usage = Command.Usage({ description: 'Show a location: totals, last scan and indexer rules', examples: [['Info', '$0 location info Pictures']] });
  location = Option.String({ required: true });

  async run() {
    await this.withQueries(async (library) => {
      const l = library.locations.resolve(this.location);
      const { DEFAULT_INDEXER_RULES } = await import('../../domain/location/indexer-rules.js');
      const value = { ...locationJson(l, this.libraryHolder), rules: l.rules, defaults: DEFAULT_INDEXER_RULES };
      this.out.result(value, () => [
        `${printable(l.name)} (${l.id})`,
        `  path:        ${printable(l.path)}`,
        `  mode:        ${l.mode}`,
        `  state:       ${value.state}`,
        `  totals:      ${counted(l.files, 'file')}, ${counted(l.directories, 'directory', 'directories')}, ${counted(l.bytes, 'byte')}`,
        `  scans:       ${l.scans}${l.lastScan ? `, last finished ${String(l.lastScan.finishedAt)}` : ''}`,
        '  rules:',
        `    skip system files:   ${onOff(l.rules.skipSystemFiles)}`,
        `    skip VCS folders:    ${onOff(l.rules.skipVcsDirs)}`,
        `    skip dev folders:    ${onOff(l.rules.skipDevDirs)}`,
        `    honour .gitignore:   ${onOff(l.rules.respectGitignore)}`,
        `    hidden files:        ${l.rules.includeHidden ? 'indexed' : 'skipped'}`,
        `    accept globs:        ${l.rules.accept.join(', ') || '(all files)'}`,
        `    reject globs:        ${l.rules.reject.join(', ') || '(none)'}`,
      ]);
    });
  }
}

const onOff = (b: boolean) => (b ? 'on' : 'off');

export class LocationRenameCommand extends SpacedriveCommand {
  static override paths = [['location', 'rename']];
  static override usage = Command.Usage({ description: 'Rename a location', examples: [['Rename', '$0 location rename Pictures Photos']] });
  location = Option.String({ required: true });
  name = Option.String({ required: true });

  async run() {
    await this.withLibrary(async (library) => {
      const renamed = await library.locations.rename(library.locations.resolve(this.location), this.name);
      this.out.result(locationJson(renamed), () => `Renamed location to "${printable(renamed.name)}"`);
    });
  }
}

export class LocationRemoveCommand extends SpacedriveCommand {
  static override paths = [['location', 'remove']];
  static override usage = Command.Usage({
    description: 'Remove a location and its index (the files on disk are not touched)',
    examples: [['Remove', '$0 location remove Pictures']],
  });
  location = Option.String({ required: true });

  async run() {
    await this.withLibrary(async (library) => {
      const l = library.locations.resolve(this.location);
      await library.locations.remove(l);
      this.out.result({ id: l.id, name: l.name, removed: true }, () => `Removed location "${printable(l.name)}"; its files are untouched`);
    });
  }
}
