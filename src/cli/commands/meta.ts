import path from 'node:path';
import { Command, Option } from 'clipanion';
import type { Library } from '../../commands/libraries/library.js';
import { SpacedriveCommand } from '../base-command.js';

export class MetaNoteCommand extends SpacedriveCommand {
  static override paths = [['meta', 'note']];
  static override usage = Command.Usage({
    description: 'Set the note of an entry (an empty text clears it)',
    examples: [['Note', '$0 meta note ~/Documents/a.pdf "signed copy"'], ['Clear', '$0 meta note ~/Documents/a.pdf ""']],
  });
  entry = Option.String({ required: true });
  text = Option.String({ required: true });

  async run() {
    await this.withLibrary(async (library) => {
      const r = await library.metadata.note(this.entry, this.text);
      this.out.result(r, () => (r.changed ? (this.text.trim() ? 'Noted' : 'Note cleared') : 'Unchanged'));
    });
  }
}

abstract class FlagCommand extends SpacedriveCommand {
  entries = Option.Rest({ required: 1 });
  protected abstract apply(library: Library): Promise<{ changed: number }>;
  protected abstract readonly verb: string;

  async run() {
    await this.withLibrary(async (library) => {
      const r = await this.apply(library);
      this.out.result(r, () => `${this.verb} ${r.changed} of ${this.entries.length}${r.changed < this.entries.length ? ` (${this.entries.length - r.changed} already were)` : ''}`);
    });
  }
}

export class MetaFavoriteCommand extends FlagCommand {
  static override paths = [['meta', 'favorite']];
  static override usage = Command.Usage({ description: 'Mark entries as favourites', examples: [['Favourite', '$0 meta favorite ~/Pictures/best.jpg']] });
  protected readonly verb = 'Favourited';
  protected apply(library: Library) {
    return library.metadata.favorite(this.entries, true);
  }
}

export class MetaUnfavoriteCommand extends FlagCommand {
  static override paths = [['meta', 'unfavorite']];
  static override usage = Command.Usage({ description: 'Unmark favourite entries', examples: [['Unfavourite', '$0 meta unfavorite ~/Pictures/best.jpg']] });
  protected readonly verb = 'Unfavourited';
  protected apply(library: Library) {
    return library.metadata.favorite(this.entries, false);
  }
}

export class MetaHideCommand extends FlagCommand {
  static override paths = [['meta', 'hide']];
  static override usage = Command.Usage({
    description: 'Hide entries from normal views (search shows them only with --hidden)',
    examples: [['Hide', '$0 meta hide ~/Pictures/private.jpg']],
  });
  protected readonly verb = 'Hid';
  protected apply(library: Library) {
    return library.metadata.hide(this.entries, true);
  }
}

export class MetaUnhideCommand extends FlagCommand {
  static override paths = [['meta', 'unhide']];
  static override usage = Command.Usage({ description: 'Show hidden entries again', examples: [['Unhide', '$0 meta unhide ~/Pictures/private.jpg']] });
  protected readonly verb = 'Unhid';
  protected apply(library: Library) {
    return library.metadata.hide(this.entries, false);
  }
}

export class MetaShowCommand extends SpacedriveCommand {
  static override paths = [['meta', 'show']];
  static override usage = Command.Usage({
    description: 'Everything known about an entry: index facts, content identity, tags, note, flags, history',
    examples: [['Show', '$0 meta show ~/Documents/a.pdf --json']],
  });
  entry = Option.String({ required: true });

  async run() {
    await this.withLibrary(async (library) => {
      const d = await library.metadata.show(this.entry);
      const e = d.entry;
      const value = {
        path: path.join(d.location.path, d.path),
        relativePath: d.path,
        name: e.name,
        kind: e.kind,
        size: e.kind === 'directory' ? (e.aggregateSize ?? 0) : e.size,
        modifiedAt: new Date(e.modifiedAt).toISOString(),
        location: { id: d.location.id, name: d.location.name },
        content: d.content,
        tags: d.tags,
        note: d.note,
        favorite: d.favorite,
        hidden: d.hidden,
        stamps: d.stamps,
        history: d.history,
      };
      this.out.result(value, () => [
        value.path,
        `  kind:      ${value.kind}, ${value.size} bytes, modified ${value.modifiedAt}`,
        `  location:  ${d.location.name} (${d.location.id})`,
        `  content:   ${d.content ? `${d.content.casId} (${d.content.contentUuid}) ${d.content.kind ?? ''} ${d.content.mime ?? ''}, ${d.content.copies} cop${d.content.copies === 1 ? 'y' : 'ies'}` : '-'}`,
        `  tags:      ${d.tags.length ? d.tags.map((t) => (t.via === 'content' ? `${t.path} (content)` : t.path)).join(', ') : '-'}`,
        `  note:      ${d.note === null ? '-' : JSON.stringify(d.note)}`,
        `  favorite:  ${d.favorite ? 'yes' : 'no'}`,
        `  hidden:    ${d.hidden ? 'yes' : 'no'}`,
        `  history:   ${d.history.total} events (${d.history.index} index, ${d.history.metadata} notes and flags, ${d.history.tags} tags)`,
      ]);
    });
  }
}
