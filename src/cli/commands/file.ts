import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import type { DeletePlan, TransferPlan, TransferRequest } from '../../commands/files/plan.js';
import { DomainError } from '../../domain/errors.js';
import type { DeleteMode, OverwritePolicy } from '../../domain/fileops/events.js';
import { DELETE_MODES, OVERWRITE_POLICIES } from '../../domain/fileops/policies.js';
import { SpacedriveCommand } from '../base-command.js';
import { counted, type Output } from '../output.js';
import { fileOpProblems, jobExit, jobJson, runInForeground } from '../foreground-job.js';
import type { JobRecord } from '../../projections/jobs/queries.js';

function transferLines(plan: TransferPlan): string[] {
  const verb = plan.action === 'copy' ? 'copy' : 'move';
  return [
    ...plan.items.map((i) => {
      const conflict = i.conflict ? ` [exists: ${i.conflict.resolution}]` : '';
      return `${verb} ${i.source} → ${i.target}  (${i.kind}, ${counted(i.files, 'file')}, ${counted(i.bytes, 'byte')}, ${i.strategy})${conflict}`;
    }),
    `total: ${counted(plan.files, 'file')}, ${counted(plan.directories, 'directory', 'directories')}, ${counted(plan.bytes, 'byte')}; ${plan.bytesToWrite} to write`,
    ...(plan.targetVolume ? [`target volume: ${plan.targetVolume.mountPoint} (${plan.targetVolume.fileSystem}${plan.targetVolume.copyOnWrite ? ', copy-on-write' : ''}${plan.targetVolume.readOnly ? ', read-only' : ''}), ${counted(plan.freeBytes, 'byte')} free`] : []),
    ...plan.refusals.map((r) => `refused: ${r.message} (${r.code})`),
  ];
}

function deleteLines(plan: DeletePlan): string[] {
  return [
    ...plan.items.map((i) => `delete (${plan.mode}) ${i.path}  (${i.kind}, ${counted(i.files, 'file')}, ${counted(i.bytes, 'byte')})`),
    `total: ${counted(plan.files, 'file')}, ${counted(plan.directories, 'directory', 'directories')}, ${counted(plan.bytes, 'byte')}`,
    ...plan.refusals.map((r) => `refused: ${r.message} (${r.code})`),
  ];
}

function outcomeLine(j: JobRecord): string {
  const o = j.output ?? {};
  switch (j.status) {
    case 'completed': {
      const what = o.action === 'delete' ? `${o.deleted} deleted` : `${o.copied} ${o.action === 'move' ? 'moved' : 'copied'}${o.skipped ? `, ${o.skipped} skipped` : ''}`;
      const problems = fileOpProblems(j);
      return `Job ${j.id} completed: ${what}, ${counted(Number(o.bytes ?? 0), 'byte')}${problems ? `, ${problems} (\`spacedrive job info ${j.id}\`)` : ''}`;
    }
    case 'paused':
      return `Job ${j.id} paused; continue with \`spacedrive job resume ${j.id}\``;
    case 'failed':
      return `Job ${j.id} failed (${j.failure?.code ?? 'unknown'})`;
    default:
      return `Job ${j.id} ${j.status}`;
  }
}

abstract class TransferCommand extends SpacedriveCommand {
  abstract readonly action: 'copy' | 'move';
  items = Option.Rest({ required: 2 });
  overwrite = Option.String('--overwrite', 'error', { description: 'When a destination exists: error | replace | skip | rename', validator: t.isEnum(OVERWRITE_POLICIES) });
  verify = Option.Boolean('--verify', false, { description: 'Compare a full BLAKE3 of every source and copy (a move deletes a source only once verified)' });
  sync = Option.Boolean('--sync', false, { description: 'fsync every file and folder before it is recorded: durable against power loss (slower on many small files)' });
  preserveTimestamps = Option.Boolean('--preserve-timestamps', false, { description: 'Keep access and modification times' });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Show what would happen; change nothing' });
  wait = Option.Boolean('--wait', true, { description: 'Wait for the job to end (always, until a daemon exists)' });

  async run() {
    if (!this.wait) throw new DomainError('NO_DAEMON', 'user', 'jobs run in the foreground until a daemon exists: --no-wait is not possible yet (Ctrl-C pauses the job)');
    const request: TransferRequest = {
      action: this.action,
      sources: this.items.slice(0, -1),
      destination: this.items[this.items.length - 1],
      overwrite: this.overwrite as OverwritePolicy,
      verify: this.verify,
      preserveTimestamps: this.preserveTimestamps,
      sync: this.sync,
    };
    return this.withLibrary(async (library) => {
      if (this.dryRun) return showPlan(this.out, await library.files.planTransfer(request), transferLines);
      let plan: TransferPlan | undefined;
      const job = await runInForeground(
        library,
        async () => {
          const r = await library.files.transfer(request);
          plan = r.plan;
          return r.job;
        },
        { stderr: this.context.stderr, showProgress: !this.json && !this.quiet },
      );
      this.out.result({ plan, job: jobJson(job) }, () => outcomeLine(job));
      return jobExit(job, this.context.stderr, this.json);
    });
  }
}

export class FileCopyCommand extends TransferCommand {
  static override paths = [['file', 'copy']];
  static override usage = Command.Usage({
    description: 'Copy files and folders (a job: resumable, audited)',
    details:
      'The last path is the destination: an existing folder receives the sources, else the single source is copied to that name. ' +
      'The volume layer picks the strategy: a copy-on-write clone on one btrfs/xfs-reflink filesystem, else the kernel\'s copy (--verify reads, hashes and writes). ' +
      'Each file is written under a temporary name and renamed into place: a killed copy never leaves a partial file under its final name. ' +
      'Nothing is fsynced by default (like cp): after a power loss recent copies may be missing or empty; --sync makes each file and folder durable before it is recorded. ' +
      'Ctrl-C pauses; `spacedrive job resume <id>` continues.',
    examples: [
      ['Copy two files into a folder', '$0 file copy a.jpg b.jpg ~/Backup'],
      ['Copy a folder, verified, keeping times', '$0 file copy ~/Photos /mnt/disk --verify --preserve-timestamps'],
      ['Copy durably (fsync before recording)', '$0 file copy ~/Documents /mnt/backup --sync'],
      ['Preview', '$0 file copy ~/Photos /mnt/disk --dry-run'],
    ],
  });
  readonly action = 'copy' as const;
}

export class FileMoveCommand extends TransferCommand {
  static override paths = [['file', 'move']];
  static override usage = Command.Usage({
    description: 'Move files and folders (rename within one mount, copy then delete across)',
    details:
      'Within one mount a move is a rename(2). Across mounts or filesystems each file is copied, and its source is deleted only once the copy is fsynced (with its folder) and recorded: ' +
      'a move never loses data, with or without --sync, even on a power loss or kill -9. Ctrl-C pauses; `spacedrive job resume <id>` continues.',
    examples: [['Move into a folder', '$0 file move report.pdf ~/Archive'], ['Move across disks, verified', '$0 file move ~/Videos /mnt/disk --verify'], ['Preview the strategy and target volume', '$0 file move ~/Videos /mnt/disk --dry-run']],
  });
  readonly action = 'move' as const;
}

export class FileDeleteCommand extends SpacedriveCommand {
  static override paths = [['file', 'delete']];
  static override usage = Command.Usage({
    description: 'Delete files and folders: to the trash (default), permanently, or securely (overwritten first)',
    examples: [['To the trash', '$0 file delete old.txt'], ['Permanently', '$0 file delete build/ --mode permanent --yes']],
  });
  items = Option.Rest({ required: 1 });
  mode = Option.String('--mode', 'trash', { description: 'trash | permanent | secure', validator: t.isEnum(DELETE_MODES) });
  yes = Option.Boolean('--yes', false, { description: 'Confirm a permanent or secure delete' });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Show what would happen; change nothing' });
  wait = Option.Boolean('--wait', true, { description: 'Wait for the job to end (always, until a daemon exists)' });

  async run() {
    if (!this.wait) throw new DomainError('NO_DAEMON', 'user', 'jobs run in the foreground until a daemon exists: --no-wait is not possible yet');
    const request = { paths: this.items, mode: this.mode as DeleteMode, confirmed: this.yes };
    return this.withLibrary(async (library) => {
      if (this.dryRun) return showPlan(this.out, await library.files.planDelete(request), deleteLines);
      let plan: DeletePlan | undefined;
      const job = await runInForeground(
        library,
        async () => {
          const r = await library.files.delete(request);
          plan = r.plan;
          return r.job;
        },
        { stderr: this.context.stderr, showProgress: !this.json && !this.quiet },
      );
      this.out.result({ plan, job: jobJson(job) }, () => outcomeLine(job));
      return jobExit(job, this.context.stderr, this.json);
    });
  }
}

export class FilePlanCommand extends SpacedriveCommand {
  static override paths = [['file', 'plan']];
  static override usage = Command.Usage({
    description: 'Show what a copy, move or delete would do (sources, destinations, strategy, conflicts, bytes, target volume and its free space); changes nothing',
    examples: [['Plan a copy', '$0 file plan copy ~/Photos /mnt/disk'], ['Plan a delete', '$0 file plan delete old/ --mode permanent']],
  });
  action = Option.String({ required: true, validator: t.isEnum(['copy', 'move', 'delete'] as const) });
  items = Option.Rest({ required: 1 });
  overwrite = Option.String('--overwrite', 'error', { validator: t.isEnum(OVERWRITE_POLICIES) });
  verify = Option.Boolean('--verify', false);
  mode = Option.String('--mode', 'trash', { validator: t.isEnum(DELETE_MODES) });
  yes = Option.Boolean('--yes', false);

  async run() {
    return this.withLibrary(async (library) => {
      if (this.action === 'delete') {
        return showPlan(this.out, await library.files.planDelete({ paths: this.items, mode: this.mode as DeleteMode, confirmed: this.yes }), deleteLines);
      }
      if (this.items.length < 2) throw new DomainError('USAGE', 'user', `file plan ${this.action} needs sources and a destination`);
      const plan = await library.files.planTransfer({
        action: this.action, sources: this.items.slice(0, -1), destination: this.items[this.items.length - 1],
        overwrite: this.overwrite as OverwritePolicy, verify: this.verify, preserveTimestamps: false, sync: false,
      });
      return showPlan(this.out, plan, transferLines);
    });
  }
}

/** Prints a plan; a plan with refusals exits 1, as the operation itself would be refused. */
function showPlan<P extends { refusals: { code: string; message: string }[] }>(out: Output, plan: P, lines: (p: P) => string[]): number {
  out.result({ plan, dryRun: true }, () => lines(plan));
  return plan.refusals.length ? 1 : 0;
}
