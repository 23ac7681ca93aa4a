import type { Library } from '../commands/libraries/library.js';
import type { StartedJob } from '../commands/locations/locations.js';
import type { JobProgress } from '../domain/job/events.js';
import type { JobRecord } from '../projections/jobs/queries.js';
import { counted } from './output.js';

/**
 * Runs a job in the foreground until a daemon exists: progress on stderr when it is a TTY, and Ctrl-C or SIGTERM
 * pause the job at its next checkpoint (a second Ctrl-C is still a pause, never a kill mid-batch). A signal that
 * comes once the job has ended (a `job pause` that crossed its completion) is ignored: the process is printing the
 * job and closing the library, and the default action would kill it half-way, exit code lost.
 */
export async function runInForeground(
  library: Library,
  start: () => Promise<StartedJob>,
  options: { stderr: NodeJS.WritableStream; showProgress: boolean },
): Promise<JobRecord> {
  const stop = () => library.jobs.pauseAll();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const tty = options.showProgress && (options.stderr as NodeJS.WriteStream).isTTY === true;
  let last = 0;
  const unsubscribe = library.jobs.onProgress((_id, p) => {
    if (!tty || Date.now() - last < 100) return;
    last = Date.now();
    options.stderr.write(`\r\u001b[2K${describe(p)}`);
  });
  try {
    const job = await start();
    return await job.done;
  } finally {
    unsubscribe();
    if (tty) options.stderr.write('\r\u001b[2K');
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      if (!process.listeners(signal).includes(afterTheJob)) process.on(signal, afterTheJob);
    }
  }
}

/** Nothing is left to pause: the process ends on its own in a moment. */
function afterTheJob(): void {}

function describe(p: JobProgress): string {
  const unit = p.phase === 'discovery' ? 'directories' : p.phase === 'copying' ? 'bytes' : 'files';
  if (p.total) {
    const width = 30;
    const filled = Math.round((p.done / p.total) * width);
    return `${p.phase} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${p.done}/${p.total} ${unit}`;
  }
  return `${p.phase}: ${p.done} ${unit}…`;
}

/** The JSON shape of a job (DESIGN §6). */
export function jobJson(j: JobRecord) {
  return {
    id: j.id,
    name: j.name,
    status: j.status,
    progress: j.progress,
    errors: j.errorCount,
    output: j.output,
    failure: j.failure,
    locationId: j.locationId,
    queuedAt: j.queuedAt,
    updatedAt: j.updatedAt,
    finishedAt: j.finishedAt,
  };
}

/**
 * The exit status of a command once its job ended (DESIGN §6): 1 when the job was refused by what it found (a
 * location gone or replaced: the user's to fix), 2 when it failed otherwise. A failed job's message goes to stderr
 * as `error: …`; with --json the job record printed on stdout carries it. A file operation that completed with
 * errors (a path it could not copy, move or delete, or a moved file's source left behind) exits 2 too: a script must
 * not take it for done. An index job's errors (an unreadable folder) leave the rest of the index right: exit 0.
 */
export function jobExit(j: JobRecord, stderr: NodeJS.WritableStream, json: boolean): number {
  const problems = j.status === 'completed' && j.output?.action !== undefined ? fileOpProblems(j) : '';
  if (problems) {
    if (!json) stderr.write(`error: the ${String(j.output!.action)} completed with errors (${problems}): see \`spacedrive job info ${j.id}\`\n`);
    return 2;
  }
  if (j.status !== 'failed') return 0;
  if (!json) stderr.write(`error: ${j.failure?.message ?? 'the job failed'}\n`);
  return j.failure?.kind === 'user' ? 1 : 2;
}

/**
 * What went wrong in a file operation, as "2 failed, 1 other problem" ('' when nothing did). Other problems are its
 * errors that are no failed path: a moved file whose source could not be removed, or was kept because it changed
 * after its copy; a folder whose mode or times could not be set.
 */
export function fileOpProblems(j: JobRecord): string {
  const failed = Number(j.output?.failed ?? 0);
  const other = Math.max(0, Number(j.output?.errors ?? 0) - failed);
  return [failed ? `${failed} failed` : '', other ? counted(other, 'other problem') : ''].filter(Boolean).join(', ');
}

/** One line saying how a job ended, and what to do next when it did not complete. */
export function jobOutcomeLine(j: JobRecord): string {
  switch (j.status) {
    case 'completed': {
      const o = j.output ?? {};
      // a move's output counts its paths as `copied`, as its events record them
      const parts = ['added', 'modified', 'moved', 'removed', 'identified', 'copied', 'deleted', 'skipped', 'failed']
        .filter((k) => Number(o[k] ?? 0) > 0)
        .map((k) => `${o[k]} ${k === 'copied' && o.action === 'move' ? 'moved' : k}`);
      if (o.action !== undefined && Number(o.bytes ?? 0) > 0) parts.push(counted(Number(o.bytes), 'byte'));
      const errors = j.errorCount ? `, ${counted(j.errorCount, 'error')} (\`spacedrive job info ${j.id}\`)` : '';
      return `Job ${j.id} completed: ${parts.length ? parts.join(', ') : 'no changes'}${errors}`;
    }
    case 'paused':
      return `Job ${j.id} paused; continue with \`spacedrive job resume ${j.id}\``;
    case 'failed':
      return `Job ${j.id} failed (${j.failure?.code ?? 'unknown'})`;
    default:
      return `Job ${j.id} ${j.status}`;
  }
}
