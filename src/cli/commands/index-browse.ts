import path from 'node:path';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { SpacedriveCommand } from '../base-command.js';
import { counted } from '../output.js';

export class IndexBrowseCommand extends SpacedriveCommand {
  static override paths = [['index', 'browse']];
  static override usage = Command.Usage({
    description: 'List any folder as the indexer sees it, without adding it to a library',
    details: 'Nothing is written: the listing lives in memory for the duration of the command. `--json` prints JSON lines, one per entry.',
    examples: [['Browse a folder', '$0 index browse ~/Downloads'], ['With casIds, the whole tree', '$0 index browse ~/Downloads --scope recursive --content --json']],
  });
  folder = Option.String({ required: true });
  scope = Option.String('--scope', 'current', { description: 'current (default) | recursive', validator: t.isEnum(['current', 'recursive'] as const) });
  content = Option.Boolean('--content', false, { description: 'Identify files: casId, kind, MIME' });
  hidden = Option.Boolean('--hidden', true, { description: 'Show hidden files (--no-hidden to skip them)' });

  async run() {
    return this.withCore(async (core) => {
      let errors = 0;
      let count = 0;
      const root = path.resolve(this.folder);
      for await (const entries of core.browse(this.folder, { recursive: this.scope === 'recursive', content: this.content, rules: { includeHidden: this.hidden } }, (e) => {
        errors++;
        this.context.stderr.write(`warning: ${e.path}: ${e.message}\n`);
      })) {
        for (const e of entries) {
          count++;
          this.out.line(
            {
              name: e.name, path: path.join(root, e.relativePath), relativePath: e.relativePath, kind: e.kind, size: e.size,
              casId: e.content?.casId ?? null, contentKind: e.content?.contentKind ?? null, mime: e.content?.mime ?? null,
              modifiedAt: new Date(e.modifiedAt).toISOString(), hidden: e.hidden,
            },
            () => {
              const kind = e.kind === 'directory' ? 'dir ' : e.kind === 'symlink' ? 'link' : 'file';
              const name = JSON.stringify(this.scope === 'recursive' ? e.relativePath : e.name).slice(1, -1);
              return `${kind}  ${String(e.size).padStart(12)}  ${new Date(e.modifiedAt).toISOString().slice(0, 19)}  ${(e.content?.casId ?? '-').padEnd(16)}  ${(e.content?.contentKind ?? '-').padEnd(10)}  ${name}`;
            },
          );
        }
      }
      if (!this.json && !this.quiet) this.context.stderr.write(`${counted(count, 'entry', 'entries')}${errors ? `, ${errors} could not be read` : ''}\n`);
      return 0;
    });
  }
}
