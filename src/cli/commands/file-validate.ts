import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import type { Library } from '../../commands/libraries/library.js';
import type { Finding } from '../../domain/validation/events.js';
import { VALIDATION_MODES, type ValidationMode } from '../../domain/validation/modes.js';
import type { JobRecord } from '../../projections/jobs/queries.js';
import { SpacedriveCommand } from '../base-command.js';
import { counted } from '../output.js';
import { jobExit, jobJson, runInForeground } from '../foreground-job.js';

export class FileValidateCommand extends SpacedriveCommand {
  static override paths = [['file', 'validate']];
  static override usage = Command.Usage({
    description: 'Check indexed files against the disk: missing files, size or time drift, corrupted content',
    details: `
      \`basic\` compares what the index recorded (kind, size, modification time) with the disk. \`integrity\` also
      reads every indexed file and compares its casId with the indexed one: a file whose content changed while its
      size and time did not is reported as an error (corruption, or a tool that restored the time).

      Each finding has a severity (error, warning, info) and a suggested action. Validation runs as a job:
      Ctrl-C pauses it, \`spacedrive job resume <id>\` continues it, and \`--job <id>\` shows the findings of a
      validation again. Paths outside every location are reported as not indexed.
    `,
    examples: [
      ['A whole location, reading every file', '$0 file validate --location Pictures --mode integrity'],
      ['A folder inside a location', '$0 file validate ~/Pictures/2024'],
      ['The findings of an earlier validation', '$0 file validate --job 0193…'],
    ],
  });
  targets = Option.Rest();
  location = Option.String('--location', { description: 'Validate a whole location' });
  mode = Option.String('--mode', { description: 'basic (metadata, default) | integrity (+ casId of every file)', validator: t.isEnum(VALIDATION_MODES) });
  job = Option.String('--job', { description: 'Show the findings of an earlier validation job' });

  async run() {
    return this.withLibrary(async (library) => {
      const job =
        this.job !== undefined
          ? library.jobInfo(this.job)
          : await runInForeground(
              library,
              () => library.validation.start({ paths: this.targets, location: this.location, mode: this.mode as ValidationMode | undefined }),
              { stderr: this.context.stderr, showProgress: !this.json && !this.quiet },
            );
      this.report(library, job);
      return jobExit(job, this.context.stderr, this.json);
    });
  }

  private report(library: Library, job: JobRecord): void {
    const { findings } = library.validation.findings(job.id);
    const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
    const output = job.output as { checked?: number; unverified?: number } | null;
    const summary = { checked: output?.checked ?? null, unverified: output?.unverified ?? null, errors: count('error'), warnings: count('warning'), infos: count('info') };
    this.out.result({ job: jobJson(job), summary, findings }, () => {
      const lines: string[] = [];
      for (const f of findings) {
        const label = f.severity === 'error' ? this.out.paint('error  ', 'red') : f.severity === 'warning' ? 'warning' : this.out.paint('info   ', 'dim');
        lines.push(`${label}  ${f.path}`, `         ${f.message}`, `         → ${f.action}`);
      }
      if (job.status === 'completed') {
        lines.push(`Checked ${counted(summary.checked ?? 0, 'entry', 'entries')}: ${counted(summary.errors, 'error')}, ${counted(summary.warnings, 'warning')}, ${counted(summary.infos, 'note')} (job ${job.id}).`);
        if (summary.unverified) lines.push(`${counted(summary.unverified, 'file')} ${summary.unverified === 1 ? 'has no casId in the index and was' : 'have no casId in the index and were'} not verified: rescan ${summary.unverified === 1 ? 'its' : 'their'} location with --mode content.`);
      } else if (job.status === 'paused') {
        lines.push(`Validation paused after ${counted(findings.length, 'finding')}; continue with \`spacedrive job resume ${job.id}\`, then \`spacedrive file validate --job ${job.id}\`.`);
      } else {
        lines.push(`Validation ${job.status}${job.failure ? `: ${job.failure.message}` : ''} (job ${job.id}).`);
      }
      return lines;
    });
  }
}
