import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import type { DuplicatesReport } from '../../commands/files/duplicates.js';
import { DUPLICATE_MODES, type DuplicateMode } from '../../commands/files/duplicate-modes.js';
import { SpacedriveCommand } from '../base-command.js';
import { counted } from '../output.js';

export class FileDuplicatesCommand extends SpacedriveCommand {
  static override paths = [['file', 'duplicates']];
  static override usage = Command.Usage({
    description: 'Find duplicate files, largest waste first',
    details: `
      Files are grouped by size, then by casId (sampled content hash), then by a BLAKE3 hash of every byte (\`deep\`,
      the default: groups are byte-identical files, as \`fdupes -r\` finds them). Hard links to one file count once,
      symlinks are not followed, empty files form one group (\`--min-size 1\` leaves them out).

      Folders inside a location use the casIds of the index for files unchanged since they were indexed; other files
      are read from disk. \`--location\` answers from the index alone (and says which files changed since).
    `,
    examples: [
      ['Byte-identical files under two folders', '$0 file duplicates ~/Pictures ~/Backup'],
      ['From the index of a location, by casId', '$0 file duplicates --location Pictures --mode content'],
      ['Same name and size, 1 MiB or more', '$0 file duplicates ~/Downloads --mode name-size --min-size 1048576'],
    ],
  });
  targets = Option.Rest();
  location = Option.String('--location', { description: 'Search a location through its index instead of folders' });
  mode = Option.String('--mode', {
    description: 'size | name-size | content (sampled casId) | deep (every byte; default)',
    validator: t.isEnum(DUPLICATE_MODES),
  });
  minSize = Option.String('--min-size', { description: 'Only files of at least this many bytes', validator: t.cascade(t.isNumber(), t.isInteger()) });

  protected override readonly prestart = 'hashing' as const;

  async run() {
    await this.withQueries(async (library) => {
      const tty = !this.json && !this.quiet && (this.context.stderr as NodeJS.WriteStream).isTTY === true;
      let last = 0;
      const report = await library.findDuplicates(
        { paths: this.targets, location: this.location, mode: this.mode as DuplicateMode | undefined, minSize: this.minSize },
        (p) => {
          if (!tty || Date.now() - last < 100) return;
          last = Date.now();
          this.context.stderr.write(`\r\u001b[2K${p.phase}: ${p.done}${p.total !== null ? `/${p.total}` : ''} files`);
        },
      );
      if (tty) this.context.stderr.write('\r\u001b[2K');
      this.out.result(report, () => this.human(report));
    });
  }

  private human(r: DuplicatesReport): string[] {
    const lines: string[] = [];
    for (const g of r.groups) {
      lines.push(this.out.paint(`${g.paths.length} files of ${counted(g.size, 'byte')}, ${counted(g.wastedBytes, 'byte')} wasted  (${g.key})`, 'bold'));
      for (const p of g.paths) lines.push(`  ${p}`);
      lines.push('');
    }
    const t = r.totals;
    lines.push(
      t.groups === 0
        ? `No duplicates among ${counted(t.filesScanned, 'file')} (mode ${r.mode}).`
        : `${counted(t.groups, 'group')}, ${counted(t.duplicateFiles, 'duplicate file')}, ${counted(t.wastedBytes, 'byte')} wasted, among ${counted(t.filesScanned, 'file')} (mode ${r.mode}).`,
    );
    if (r.unidentified > 0) {
      lines.push(`${counted(r.unidentified, 'file')} of the location ${r.unidentified === 1 ? 'has no casId and was' : 'have no casId and were'} not compared: \`spacedrive location rescan <location> --mode content\` identifies them.`);
    }
    if (r.stale.length > 0) {
      lines.push(`The index is stale: ${counted(r.stale.length, 'file')} above changed since the location was scanned; rescan it before acting on these groups:`);
      for (const s of r.stale.slice(0, 20)) lines.push(`  ${s.path}: ${s.reason}`);
    }
    if (r.errors.length > 0) {
      lines.push(`${counted(r.errors.length, 'file or folder', 'files or folders')} could not be read and ${r.errors.length === 1 ? 'was' : 'were'} left out:`);
      for (const e of r.errors.slice(0, 20)) lines.push(`  ${e.path}: ${e.message}`);
    }
    return lines;
  }
}
