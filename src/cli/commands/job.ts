import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import type { JobStatus } from '../../domain/job/decider.js';
import type { JobRecord } from '../../projections/jobs/queries.js';
import { DomainError } from '../../domain/errors.js';
import { SpacedriveCommand } from '../base-command.js';
import { jobExit, jobJson, jobOutcomeLine, runInForeground } from '../foreground-job.js';
import { lockHolderOf, runsInHolder, type LockHolder } from '../lock-holder.js';

const STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

export class JobListCommand extends SpacedriveCommand {
  static override paths = [['job', 'list']];
  static override usage = Command.Usage({ description: 'List jobs', examples: [['Paused jobs', '$0 job list --status paused']] });
  status = Option.String('--status', { validator: t.isEnum(STATUSES), description: STATUSES.join(' | ') });

  async run() {
    await this.withQueries(async (library) => {
      const jobs = library.listJobs(this.status as JobStatus | undefined);
      this.out.result(jobs.map(jobJson), () =>
        jobs.length === 0
          ? 'No jobs.'
          : jobs.map((j) => {
              // a finished job's last progress report is history, not progress: its status says it all
              const p = j.progress && !FINISHED.has(j.status) ? `${j.progress.phase} ${j.progress.done}${j.progress.total ? `/${j.progress.total}` : ''}` : '';
              return `${j.id}  ${j.name}  ${j.status.padEnd(9)}  ${p}  ${j.updatedAt}`;
            }),
      );
    });
  }
}

export class JobInfoCommand extends SpacedriveCommand {
  static override paths = [['job', 'info']];
  static override usage = Command.Usage({ description: 'Show a job: status, progress, errors, output', examples: [['Info', '$0 job info 0193…']] });
  id = Option.String({ required: true });

  async run() {
    await this.withQueries(async (library) => {
      const j = library.jobInfo(this.id);
      this.out.result({ ...jobJson(j), input: j.input, errors: j.errors, errorCount: j.errorCount }, () => [
        `${j.id}  ${j.name}  ${j.status}`,
        `  input:    ${JSON.stringify(j.input)}`,
        `  progress: ${j.progress ? JSON.stringify(j.progress) : '-'}`,
        `  output:   ${j.output ? JSON.stringify(j.output) : '-'}`,
        ...(j.failure ? [`  failure:  ${j.failure.code}: ${j.failure.message}`] : []),
        `  errors:   ${j.errorCount}`,
        ...j.errors.map((e) => `    ${JSON.stringify(e.path).slice(1, -1)}: ${e.message} (${e.code})`),
      ]);
    });
  }
}

/** Commands that act on a job and need the library: pause, resume and cancel. */
abstract class JobCommand extends SpacedriveCommand {
  abstract id: string;

  /** The job as the read models show it while another process holds the library; null when there is no such job. */
  protected jobWhileLocked(): Promise<JobRecord | null> {
    return this.withQueries(async (library) => {
      try {
        return library.jobInfo(this.id);
      } catch {
        return null; // no such job: the lock's message is the one that helps
      }
    });
  }

  /**
   * Runs `fn`, which opens the library. When another process holds the library because the job itself runs there,
   * the refusal says so and what to do, rather than only that the library is in use.
   */
  protected async whileNotRunningElsewhere<T>(verb: 'resume' | 'cancel', fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const holder = lockHolderOf(err);
      if (!holder) throw err;
      const job = await this.jobWhileLocked();
      if (job && FINISHED.has(job.status)) {
        // it ended while its process still closes: what the decider says of an ended job, not the lock's message
        throw ended(job, verb);
      }
      if (job?.status !== 'running') throw err;
      if (!runsInHolder(job, holder)) throw interrupted(job.id, holder, verb);
      const then = verb === 'cancel' ? `, then \`spacedrive job cancel ${job.id}\`` : '';
      throw new DomainError(
        'JOB_RUNNING', 'user',
        `job ${job.id} is running in process ${holder.pid}: there is nothing to ${verb} while it runs. Pause it with \`spacedrive job pause ${job.id}\`${then}, or let it finish`,
      );
    }
  }
}

export class JobPauseCommand extends JobCommand {
  static override paths = [['job', 'pause']];
  static override usage = Command.Usage({
    description: 'Pause a job: one running in another terminal pauses at its next checkpoint',
    details: 'A job running in the foreground of another spacedrive process on this device is asked to pause (SIGTERM); that process then exits. A job left running by a killed process is marked paused.',
    examples: [['Pause', '$0 job pause 0193…']],
  });
  id = Option.String({ required: true });

  async run() {
    try {
      await this.withLibrary(async (library) => {
        const j = await library.jobs.pause(this.id, {});
        this.out.result(jobJson(j), () => `Job ${j.id} ${j.status}`);
      });
    } catch (err) {
      const holder = lockHolderOf(err);
      if (!holder) throw err;
      // only the process that runs the job is asked to pause: the holder may be another command (a job a killed
      // process left running, or one that ended, is not its to pause)
      const job = await this.jobWhileLocked();
      if (!job) throw err;
      if (!runsInHolder(job, holder)) {
        if (job.status === 'running') throw interrupted(job.id, holder, 'pause');
        if (FINISHED.has(job.status)) throw ended(job, 'pause');
        throw new DomainError('JOB_ALREADY_PAUSED', 'user', `job ${job.id} is already ${job.status}`);
      }
      if (!(await this.askHolderToPause(holder))) throw err;
      for (let waited = 0; ; waited += 200) {
        try {
          await this.withLibrary(async (library) => {
            const j = library.jobInfo(this.id);
            this.out.result(jobJson(j), () =>
              j.status === 'paused' ? `Job ${j.id} paused` : `Job ${j.id} is ${j.status}; the job running in process ${holder.pid} was asked to pause`,
            );
          });
          return;
        } catch (retry) {
          if (!(retry instanceof DomainError) || retry.code !== 'LIBRARY_LOCKED') throw retry;
          if (waited >= 60_000) {
            throw new DomainError('JOB_PAUSE_TIMEOUT', 'failure', `process ${holder.pid} still holds the library after a minute; press Ctrl-C in its terminal`);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  }

  /**
   * A foreground job runs in the process holding the library; SIGTERM makes it pause at its next checkpoint, close
   * the library and exit (see foreground-job.ts). Only a live process of this device is signalled.
   */
  private async askHolderToPause(holder: LockHolder): Promise<boolean> {
    const { openCore } = await import('../../infra/container.js');
    const core = await openCore({ dataDir: this.dataDir });
    const sameDevice = core.device.id === holder.deviceId;
    core.close();
    if (!sameDevice || !Number.isInteger(holder.pid)) return false;
    try {
      process.kill(holder.pid, 'SIGTERM');
      return true;
    } catch {
      return false; // gone already: the lock is stale and the next open recovers it
    }
  }
}

export class JobResumeCommand extends JobCommand {
  static override paths = [['job', 'resume']];
  static override usage = Command.Usage({
    description: 'Resume a paused or interrupted job from its last checkpoint, in the foreground',
    examples: [['Resume', '$0 job resume 0193…']],
  });
  id = Option.String({ required: true });

  async run() {
    return this.whileNotRunningElsewhere('resume', () => this.withLibrary(async (library) => {
      const j = await runInForeground(library, () => library.jobs.resume(this.id, {}), {
        stderr: this.context.stderr,
        showProgress: !this.json && !this.quiet,
      });
      this.out.result(jobJson(j), () => jobOutcomeLine(j));
      return jobExit(j, this.context.stderr, this.json);
    }));
  }
}

export class JobCancelCommand extends JobCommand {
  static override paths = [['job', 'cancel']];
  static override usage = Command.Usage({ description: 'Cancel a paused, queued or interrupted job', examples: [['Cancel', '$0 job cancel 0193…']] });
  id = Option.String({ required: true });

  async run() {
    await this.whileNotRunningElsewhere('cancel', () => this.withLibrary(async (library) => {
      const j = await library.jobs.cancel(this.id, {});
      this.out.result(jobJson(j), () => `Job ${j.id} ${j.status}`);
    }));
  }
}

/** A job a killed process left running, while another command holds the library: wait for that one to end. */
function interrupted(jobId: string, holder: LockHolder, verb: string): DomainError {
  return new DomainError(
    'LIBRARY_LOCKED', 'user',
    `job ${jobId} was interrupted (the process that ran it ended) and process ${holder.pid} holds the library now, for another command: ${verb} the job once that process has ended`,
  );
}

/** A job that ended, as the decider refuses it (its process may still be closing and hold the library). */
function ended(job: JobRecord, verb: string): DomainError {
  return new DomainError('JOB_FINISHED', 'user', `job ${job.id} is ${job.status}: there is nothing to ${verb}`);
}
