import { Command, Option } from 'clipanion';
import { DomainError } from '../../domain/errors.js';
import type { TagRecord } from '../../projections/tags/queries.js';
import type { TagQueries } from '../../commands/tags/tag-queries.js';
import { SpacedriveCommand } from '../base-command.js';

export const tagJson = (t: TagRecord, tags: TagQueries) => ({
  id: t.id,
  name: t.name,
  path: tags.pathOf(t),
  color: t.color,
  icon: t.icon,
  parentId: t.parentId,
  applied: t.applied,
});

/**
 * `--color <hex>` shares its name with the global `--color`/`--no-color` switch: clipanion hands both the value,
 * so a string is the tag's colour and `--no-color` (false) none.
 */
const tagColorOption = () => Option.String('--color', { description: 'Hex colour, e.g. #3b82f6' });
const tagColorOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class TagCreateCommand extends SpacedriveCommand {
  static override paths = [['tag', 'create']];
  static override usage = Command.Usage({
    description: 'Create a tag',
    details: 'Tag names are unique regardless of case. A tag created under the same name on two devices is one tag once they sync.',
    examples: [['A tag', '$0 tag create Work --color "#3b82f6"'], ['A child tag', '$0 tag create Invoices --parent Work']],
  });
  name = Option.String({ required: true });
  tagColor = tagColorOption();
  icon = Option.String('--icon', { description: 'Icon name' });
  parent = Option.String('--parent', { description: 'Parent tag: searching the parent finds entries tagged with this one' });

  async run() {
    await this.withLibrary(async (library) => {
      const tag = await library.tags.create(this.name, { color: tagColorOf(this.tagColor), icon: this.icon, parent: this.parent });
      this.out.result(tagJson(tag, library.tags), () => `Created tag "${library.tags.pathOf(tag)}" (${tag.id})`);
    });
  }
}

export class TagListCommand extends SpacedriveCommand {
  static override paths = [['tag', 'list']];
  static override usage = Command.Usage({ description: 'List tags, as a tree', examples: [['List', '$0 tag list']] });

  async run() {
    await this.withQueries(async (library) => {
      const all = library.tags.list();
      const rows = all.map((t) => tagJson(t, library.tags)).sort((a, b) => a.path.localeCompare(b.path) || a.id.localeCompare(b.id));
      this.out.result(rows, () =>
        rows.length === 0
          ? 'No tags yet: `spacedrive tag create <name>` creates one.'
          : rows.map((r) => `${r.path}  ${this.out.paint(r.id, 'dim')}  ${r.color ?? '-'}  ${r.icon ?? '-'}  ${r.applied} applied`),
      );
    });
  }
}

export class TagRenameCommand extends SpacedriveCommand {
  static override paths = [['tag', 'rename']];
  static override usage = Command.Usage({ description: 'Rename a tag', examples: [['Rename', '$0 tag rename Work Job']] });
  tag = Option.String({ required: true });
  name = Option.String({ required: true });

  async run() {
    await this.withLibrary(async (library) => {
      const tag = await library.tags.rename(this.tag, this.name);
      this.out.result(tagJson(tag, library.tags), () => `Renamed tag to "${tag.name}"`);
    });
  }
}

export class TagRecolorCommand extends SpacedriveCommand {
  static override paths = [['tag', 'recolor']];
  static override usage = Command.Usage({
    description: 'Change the colour (and icon) of a tag',
    examples: [['Recolor', '$0 tag recolor Work "#ef4444"'], ['Clear the colour', '$0 tag recolor Work none']],
  });
  tag = Option.String({ required: true });
  newColor = Option.String({ required: false });
  icon = Option.String('--icon', { description: 'Icon name ("none" clears it)' });

  async run() {
    await this.withLibrary(async (library) => {
      const clear = (v: string | undefined) => (v === undefined ? undefined : v === 'none' ? null : v);
      const tag = await library.tags.recolor(this.tag, { color: clear(this.newColor), icon: clear(this.icon) });
      this.out.result(tagJson(tag, library.tags), () => `Tag "${tag.name}": colour ${tag.color ?? 'none'}, icon ${tag.icon ?? 'none'}`);
    });
  }
}

export class TagMoveCommand extends SpacedriveCommand {
  static override paths = [['tag', 'move']];
  static override usage = Command.Usage({
    description: 'Place a tag under another, or at the top',
    examples: [['Under Work', '$0 tag move Invoices --parent Work'], ['At the top', '$0 tag move Invoices --root']],
  });
  tag = Option.String({ required: true });
  parent = Option.String('--parent', { description: 'The new parent tag' });
  root = Option.Boolean('--root', false, { description: 'Move to the top' });

  async run() {
    await this.withLibrary(async (library) => {
      if ((this.parent === undefined) === !this.root) {
        throw new DomainError('USAGE', 'user', 'give either --parent <tag> or --root');
      }
      const tag = await library.tags.move(this.tag, this.parent ?? null);
      this.out.result(tagJson(tag, library.tags), () => `Tag is now "${library.tags.pathOf(tag)}"`);
    });
  }
}

export class TagDeleteCommand extends SpacedriveCommand {
  static override paths = [['tag', 'delete']];
  static override usage = Command.Usage({
    description: 'Delete a tag and its applications (its child tags move to the top)',
    examples: [['Delete', '$0 tag delete Work']],
  });
  tag = Option.String({ required: true });

  async run() {
    await this.withLibrary(async (library) => {
      const tag = await library.tags.delete(this.tag);
      this.out.result({ id: tag.id, name: tag.name, deleted: true }, () => `Deleted tag "${tag.name}"`);
    });
  }
}

const targetsUsage = 'Entries are paths inside a location (the files may be offline) or <location>:<path inside it>.';

export class TagApplyCommand extends SpacedriveCommand {
  static override paths = [['tag', 'apply']];
  static override usage = Command.Usage({
    description: 'Tag entries, or with --content every copy of their content',
    details: targetsUsage,
    examples: [['Two files', '$0 tag apply Work ~/Documents/a.pdf ~/Documents/b.pdf'], ['Every copy', '$0 tag apply Work Documents:a.pdf --content']],
  });
  tag = Option.String({ required: true });
  entries = Option.Rest({ required: 1 });
  content = Option.Boolean('--content', false, { description: 'Tag the content: every copy, present and future' });

  async run() {
    await this.withLibrary(async (library) => {
      const r = await library.tags.apply(this.tag, this.entries, { content: this.content });
      this.out.result({ tag: tagJson(library.tags.resolve(r.tag.id), library.tags), applied: r.applied, already: r.already }, () =>
        `Tagged ${r.applied} ${this.content ? 'content' : 'entr'}${this.content ? (r.applied === 1 ? '' : 's') : r.applied === 1 ? 'y' : 'ies'} with "${r.tag.name}"${r.already ? ` (${r.already} already had it)` : ''}`,
      );
    });
  }
}

export class TagRemoveCommand extends SpacedriveCommand {
  static override paths = [['tag', 'remove']];
  static override usage = Command.Usage({
    description: 'Remove a tag from entries (with --content, from their content)',
    details: targetsUsage,
    examples: [['Untag', '$0 tag remove Work ~/Documents/a.pdf']],
  });
  tag = Option.String({ required: true });
  entries = Option.Rest({ required: 1 });
  content = Option.Boolean('--content', false, { description: 'Remove the tag from the content (every copy)' });

  async run() {
    await this.withLibrary(async (library) => {
      const r = await library.tags.remove(this.tag, this.entries, { content: this.content });
      this.out.result({ tag: tagJson(library.tags.resolve(r.tag.id), library.tags), removed: r.removed }, () => `Removed "${r.tag.name}" from ${r.removed}`);
    });
  }
}
